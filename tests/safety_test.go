package tests

import (
	"sort"
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
