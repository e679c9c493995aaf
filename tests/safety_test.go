package tests

import (
	"sort"
	"strings"
	"testing"

	"github.com/matryer/is"

	"github.com/wrensql/wren"
)

// usernames runs q (selecting usernames) and returns them sorted.
func usernames(t *testing.T, db *wren.DB, q wren.SelectQuery) []string {
	t.Helper()
	got, err := wren.All[string](ctxT(t), db, q)
	if err != nil {
		t.Fatalf("%v", err)
	}
	sort.Strings(got)
	if got == nil {
		got = []string{}
	}
	return got
}

// TestNilComparisonsMatchNull: Eq(nil), Ne(nil) and nil in an In/NotIn
// list on a nullable column find the rows Go code means (SQL's "= NULL"
// would find none), on every database and in both IN forms (the array
// parameter on PostgreSQL).
func TestNilComparisonsMatchNull(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *wren.DB) {
		is := is.New(t)
		seed(t, db) // huey has an email, mickey has none
		mustExec(t, db, "INSERT INTO users (id, username, email, age, score, active, created_at) VALUES (3, 'zoe', 'zoe@example.com', 4, 0, ?, ?)", true, "2099-01-01 00:00:00")
		sel := wren.Select(U.Username).From(U)
		huey := ptr("huey@example.com")
		is.Equal(usernames(t, db, sel.Where(U.Email.Eq(nil))), []string{"mickey"})
		is.Equal(usernames(t, db, sel.Where(U.Email.Ne(nil))), []string{"huey", "zoe"})
		is.Equal(usernames(t, db, sel.Where(U.Email.EqExpr(wren.Val[*string](nil)))), []string{"mickey"})
		is.Equal(usernames(t, db, sel.Where(U.Email.In(huey, nil))), []string{"huey", "mickey"})
		is.Equal(usernames(t, db, sel.Where(U.Email.In(nil))), []string{"mickey"})
		is.Equal(usernames(t, db, sel.Where(U.Email.NotIn(huey, nil))), []string{"zoe"})
		is.Equal(usernames(t, db, sel.Where(U.Email.NotIn(nil))), []string{"huey", "zoe"})
		is.Equal(usernames(t, db, sel.Where(wren.Not(U.Email.In(huey, nil)))), []string{"zoe"})
		is.Equal(usernames(t, db, sel.Where(wren.Not(U.Email.NotIn(huey, nil)))), []string{"huey", "mickey"})

		// No meaning in SQL: refused before anything runs.
		_, err := wren.All[string](ctxT(t), db, sel.Where(U.Email.Gt(nil)))
		is.True(err != nil)
	})
}

// TestAlwaysTrueWhereIsRefused: an UPDATE or DELETE whose WHERE holds for
// every row (an empty NotIn list, Not(Or()), an Or with such a branch, a
// Contains of "") is refused like one without WHERE, and every row is still
// there afterwards; All() still runs it.
func TestAlwaysTrueWhereIsRefused(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *wren.DB) {
		is := is.New(t)
		ctx := ctxT(t)
		seed(t, db)
		var keep []int64
		for _, s := range []wren.Statement{
			wren.Delete(T).Where(T.ID.NotIn(keep...)),
			wren.Delete(T).Where(wren.Not(wren.Or())),
			wren.Delete(T).Where(wren.Or(T.Likes.Gt(100), wren.Not(wren.Or()))),
			wren.Delete(T).Where(wren.Contains(T.Content, "")),
			wren.Delete(T).Where(wren.And(wren.And(), T.ID.NotIn())),
			wren.Update(T).Set(wren.Set(T.Likes, int64(0))).Where(T.ID.NotIn(keep...)),
			wren.Update(U).Set(wren.Set(U.Age, int64(0))).Where(wren.StartsWith(U.Username, "")),
		} {
			_, err := wren.Exec(ctx, db, s)
			is.True(err != nil && strings.Contains(err.Error(), "always true"))
		}
		n, err := wren.Count(ctx, db, wren.Select(T.ID).From(T))
		is.NoErr(err)
		is.Equal(n, int64(3)) // nothing deleted
		likes, err := wren.All[int64](ctx, db, wren.Select(T.Likes).From(T).OrderBy(T.ID))
		is.NoErr(err)
		is.Equal(likes, []int64{3, 0, 5}) // nothing updated
		ages, err := wren.All[int64](ctx, db, wren.Select(U.Age).From(U).OrderBy(U.ID))
		is.NoErr(err)
		is.Equal(ages, []int64{7, 9})

		// A restricting condition beside it, and All(), still run.
		res, err := wren.Exec(ctx, db, wren.Delete(T).Where(T.ID.NotIn(keep...), T.Likes.Lt(1)))
		is.NoErr(err)
		is.Equal(res.RowsAffected, int64(1))
		res, err = wren.Exec(ctx, db, wren.Delete(T).Where(T.ID.NotIn(keep...)).All())
		is.NoErr(err)
		is.Equal(res.RowsAffected, int64(2))
	})
}
