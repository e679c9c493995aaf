package tests

import (
	"errors"
	"testing"

	"github.com/matryer/is"

	"github.com/wrensql/wren"
	"github.com/wrensql/wren/internal/golden"
)

// TestTypedRows reads typed selects on every database: the row type comes
// from the SELECT list, NULLs land in *T fields, and a LEFT JOIN's columns
// into a field that cannot hold NULL are refused before any row is read.
func TestTypedRows(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *wren.DB) {
		is := is.New(t)
		ctx := ctxT(t)
		seed(t, db)

		q := wren.Select3(U.ID, U.Username, U.Email).From(U).OrderBy(U.ID)
		rows, err := wren.Rows(ctx, db, q)
		is.NoErr(err)
		is.Equal(len(rows), 2)
		var r wren.Row3[int64, string, *string] = rows[0]
		is.Equal(r.V1, int64(1))
		is.Equal(r.V2, "huey")
		is.Equal(*r.V3, "huey@example.com")
		is.Equal(rows[1].V3, nil)

		seen := 0
		for r, err := range wren.IterRows(ctx, db, q) {
			is.NoErr(err)
			is.Equal(r.V1, rows[seen].V1)
			seen++
		}
		is.Equal(seen, 2)

		// Clauses: join, where, group by, having, order, paginate.
		per, err := wren.Rows(ctx, db, wren.Select2(U.Username, wren.CountAll()).From(U).
			Join(T, T.UserID.EqExpr(U.ID)).Where(T.Likes.Gte(0)).GroupBy(U.Username).
			Having(wren.CountAll().Gte(1)).OrderBy(U.Username).Paginate(1, 10))
		is.NoErr(err)
		is.Equal(per, []wren.Row2[string, int64]{{V1: "huey", V2: 2}, {V1: "mickey", V2: 1}})

		ids, err := wren.Values(ctx, db, wren.Select1(T.ID).From(T).OrderBy(T.ID.Desc()).Distinct())
		is.NoErr(err)
		is.Equal(ids, []int64{3, 2, 1})
		ids, err = wren.Values(ctx, db, wren.SubqueryOf(T.ID).From(T).Where(T.UserID.Eq(2)))
		is.NoErr(err)
		is.Equal(ids, []int64{3})

		n, err := wren.Value(ctx, db, wren.SubqueryOf(wren.CountAll()).From(T))
		is.NoErr(err)
		is.Equal(n, int64(3))
		_, err = wren.Value(ctx, db, wren.Select1(U.Username).From(U).Where(U.ID.Eq(99)))
		is.True(errors.Is(err, wren.ErrNoRows))

		// A LEFT JOIN makes the joined table's columns nullable: a string
		// field is refused, a Nullable one reads nil.
		_, err = wren.Rows(ctx, db, wren.Select2(U.ID, T.Content).From(U).LeftJoin(T, T.UserID.EqExpr(U.ID)))
		var se *wren.ScanError
		is.True(errors.As(err, &se))
		opt, err := wren.Rows(ctx, db, wren.Select2(U.ID, wren.Nullable(T.Content)).From(U).
			LeftJoin(T, T.UserID.EqExpr(U.ID), T.Likes.Gt(100)).OrderBy(U.ID))
		is.NoErr(err)
		is.Equal(len(opt), 2)
		is.Equal(opt[0].V2, nil)

		// MAX and SUM over no rows are NULL: their rows hold a *T, nil
		// here, and Coalesce makes them a T again.
		mx, err := wren.Value(ctx, db, wren.Select1(wren.Max(T.Likes)).From(T).Where(T.ID.Eq(99)))
		is.NoErr(err)
		is.Equal(mx, (*int64)(nil))
		sums, err := wren.Rows(ctx, db, wren.Select3(U.Username, wren.Sum(T.Likes), wren.Coalesce(wren.Sum(T.Likes), wren.Val(int64(0)))).
			From(U).LeftJoin(T, T.UserID.EqExpr(U.ID), T.Likes.Gt(100)).GroupBy(U.Username).OrderBy(U.Username))
		is.NoErr(err)
		is.Equal(len(sums), 2)
		is.Equal(sums[0].V2, (*int64)(nil))
		is.Equal(sums[0].V3, int64(0))
		email, err := wren.Value(ctx, db, wren.Select1(wren.MaxNull(U.Email)).From(U))
		is.NoErr(err)
		is.Equal(*email, "huey@example.com")
		nullable, err := wren.Value(ctx, db, wren.Select1(wren.Nullable(wren.CountAll())).From(T).Where(T.ID.Eq(99)))
		is.NoErr(err)
		is.Equal(*nullable, int64(0))

		// Named expressions: an alias keeps its type (a nullable aggregate's
		// stays nullable) and orders the rows by its name.
		cnt := wren.CountAll().As("n")
		total := wren.Sum(T.Likes).As("total")
		byCount, err := wren.Rows(ctx, db, wren.Select3(U.Username, cnt, total).From(U).
			Join(T, T.UserID.EqExpr(U.ID)).GroupBy(U.Username).OrderBy(cnt.Desc(), U.Username))
		is.NoErr(err)
		is.Equal(len(byCount), 2)
		var first wren.Row3[string, int64, *int64] = byCount[0]
		is.Equal(first.V1, "huey")
		is.Equal(first.V2, int64(2))
		is.True(first.V3 != nil)

		// A union of typed selects keeps the row type; a typed select is a
		// typed subquery (AsSubquery), a derived table and a CTE body.
		un, err := wren.Rows(ctx, db, wren.Select2(U.ID, U.Username).From(U).Where(U.ID.Eq(1)).
			UnionAll(wren.Select2(T.ID, T.Content).From(T).Where(T.ID.Eq(3))).OrderBy(U.ID))
		is.NoErr(err)
		is.Equal(un, []wren.Row2[int64, string]{{V1: 1, V2: "huey"}, {V1: 3, V2: "woof"}})
		who, err := wren.Values(ctx, db, wren.Select1(U.Username).From(U).
			Where(U.ID.InQuery(wren.AsSubquery(wren.Select1(T.UserID).From(T).Where(T.Likes.Gt(4))))))
		is.NoErr(err)
		is.Equal(who, []string{"mickey"})
		liked := wren.Derived[golden.LikedTable](wren.Select2(T.UserID, T.Likes).From(T).Where(T.Likes.Gt(0)), "liked")
		perUser, err := wren.Rows(ctx, db, wren.Select2(liked.UserID, wren.Coalesce(wren.Sum(liked.Likes), wren.Val(int64(0)))).
			From(liked).GroupBy(liked.UserID).OrderBy(liked.UserID))
		is.NoErr(err)
		is.Equal(perUser, []wren.Row2[int64, int64]{{V1: 1, V2: 3}, {V1: 2, V2: 5}})
		cte, err := wren.Values(ctx, db, wren.Select1(golden.Liked.Likes).From(golden.Liked).OrderBy(golden.Liked.Likes).
			With(wren.CTEOf(golden.Liked, wren.Select2(T.UserID, T.Likes).From(T))))
		is.NoErr(err)
		is.Equal(cte, []int64{0, 3, 5})

		type named struct {
			ID   int64
			Name string
		}
		users := wren.MapRows(rows, func(r wren.Row3[int64, string, *string]) named { return named{r.V1, r.V2} })
		is.Equal(users[1], named{2, "mickey"})
	})
}
