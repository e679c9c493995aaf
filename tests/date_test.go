package tests

import (
	"testing"
	"time"

	"github.com/matryer/is"

	"github.com/wrensql/wren"
)

type BirthTable struct {
	wren.Table
	ID   wren.Column[int64] `wren:",pk"`
	Name wren.Column[string]
	Dob  wren.Column[time.Time]  `wren:",type=DATE"`
	Day  wren.Column[wren.Date]  // DATE by its Go type
	Opt  wren.Column[*wren.Date] // nullable
	At   wren.Column[*time.Time] // a timestamp, for comparison
}

var Births = wren.NewTable[BirthTable]("births")

type birth struct {
	ID   int64
	Name string
	Dob  time.Time
	Day  wren.Date
	Opt  *wren.Date
	At   *time.Time
}

func names(bs []birth) []string {
	var out []string
	for _, b := range bs {
		out = append(out, b.Name)
	}
	return out
}

func utcDay(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

// TestDates: dates written by SQL itself ('1980-01-01', CURRENT_DATE)
// compare right with dates bound by wren, for a time.Time column declared
// type=DATE and for a wren.Date column, on all three databases. On SQLite
// both bind the text YYYY-MM-DD, which is what SQL and other tools store.
func TestDates(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *wren.DB) {
		is := is.New(t)
		ctx := ctxT(t)
		B := Births
		is.NoErr(wren.CreateTables(ctx, db, B))
		mustExec(t, db, "INSERT INTO births (id, name, dob, day) VALUES (1, 'a', '1980-01-01', '1980-01-01')")
		mustExec(t, db, "INSERT INTO births (id, name, dob, day) VALUES (2, 'b', '2017-01-01', '2017-01-01')")
		mustExec(t, db, "INSERT INTO births (id, name, dob, day) VALUES (3, 'c', CURRENT_DATE, CURRENT_DATE)")
		mustExec(t, db, "INSERT INTO births (id, name, dob, day) VALUES (4, 'd', '1979-12-31', '1979-12-31')")
		all := wren.Select(B).From(B)
		get := func(conds ...wren.Predicate) []string {
			t.Helper()
			rows, err := wren.All[birth](ctx, db, all.Where(conds...).OrderBy(B.ID))
			is.NoErr(err)
			return names(rows)
		}
		jan1 := utcDay(1980, 1, 1)
		is.Equal(get(B.Dob.Lt(jan1)), []string{"d"})
		is.Equal(get(B.Dob.Eq(utcDay(2017, 1, 1))), []string{"b"})
		is.Equal(get(B.Dob.Lte(jan1)), []string{"a", "d"})
		// A time of day or another zone does not change the date bound.
		is.Equal(get(B.Dob.Eq(time.Date(2017, 1, 1, 23, 30, 0, 0, time.FixedZone("x", -5*3600)))), []string{"b"})
		is.Equal(get(B.Dob.In(jan1, utcDay(2017, 1, 1))), []string{"a", "b"})
		is.Equal(get(B.Dob.Between(utcDay(1979, 12, 31), jan1)), []string{"a", "d"})
		is.Equal(get(B.Day.Lt(wren.Date{Year: 1980, Month: 1, Day: 1})), []string{"d"})
		is.Equal(get(B.Day.Eq(wren.Date{Year: 2017, Month: 1, Day: 1})), []string{"b"})
		is.Equal(get(B.Day.Gt(wren.Date{Year: 2017, Month: 1, Day: 1})), []string{"c"})
		is.Equal(get(B.Day.In(wren.Date{Year: 1979, Month: 12, Day: 31}, wren.Date{Year: 2017, Month: 1, Day: 1})), []string{"b", "d"})

		// Read back: each driver's form becomes the same date.
		rows, err := wren.All[birth](ctx, db, all.OrderBy(B.ID))
		is.NoErr(err)
		is.Equal(rows[0].Day, wren.Date{Year: 1980, Month: 1, Day: 1})
		is.True(rows[0].Dob.Equal(jan1))
		is.Equal(rows[0].Opt, nil)
		today := wren.DateOf(time.Now())
		if d := rows[2].Day; d != today && d != wren.DateOf(time.Now().UTC()) {
			t.Fatalf("CURRENT_DATE read back as %s, today is %s", d, today)
		}

		// Written by wren: the same canonical text as SQL's.
		w := birth{ID: 5, Name: "w", Dob: time.Date(2017, 1, 1, 12, 0, 0, 0, time.UTC),
			Day: wren.Date{Year: 2017, Month: 1, Day: 1}, Opt: &wren.Date{Year: 2000, Month: 2, Day: 29}}
		_, err = wren.Exec(ctx, db, wren.Insert(B).Rows(w))
		is.NoErr(err)
		n, err := wren.One[int64](ctx, db, wren.RawStmt("SELECT COUNT(*) FROM births WHERE dob = '2017-01-01' AND day = '2017-01-01' AND opt = '2000-02-29'"))
		is.NoErr(err)
		is.Equal(n, int64(1))
		_, err = wren.Exec(ctx, db, wren.Update(B).Set(wren.Set(B.Dob, utcDay(1970, 1, 1))).Where(B.ID.Eq(5)))
		is.NoErr(err)
		is.Equal(get(B.Dob.Lt(jan1)), []string{"d", "w"})
		if db.Dialect().Name() == "sqlite" {
			text, err := wren.One[string](ctx, db, wren.RawStmt("SELECT CAST(dob AS TEXT) || '|' || CAST(day AS TEXT) FROM births WHERE id = 5"))
			is.NoErr(err)
			is.Equal(text, "1970-01-01|2017-01-01")

			// What docs/types.md says of timestamps on SQLite: wren's text
			// keeps the offset and drops trailing zeros; datetime() turns it
			// into the shell's UTC form.
			at := time.Date(2024, 5, 6, 9, 8, 9, 500_000_000, time.FixedZone("", 2*3600))
			_, err = wren.Exec(ctx, db, wren.Update(B).Set(wren.Set(B.At, &at)).Where(B.ID.Eq(5)))
			is.NoErr(err)
			text, err = wren.One[string](ctx, db, wren.RawStmt("SELECT CAST(at AS TEXT) || '|' || datetime(at) FROM births WHERE id = 5"))
			is.NoErr(err)
			is.Equal(text, "2024-05-06 09:08:09.5+02:00|2024-05-06 07:08:09")
			text, err = wren.One[string](ctx, db, wren.RawStmt("SELECT CAST(at > '2024-05-06 07:08:10' AS TEXT) || CAST(datetime(at) > '2024-05-06 07:08:08' AS TEXT) FROM births WHERE id = 5"))
			is.NoErr(err)
			is.Equal(text, "11") // as text, 09:08 (+02:00) sorts after 07:08:10 UTC
		}
		got, err := wren.One[birth](ctx, db, all.Where(B.ID.Eq(5)))
		is.NoErr(err)
		is.Equal(*got.Opt, wren.Date{Year: 2000, Month: 2, Day: 29})
	})
}
