package tests

import (
	"fmt"
	"strings"
	"testing"

	"github.com/matryer/is"

	"github.com/wrensql/wren"
	"github.com/wrensql/wren/dialect"
)

// TbTable is read by TestTextBlocks.
type TbTable struct {
	wren.Table
	ID    wren.Column[int64] `wren:",pk"`
	Name  wren.Column[string]
	Note  wren.Column[string]
	Extra wren.Column[*string]
}

type TbRow struct {
	ID    int64
	Name  string
	Note  string
	Extra *string
}

var Tb = wren.NewTable[TbTable]("tb_rows")

// tbName and tbNote are the texts of row i: empty ones, multi-byte ones,
// and every 37th note longer than a block shares (it gets a string of its
// own), so that rows fill blocks unevenly.
func tbName(i int64) string {
	if i%11 == 0 {
		return ""
	}
	return fmt.Sprintf("name-%d-%s", i, strings.Repeat("é", int(i%7)))
}

func tbNote(i int64) string {
	if i%37 == 0 {
		return strings.Repeat(fmt.Sprintf("long %d ", i), 60)
	}
	return fmt.Sprintf("n%d", i*i)
}

// TestTextBlocks: All copies the strings of its rows after the first into
// blocks the rows share (pgx and the MySQL driver hand over bytes of their
// own buffers) when it reads 16 rows or more, or an unknown number; every
// string reads back exactly, with and without a LIMIT, with blocks and
// without, and stays so while later queries reuse the
// driver's buffers and the scanner's state. NULL into a string field fails
// as it does without blocks, naming the column and the field; raw SQL
// whose numbers go to string fields reads as database/sql converts them.
func TestTextBlocks(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *wren.DB) {
		is := is.New(t)
		ctx := ctxT(t)
		_, err := wren.Exec(ctx, db, wren.CreateTable(Tb))
		is.NoErr(err)
		const n = 700
		var want []TbRow
		for i := int64(1); i <= n; i++ {
			want = append(want, TbRow{ID: i, Name: tbName(i), Note: tbNote(i)})
		}
		for i := 0; i < n; i += 100 {
			rows := make([]any, 0, 100)
			for j := i; j < i+100; j++ {
				rows = append(rows, &want[j])
			}
			_, err = wren.Exec(ctx, db, wren.Insert(Tb).Rows(rows...))
			is.NoErr(err)
		}

		var kept [][]TbRow
		for _, limit := range []int{0, 1, 2, 3, 10, 100, n} {
			q := wren.Select(Tb).From(Tb).OrderBy(Tb.ID.Asc())
			w := want
			if limit > 0 {
				q = q.Limit(limit)
				w = want[:limit]
			}
			got, err := wren.All[TbRow](ctx, db, q)
			is.NoErr(err)
			is.Equal(got, w) // limit
			kept = append(kept, got)
		}
		// Later queries (other rows, other lengths) leave the strings read
		// before as they were.
		for i := int64(1); i <= n; i += 50 {
			_, err := wren.Exec(ctx, db, wren.Update(Tb).Set(wren.Set(Tb.Name, strings.Repeat("x", int(i%300)))).Where(Tb.ID.Eq(i)))
			is.NoErr(err)
		}
		_, err = wren.All[TbRow](ctx, db, wren.Select(Tb).From(Tb))
		is.NoErr(err)
		for _, got := range kept {
			is.Equal(got, want[:len(got)])
		}

		// One column: a slice of strings.
		names, err := wren.All[string](ctx, db, wren.Select(Tb.Note).From(Tb).Where(Tb.ID.Lt(41)).OrderBy(Tb.ID.Asc()))
		is.NoErr(err)
		is.Equal(len(names), 40)
		for i, s := range names {
			is.Equal(s, tbNote(int64(i+1)))
		}

		// NULL into a string field, on the third row (in a block: LIMIT
		// 20), as on the first: the same error, naming the column and the
		// field.
		type noteOnly struct {
			ID    int64
			Extra string
		}
		_, err = wren.Exec(ctx, db, wren.Update(Tb).Set(wren.Set(Tb.Extra, nil)).Where(Tb.ID.Eq(3)))
		is.NoErr(err)
		x := "x"
		_, err = wren.Exec(ctx, db, wren.Update(Tb).Set(wren.Set(Tb.Extra, &x)).Where(Tb.ID.Ne(3)))
		is.NoErr(err)
		// The plan refuses a nullable column for a string field before any
		// row is read; raw SQL, whose column types wren does not know, fails
		// on the NULL itself.
		for _, c := range []struct{ all, one wren.Statement }{
			{wren.Select(Tb.ID, Tb.Extra).From(Tb).OrderBy(Tb.ID.Asc()).Limit(20), wren.Select(Tb.ID, Tb.Extra).From(Tb).Where(Tb.ID.Eq(3))},
			{wren.RawStmt("SELECT id, extra FROM tb_rows ORDER BY id LIMIT 20"), wren.RawStmt("SELECT id, extra FROM tb_rows WHERE id = 3")},
		} {
			_, errAll := wren.All[noteOnly](ctx, db, c.all)
			is.True(errAll != nil)
			_, errOne := wren.One[noteOnly](ctx, db, c.one)
			is.True(errOne != nil)
			t.Log(errAll)
			is.Equal(errAll.Error(), errOne.Error()) // the same error with blocks and without
			is.True(strings.Contains(errAll.Error(), "extra"))
			is.True(strings.Contains(errAll.Error(), "noteOnly.Extra"))
		}

		// Numbers selected by raw SQL into string fields convert as they do
		// without blocks.
		type conv struct {
			A string
			B string
			C string
		}
		raw := wren.RawStmt("SELECT 12 AS a, 2.5 AS b, 'x' AS c UNION ALL SELECT -7, 0.125, 'y' UNION ALL SELECT 40000000000, 1e3, ''")
		all, err := wren.All[conv](ctx, db, raw)
		is.NoErr(err)
		is.Equal(len(all), 3)
		for i, r := range all {
			one, err := wren.One[conv](ctx, db, wren.RawStmt(fmt.Sprintf("SELECT a, b, c FROM (%s) t LIMIT 1 OFFSET %d", rawText(raw, db), i)))
			is.NoErr(err)
			is.Equal(r, one) // as read one row at a time
		}
		if db.Dialect() == dialect.Postgres {
			// Types pgx does not hand over as text bytes (an enum it does
			// not know, uuid) reach the string fields as they do without
			// blocks.
			_, err := wren.Exec(ctx, db, wren.RawStmt("CREATE TYPE tb_mood AS ENUM ('calm', 'glad')"))
			is.NoErr(err)
			q := "SELECT m::tb_mood::text AS a, m::tb_mood AS b, '6ba7b810-9dad-11d1-80b4-00c04fd430c8'::uuid AS c FROM (VALUES ('calm'), ('glad'), ('calm')) v(m)"
			pg, err := wren.All[conv](ctx, db, wren.RawStmt(q))
			is.NoErr(err)
			is.Equal(pg, []conv{{"calm", "calm", "6ba7b810-9dad-11d1-80b4-00c04fd430c8"}, {"glad", "glad", "6ba7b810-9dad-11d1-80b4-00c04fd430c8"}, {"calm", "calm", "6ba7b810-9dad-11d1-80b4-00c04fd430c8"}})
			one, err := wren.One[conv](ctx, db, wren.RawStmt(q+" LIMIT 1"))
			is.NoErr(err)
			is.Equal(one, pg[0])
		}
		is.Equal(all[0].A, "12")
		is.Equal(all[2].A, "40000000000")
		is.Equal(all[1].C, "y")
	})
}

// rawText is the text of a raw statement.
func rawText(s wren.Statement, db *wren.DB) string {
	text, _, err := s.SQL(db.Dialect())
	if err != nil {
		panic(err)
	}
	return text
}
