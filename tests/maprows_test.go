package tests

import (
	"testing"
	"time"

	"github.com/matryer/is"

	"github.com/wrensql/wren"
)

// MrTable has a column of each portable type, to check that AllMaps and
// AllTuples give the same Go types on every database.
type MrTable struct {
	wren.Table
	ID    wren.Column[int64] `wren:",pk"`
	Small wren.Column[int16]
	Name  wren.Column[string]
	Note  wren.Column[*string]
	Ratio wren.Column[float64]
	Flag  wren.Column[bool]
	At    wren.Column[time.Time]
	Day   wren.Column[wren.Date]
	Blob  wren.Column[[]byte] `wren:"data"`
}

type MrRow struct {
	ID    int64
	Small int16
	Name  string
	Note  *string
	Ratio float64
	Flag  bool
	At    time.Time
	Day   wren.Date
	Blob  []byte `db:"data"`
}

var Mr = wren.NewTable[MrTable]("mr_rows")

func TestMapsAndTuples(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *wren.DB) {
		is := is.New(t)
		ctx := ctxT(t)
		is.NoErr(wren.CreateTables(ctx, db, Mr))
		at := time.Date(2026, 3, 4, 5, 6, 7, 0, time.UTC)
		day := wren.Date{Year: 2026, Month: 3, Day: 4}
		is.NoErr(wren.Create(ctx, db, Mr,
			&MrRow{Small: 7, Name: "a", Ratio: 0.5, Flag: true, At: at, Day: day, Blob: []byte{0, 1, 2}},
			&MrRow{Small: -1, Name: "b", Ratio: 2, At: at, Day: day}))

		maps, err := wren.AllMaps(ctx, db, wren.Select(Mr).From(Mr).OrderBy(Mr.ID))
		is.NoErr(err)
		is.Equal(len(maps), 2)
		m := maps[0]
		is.Equal(m["small"], int64(7))
		is.Equal(m["name"], "a")
		is.Equal(m["note"], nil)
		is.Equal(m["ratio"], 0.5)
		is.Equal(m["flag"], true)
		is.Equal(m["at"], at)
		is.Equal(m["day"], day)
		is.Equal(m["data"], []byte{0, 1, 2})
		is.Equal(maps[1]["flag"], false)
		is.Equal(maps[1]["data"], nil)

		// Expressions keep their declared types too.
		cols, rows, err := wren.AllTuples(ctx, db, wren.Select(wren.CountAll().As("n"), wren.Max(Mr.Ratio).As("top")).From(Mr))
		is.NoErr(err)
		is.Equal(cols, []string{"n", "top"})
		is.Equal(rows, [][]any{{int64(2), 2.0}})

		// A raw statement: types come from the driver's values, normalised.
		cols, rows, err = wren.AllTuples(ctx, db, wren.RawStmt("SELECT id, name, ratio, data FROM mr_rows ORDER BY id"))
		is.NoErr(err)
		is.Equal(cols, []string{"id", "name", "ratio", "data"})
		is.Equal(rows[0], []any{int64(1), "a", 0.5, []byte{0, 1, 2}})

		// The same through a hook: the driver's column types still decide
		// which raw values are bytes.
		db.SetHook(hookFunc(func(*wren.QueryEvent) {}))
		hcols, hrows, err := wren.AllTuples(ctx, db, wren.RawStmt("SELECT id, name, ratio, data FROM mr_rows ORDER BY id"))
		is.NoErr(err)
		is.Equal(hcols, cols)
		is.Equal(hrows, rows)
		db.SetHook(nil)

		// Two columns of one name cannot share a map.
		a := wren.Alias(Mr, "a")
		_, err = wren.AllMaps(ctx, db, wren.Select(Mr.ID, a.ID).From(Mr).Join(a, a.ID.EqExpr(Mr.ID)))
		is.True(err != nil)
	})
}
