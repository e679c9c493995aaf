package tests

import (
	"database/sql"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/matryer/is"

	"github.com/wrensql/wren"
	"github.com/wrensql/wren/internal/golden"
)

// planErr asserts that err is a plan-time refusal of column into field,
// naming both, whose message contains every one of wants. column "*" is
// any column (the driver names an unaliased expression).
func planErr(t *testing.T, err error, column, field string, wants ...string) {
	t.Helper()
	var se *wren.ScanError
	if !errors.As(err, &se) {
		t.Fatalf("want a *wren.ScanError for column %s into field %s, got %v", column, field, err)
	}
	if (column != "*" && se.Column != column) || !strings.HasSuffix(se.Field, field) {
		t.Fatalf("error names column %q and field %q, want %q and …%q: %v", se.Column, se.Field, column, field, err)
	}
	for _, w := range wants {
		if !strings.Contains(err.Error(), w) {
			t.Fatalf("error does not say %q: %v", w, err)
		}
	}
}

// TestScanTypesCheckedAtPlanTime: a column whose Go type a field cannot
// hold without a conversion is refused when the plan is built, on an empty
// table as on a full one — not converted to text.
func TestScanTypesCheckedAtPlanTime(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *wren.DB) {
		is := is.New(t)
		ctx := ctxT(t)
		seed(t, db)

		type idText struct {
			ID string
		}
		_, err := wren.All[idText](ctx, db, wren.Select(U.ID).From(U))
		planErr(t, err, "users.id", "idText.ID", "int64", "string")
		// Before any row: the same query on no rows fails the same way.
		_, err = wren.All[idText](ctx, db, wren.Select(U.ID).From(U).Where(U.ID.Lt(0)))
		planErr(t, err, "users.id", "idText.ID", "int64", "string")

		type countText struct {
			N string
		}
		_, err = wren.One[countText](ctx, db, wren.Select(wren.CountAll().As("n")).From(U))
		planErr(t, err, "n", "countText.N", "int64", "string")
		_, err = wren.One[string](ctx, db, wren.Select(wren.CountAll()).From(U))
		planErr(t, err, "*", "string", "int64")

		type timeText struct {
			CreatedAt string
		}
		_, err = wren.All[timeText](ctx, db, wren.Select(U.CreatedAt).From(U))
		planErr(t, err, "users.created_at", "timeText.CreatedAt", "time.Time", "string")

		// A narrower number would truncate: refused too.
		type narrow struct {
			Age int32
		}
		_, err = wren.All[narrow](ctx, db, wren.Select(U.Age).From(U))
		planErr(t, err, "users.age", "narrow.Age", "int64", "int32")

		// What can hold the values is fine: the same underlying type, a
		// pointer, sql.Null, a Scanner, a number as wide on this platform.
		type Name string
		type fine struct {
			ID        int
			Username  Name
			Email     sql.Null[string]
			Age       *int64
			Score     sql.NullFloat64
			Active    Upper // a sql.Scanner decides for itself
			CreatedAt *time.Time
		}
		rows, err := wren.All[fine](ctx, db, wren.Select(U.ID, U.Username, U.Email, U.Age, U.Score,
			wren.Cast[string](U.Username).As("active"), U.CreatedAt).From(U).OrderBy(U.ID))
		is.NoErr(err)
		is.Equal(len(rows), 2)
		is.Equal(rows[0].Username, Name("huey"))
		is.Equal(*rows[1].Age, int64(9))
		is.True(!rows[1].Email.Valid)

		// sql.Null of the wrong value type is refused like the bare type.
		type nullWrong struct {
			Age sql.NullString
		}
		_, err = wren.All[nullWrong](ctx, db, wren.Select(U.Age).From(U))
		planErr(t, err, "users.age", "nullWrong.Age", "int64")

		// A nullable column into a field that cannot hold NULL, even when no
		// row holds NULL (huey has an email).
		type email struct {
			Email string
		}
		_, err = wren.All[email](ctx, db, wren.Select(U.Email).From(U).Where(U.ID.Eq(1)))
		planErr(t, err, "users.email", "email.Email", "*string", "NULL")

		// Raw SQL has no Go types: the driver's conversions apply as before.
		raw, err := wren.All[idText](ctx, db, wren.RawStmt("SELECT id FROM users ORDER BY id"))
		is.NoErr(err)
		is.Equal(raw[0].ID, "1")
	})
}

// TestInsertRowsFieldTypes: a struct field of another Go type than its
// column is refused when the row map is built, before anything is stored.
func TestInsertRowsFieldTypes(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *wren.DB) {
		is := is.New(t)
		ctx := ctxT(t)
		for _, s := range golden.Schema(db.Dialect()) {
			mustExec(t, db, s)
		}
		type textAge struct {
			Username string
			Age      string // Column[int64]
		}
		_, err := wren.Exec(ctx, db, wren.Insert(U).Rows(textAge{Username: "x", Age: "12 years"}))
		is.True(err != nil)
		for _, w := range []string{"textAge.Age", "users.age", "int64", "string"} {
			if !strings.Contains(err.Error(), w) {
				t.Fatalf("error does not say %q: %v", w, err)
			}
		}
		n, err := wren.Count(ctx, db, wren.Select(U.ID).From(U).Where(U.Username.Eq("x")))
		is.NoErr(err)
		is.Equal(n, int64(0))

		// Fields that hold the column's values exactly are fine.
		type Name string
		type fits struct {
			Username Name
			Age      int32
			Email    sql.Null[string]
			Score    *float64
		}
		_, err = wren.Exec(ctx, db, wren.Insert(U).Rows(fits{Username: "y", Age: 3, Score: ptr(1.5)}))
		is.NoErr(err)
	})
}

// TestOuterJoinNullabilityAtPlanTime: a table on the nullable side of an
// outer join scanned into a non-pointer struct, or its columns into fields
// that cannot hold NULL, is refused when the plan is built — even when every
// row joins.
func TestOuterJoinNullabilityAtPlanTime(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *wren.DB) {
		is := is.New(t)
		ctx := ctxT(t)
		seed(t, db)
		// Every tweet has its user: the data never triggers the NULL.
		left := wren.Select(T.ID, T.Content, U).From(T).LeftJoin(U, U.ID.EqExpr(T.UserID)).OrderBy(T.ID)
		_, err := wren.All[TweetWithUser](ctx, db, left)
		planErr(t, err, "users.id", "TweetWithUser.User.ID", "*golden.NewUser", "NULL")

		type flat struct {
			ID       int64
			Content  string
			Username string
		}
		_, err = wren.All[flat](ctx, db,
			wren.Select(T.ID, T.Content, U.Username).From(T).LeftJoin(U, U.ID.EqExpr(T.UserID)))
		planErr(t, err, "users.username", "flat.Username", "*string", "outer join")
		// An alias of the column does not hide where it comes from.
		_, err = wren.All[flat](ctx, db,
			wren.Select(T.ID, T.Content, U.Username.As("username")).From(T).LeftJoin(U, U.ID.EqExpr(T.UserID)))
		planErr(t, err, "username", "flat.Username", "outer join")

		// RIGHT JOIN: the tables before it are the nullable side.
		type right struct {
			ID       *int64
			Content  string
			Username string
		}
		_, err = wren.All[right](ctx, db,
			wren.Select(T.ID, T.Content, U.Username).From(T).RightJoin(U, U.ID.EqExpr(T.UserID)))
		planErr(t, err, "tweets.content", "right.Content", "outer join")

		// The cures: a pointer struct, nullable fields.
		type TweetWithUserPtr struct {
			ID      int64
			Content string
			User    *User `db:"users"`
		}
		got, err := wren.All[TweetWithUserPtr](ctx, db, left)
		is.NoErr(err)
		is.Equal(len(got), 3)
		is.Equal(got[2].User.Username, "mickey")
		type flatOK struct {
			ID       int64
			Content  string
			Username *string
		}
		ok, err := wren.All[flatOK](ctx, db,
			wren.Select(T.ID, T.Content, U.Username).From(T).LeftJoin(U, U.ID.EqExpr(T.UserID)))
		is.NoErr(err)
		is.Equal(len(ok), 3)
		// An inner join is not nullable.
		_, err = wren.All[flat](ctx, db,
			wren.Select(T.ID, T.Content, U.Username).From(T).Join(U, U.ID.EqExpr(T.UserID)))
		is.NoErr(err)

		if db.Dialect().Name() != "postgres" && db.Dialect().Name() != "sqlite" {
			return // no FULL JOIN
		}
		_, err = wren.All[flat](ctx, db,
			wren.Select(T.ID, T.Content, U.Username).From(T).FullJoin(U, U.ID.EqExpr(T.UserID)))
		planErr(t, err, "tweets.id", "flat.ID", "outer join")
	})
}

// StrictUser wants every field filled.
type StrictUser struct {
	wren.Strict
	ID       int64
	Username string
	Age      int64
	Note     string `db:"-"` // never required
}

// TestStrictScan: in a struct embedding wren.Strict, a field that no column
// fills is a plan-time error; without it, the field stays zero.
func TestStrictScan(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *wren.DB) {
		is := is.New(t)
		ctx := ctxT(t)
		seed(t, db)
		_, err := wren.All[StrictUser](ctx, db, wren.Select(U.ID, U.Username).From(U))
		is.True(err != nil)
		for _, w := range []string{"StrictUser.Age", "Strict", `"age"`} {
			if !strings.Contains(err.Error(), w) {
				t.Fatalf("error does not say %q: %v", w, err)
			}
		}
		got, err := wren.All[StrictUser](ctx, db, wren.Select(U.ID, U.Username, U.Age).From(U).OrderBy(U.ID))
		is.NoErr(err)
		is.Equal(got[1].Age, int64(9))

		// The default stays lenient.
		type lenient struct {
			ID       int64
			Username string
			Age      int64
		}
		l, err := wren.All[lenient](ctx, db, wren.Select(U.ID, U.Username).From(U).OrderBy(U.ID))
		is.NoErr(err)
		is.Equal(l[1].Age, int64(0))

		// Nested: a strict outer struct needs its joined table; a strict
		// inner struct needs all its fields.
		type tweetStrict struct {
			wren.Strict
			ID      int64
			Content string
			User    *StrictUser `db:"users"`
		}
		_, err = wren.All[tweetStrict](ctx, db, wren.Select(T.ID, T.Content).From(T))
		is.True(err != nil && strings.Contains(err.Error(), "tweetStrict.User"))
		_, err = wren.All[tweetStrict](ctx, db, wren.Select(T.ID, T.Content, U.ID, U.Username).From(T).Join(U))
		is.True(err != nil && strings.Contains(err.Error(), "User.Age"))
		_, err = wren.All[tweetStrict](ctx, db, wren.Select(T.ID, T.Content, U.ID, U.Username, U.Age).From(T).Join(U))
		is.NoErr(err)
	})
}
