package tests

import (
	"strings"
	"testing"

	"github.com/matryer/is"

	"github.com/wrensql/wren"
)

// On PostgreSQL wren writes a LIMIT into the text as a number (issue 19): a
// bound LIMIT keeps the server planning the statement on every run, since
// the plan it would keep for every value assumes a tenth of the rows and
// never wins for a small page. These check that pages read the same rows
// on every database, and, on PostgreSQL, that the server plans a page
// query once and then keeps the plan, where the same query with a bound
// LIMIT is planned on every run.

type pagedTable struct {
	wren.Table
	ID wren.Column[int64] `wren:",pk"`
	N  wren.Column[int64]
}

type pagedRow struct {
	ID int64
	N  int64
}

// fillPaged creates the table and writes rows rows, N = 0…rows-1.
func fillPaged(t *testing.T, db *wren.DB, rows int) *pagedTable {
	t.Helper()
	is := is.New(t)
	ctx := ctxT(t)
	P := wren.NewTable[pagedTable]("paged")
	is.NoErr(wren.CreateTables(ctx, db, P))
	batch := make([]*pagedRow, rows)
	for i := range batch {
		batch[i] = &pagedRow{N: int64(i)}
	}
	is.NoErr(wren.Create(ctx, db, P, batch...))
	return P
}

func TestPagesReadTheSameRows(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *wren.DB) {
		is := is.New(t)
		ctx := ctxT(t)
		P := fillPaged(t, db, 300)
		for _, size := range []int{1, 7, 20, 100} {
			var all []int64
			for page := 1; ; page++ {
				got, err := wren.All[pagedRow](ctx, db, wren.Select(P).From(P).Where(P.N.Gt(9)).OrderBy(P.N).Paginate(page, size))
				is.NoErr(err)
				is.True(len(got) <= size)
				for _, r := range got {
					all = append(all, r.N)
				}
				if len(got) < size {
					break
				}
			}
			is.Equal(len(all), 290) // every row with N > 9, once
			for i, n := range all {
				is.Equal(n, int64(10+i))
			}
		}
	})
}

func TestPostgresKeepsPagePlan(t *testing.T) {
	is := is.New(t)
	ctx := ctxT(t)
	db := openSized(t, "postgres", 1) // one connection: the statements and pg_prepared_statements share a session
	P := fillPaged(t, db, 2000)
	page := wren.Select(P).From(P).Where(P.N.Gt(100)).OrderBy(P.N).Limit(20)
	text, args, err := page.SQL(db.Dialect())
	is.NoErr(err)
	is.Equal(text, `SELECT "id", "n" FROM "paged" WHERE "n" > $1 ORDER BY "n" LIMIT 20`)
	is.Equal(args, []any{int64(100)})
	bound := wren.RawStmt(`SELECT "id", "n" FROM "paged" WHERE "n" > ? ORDER BY "n" LIMIT ?`, int64(100), int64(20))
	for range 10 {
		got, err := wren.All[pagedRow](ctx, db, page)
		is.NoErr(err)
		is.Equal(len(got), 20)
		is.Equal(got[0].N, int64(101))
		got, err = wren.All[pagedRow](ctx, db, bound)
		is.NoErr(err)
		is.Equal(len(got), 20)
	}
	type plans struct {
		Statement    string
		GenericPlans int64
		CustomPlans  int64
	}
	ps, err := wren.All[plans](ctx, db, wren.RawStmt(`SELECT statement, generic_plans, custom_plans FROM pg_prepared_statements WHERE statement LIKE '%"paged"%ORDER BY%'`))
	is.NoErr(err)
	seen := 0
	for _, p := range ps {
		switch {
		case strings.HasSuffix(p.Statement, "LIMIT 20"):
			// Planned for the value a few times, then the kept plan.
			t.Logf("LIMIT 20: %d generic plans, %d custom", p.GenericPlans, p.CustomPlans)
			is.True(p.GenericPlans >= 5)
			seen++
		case strings.HasSuffix(p.Statement, "LIMIT $2"):
			t.Logf("LIMIT $2: %d generic plans, %d custom", p.GenericPlans, p.CustomPlans)
			is.Equal(p.GenericPlans, int64(0)) // planned anew on every run
			is.Equal(p.CustomPlans, int64(10))
			seen++
		}
	}
	is.Equal(seen, 2) // both statements are prepared on the one connection
}
