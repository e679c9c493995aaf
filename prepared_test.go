package wren_test

import (
	"context"
	"reflect"
	"strings"
	"testing"

	"github.com/wrensql/wren"
	"github.com/wrensql/wren/dialect"
	"github.com/wrensql/wren/internal/golden"
)

// TestPreparedSQL: a Prepared statement renders once per dialect as Val
// would, with its parameters' places marked; binding checks every
// parameter has a value, no value is for a parameter the statement lacks,
// and no value is nil.
func TestPreparedSQL(t *testing.T) {
	U := golden.Users
	minAge := wren.NewParam[int64]("min_age")
	name := wren.NewParam[string]("name")
	q := wren.Prepare[golden.NewUser](wren.Select(U.ID, U.Username).From(U).
		Where(U.Age.GteExpr(minAge), wren.Or(U.Username.EqExpr(name), U.Age.Lt(3))).Limit(10))
	want := map[*dialect.Dialect]string{
		dialect.Postgres: `SELECT "id", "username" FROM "users" WHERE "age" >= CAST($1 AS BIGINT) AND ("username" = CAST($2 AS TEXT) OR "age" < $3) LIMIT 10`,
		dialect.MySQL:    "SELECT `id`, `username` FROM `users` WHERE `age` >= ? AND (`username` = ? OR `age` < ?) LIMIT ?",
		dialect.SQLite:   `SELECT "id", "username" FROM "users" WHERE "age" >= ? AND ("username" = ? OR "age" < ?) LIMIT 10`,
	}
	for d, w := range want {
		text, args, err := q.SQL(d)
		wantArgs := []any{int64(3), int64(10)}
		if d.InlineLimit() {
			wantArgs = wantArgs[:1] // LIMIT 10 in the text
		}
		if err != nil || text != w || len(args) != 2+len(wantArgs) || !reflect.DeepEqual(args[2:], wantArgs) {
			t.Errorf("%s: %v\n got: %s %v\nwant: %s", d, err, text, args, w)
		}
	}
	// Run directly, a statement with a Param is refused, naming it.
	_, _, err := wren.Select(U.ID).From(U).Where(U.Age.GteExpr(minAge)).SQL(dialect.SQLite)
	if err == nil || !strings.Contains(err.Error(), `parameter "min_age" needs a value`) {
		t.Fatalf("unprepared: %v", err)
	}
}

// TestPreparedBindErrors checks the values given to a Prepared statement
// before anything is sent.
func TestPreparedBindErrors(t *testing.T) {
	ctx := context.Background()
	db, err := wren.Open(ctx, "sqlite", ":memory:")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	U := golden.Users
	minAge := wren.NewParam[int64]("min_age")
	email := wren.NewParam[*string]("email")
	other := wren.NewParam[int64]("other")
	q := wren.Prepare[int64](wren.Select(U.ID).From(U).Where(U.Age.GteExpr(minAge), U.Email.EqExpr(email)))
	for _, c := range []struct {
		args []wren.Arg
		want string
	}{
		{nil, `parameter "min_age" has no value`},
		{[]wren.Arg{wren.Bind(minAge, 1)}, `parameter "email" has no value`},
		{[]wren.Arg{wren.Bind(minAge, 1), wren.Bind(email, nil)}, `parameter "email" is nil`},
		{[]wren.Arg{wren.Bind(minAge, 1), wren.Bind(email, new(string)), wren.Bind(other, 2)}, `parameter "other" is not in the statement`},
		{[]wren.Arg{wren.Bind(minAge, 1), wren.Bind(email, new(string)), wren.Bind(wren.Param[int64]{}, 2)}, `zero Param`},
	} {
		_, err := q.All(ctx, db, c.args...)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%v: got %v, want %q", c.args, err, c.want)
		}
	}
}

// BenchmarkPrepared compares a query built and rendered on every call with
// the same query prepared once, reading one row from an SQLite file.
func BenchmarkPrepared(b *testing.B) {
	ctx := context.Background()
	db, err := wren.Open(ctx, "sqlite", b.TempDir()+"/prep.db")
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	M := wren.NewTable[bench10TableExt]("bench10")
	if err := wren.CreateTables(ctx, db, M); err != nil {
		b.Fatal(err)
	}
	if _, err := wren.Exec(ctx, db, wren.Insert(M).Rows(bench10Row{Name: "n", Age: 5})); err != nil {
		b.Fatal(err)
	}
	id := wren.NewParam[int64]("id")
	prep := wren.Prepare[bench10Row](wren.Select(M.ID, M.Name, M.Age).From(M).Where(M.ID.EqExpr(id), M.Age.Gte(0)))
	b.Run("built", func(b *testing.B) {
		b.ReportAllocs()
		for i := 0; i < b.N; i++ {
			if _, err := wren.One[bench10Row](ctx, db, wren.Select(M.ID, M.Name, M.Age).From(M).Where(M.ID.Eq(1), M.Age.Gte(0))); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("prepared", func(b *testing.B) {
		b.ReportAllocs()
		for i := 0; i < b.N; i++ {
			if _, err := prep.One(ctx, db, wren.Bind(id, 1)); err != nil {
				b.Fatal(err)
			}
		}
	})
}

type bench10TableExt struct {
	wren.Table
	ID   wren.Column[int64] `wren:",pk"`
	Name wren.Column[string]
	Age  wren.Column[int64]
}

type bench10Row struct {
	ID   int64
	Name string
	Age  int64
}

// TestPrepareNil: a nil statement, or a nil *SelectQuery, is an error when
// the Prepared is used, never a panic when it is made.
func TestPrepareNil(t *testing.T) {
	var q *wren.SelectQuery
	for _, s := range []wren.Statement{nil, q} {
		p := wren.Prepare[int64](s)
		if _, _, err := p.SQL(dialect.SQLite); err == nil || !strings.Contains(err.Error(), "nil statement") {
			t.Errorf("Prepare(%#v): %v, want the nil statement refused", s, err)
		}
	}
}
