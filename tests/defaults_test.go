package tests

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/matryer/is"

	"github.com/wrensql/wren"
	"github.com/wrensql/wren/dialect"
)

type DocTable struct {
	wren.Table
	ID        wren.Column[int64]     `wren:",pk"`
	Title     wren.Column[string]    `wren:",size=80"`
	Views     wren.Column[int64]     `wren:",default=7,omitzero"`
	CreatedAt wren.Column[time.Time] `wren:",default=CURRENT_TIMESTAMP,omitzero"`
	UpdatedAt wren.Column[time.Time] `wren:",autoupdate"`
}

var Docs = wren.NewTable[DocTable]("docs")

type Doc struct {
	ID        int64
	Title     string
	Views     int64
	CreatedAt time.Time
	UpdatedAt time.Time
}

func TestInsertDefaults(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *wren.DB) {
		is := is.New(t)
		ctx := ctxT(t)
		_, err := wren.Exec(ctx, db, wren.CreateTable(Docs))
		is.NoErr(err)
		old := time.Date(2001, 2, 3, 4, 5, 6, 0, time.UTC)
		recent := func(ts time.Time) bool { return ts.After(time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)) }
		for hi, h := range handles(db) {
			// One row: the key, the DEFAULTs and CURRENT_TIMESTAMP come back.
			one := &Doc{Title: fmt.Sprint("one", hi)}
			is.NoErr(wren.Create(ctx, h, Docs, one))
			is.True(one.ID > 0)
			is.Equal(one.Views, int64(7))
			is.True(recent(one.CreatedAt))
			is.True(recent(one.UpdatedAt))

			// Rows that leave different columns zero: one INSERT per kind,
			// each row gets its own values back.
			many := []*Doc{
				{Title: fmt.Sprint("b", hi), Views: 3},
				{Title: fmt.Sprint("c", hi)},
				{Title: fmt.Sprint("d", hi), Views: 5, CreatedAt: old, UpdatedAt: old},
				{Title: fmt.Sprint("e", hi)},
			}
			is.NoErr(wren.Create(ctx, h, Docs, many...))
			want := []int64{3, 7, 5, 7}
			for i, d := range many {
				is.True(d.ID > 0)
				is.Equal(d.Views, want[i])
				got, err := wren.One[Doc](ctx, h, wren.Select(Docs).From(Docs).Where(Docs.ID.Eq(d.ID)))
				is.NoErr(err)
				is.Equal(got.Title, d.Title)
				is.Equal(got.Views, d.Views)
				is.True(got.CreatedAt.Equal(d.CreatedAt))
			}
			is.True(many[2].CreatedAt.Equal(old))
			is.True(recent(many[1].CreatedAt))

			// One INSERT of rows that disagree is refused, naming the column.
			_, err = wren.Exec(ctx, h, wren.Insert(Docs).Rows(&Doc{Title: "y", Views: 2}, &Doc{Title: "x"}))
			is.True(err != nil)
			is.True(strings.Contains(err.Error(), "some rows set column views and some leave it zero"))

			// autoupdate: SetRow writes CURRENT_TIMESTAMP, whatever the field.
			d := many[2]
			d.Title += "!"
			_, err = wren.Exec(ctx, h, wren.Update(Docs).SetRow(d, Docs.Title).Where(Docs.ID.Eq(d.ID)))
			is.NoErr(err)
			got, err := wren.One[Doc](ctx, h, wren.Select(Docs).From(Docs).Where(Docs.ID.Eq(d.ID)))
			is.NoErr(err)
			is.Equal(got.Title, d.Title)
			is.True(recent(got.UpdatedAt))
			is.True(got.CreatedAt.Equal(old))
		}
	})
}

type KeyedTable struct {
	wren.Table
	Code wren.Column[string] `wren:",pk"`
	Note wren.Column[string]
}

type GenKeyTable struct {
	wren.Table
	Code wren.Column[string] `wren:",pk,omitzero"`
	Note wren.Column[string]
}

var (
	Keyed  = wren.NewTable[KeyedTable]("keyed")
	GenKey = wren.NewTable[GenKeyTable]("keyed")
)

type KeyedRow struct {
	Code string
	Note string
}

func TestInsertKeys(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *wren.DB) {
		is := is.New(t)
		ctx := ctxT(t)
		// A key the database generates (the DDL is the database's own).
		gen := map[string]string{
			"postgres": "md5(random()::text)",
			"sqlite":   "(lower(hex(randomblob(16))))",
			"mysql":    "(UUID())",
			"mariadb":  "(UUID())",
		}[db.Dialect().Name()]
		mustExec(t, db, "CREATE TABLE keyed (code VARCHAR(64) NOT NULL DEFAULT "+gen+" PRIMARY KEY, note VARCHAR(20) NOT NULL)")

		// A zero key that nothing generates is refused before it is sent.
		_, err := wren.Exec(ctx, db, wren.Insert(Keyed).Rows(&KeyedRow{Note: "x"}))
		is.True(err != nil)
		is.True(strings.Contains(err.Error(), "leaves primary key column code zero"))
		is.True(strings.Contains(err.Error(), "omitzero"))
		is.NoErr(wren.Create(ctx, db, Keyed, &KeyedRow{Code: "k1", Note: "set"}))

		for _, h := range handles(db) {
			rows := []*KeyedRow{{Note: "a"}, {Note: "b"}}
			err := wren.Create(ctx, h, GenKey, rows...)
			if h.Dialect() == dialect.MySQL {
				// No RETURNING, and no key to read the row back by.
				is.True(errors.Is(err, wren.ErrUnsupported))
				is.True(strings.Contains(err.Error(), "(code)"))
				continue
			}
			is.NoErr(err)
			is.True(rows[0].Code != "" && rows[1].Code != "" && rows[0].Code != rows[1].Code)
			for _, r := range rows {
				got, err := wren.One[KeyedRow](ctx, h, wren.Select(GenKey).From(GenKey).Where(GenKey.Code.Eq(r.Code)))
				is.NoErr(err)
				is.Equal(got.Note, r.Note)
			}
		}
	})
}
