package wren_test

import (
	"context"
	"errors"
	"fmt"

	"github.com/wrensql/wren"
)

// Constraint violations are the same errors on every database, with the
// names the driver gives.
func ExampleConstraintError() {
	ctx := context.Background()
	db, err := wren.Open(ctx, "sqlite", ":memory:")
	if err != nil {
		panic(err)
	}
	defer db.Close()
	if err := wren.CreateTables(ctx, db, Users); err != nil {
		panic(err)
	}
	add := wren.Insert(Users).Set(wren.Set(Users.Username, "huey"), wren.Set(Users.Age, int64(3)))
	if _, err := wren.Exec(ctx, db, add); err != nil {
		panic(err)
	}
	_, err = wren.Exec(ctx, db, add)
	var ce *wren.ConstraintError
	if errors.Is(err, wren.ErrUniqueViolation) && errors.As(err, &ce) {
		fmt.Println("taken:", ce.Table, ce.Column)
	}
	var qe *wren.QueryError
	if errors.As(err, &qe) {
		fmt.Println(qe.Op, qe.SQL)
	}
	// Output:
	// taken: users username
	// exec INSERT INTO "users" ("username", "age") VALUES (?, ?)
}

// A hook sees every statement with its outcome.
func ExampleDB_SetHook() {
	ctx := context.Background()
	db, err := wren.Open(ctx, "sqlite", ":memory:")
	if err != nil {
		panic(err)
	}
	defer db.Close()
	db.SetHook(printHook{})
	if _, err := wren.All[int64](ctx, db, wren.RawStmt("SELECT 1 UNION ALL SELECT ?", 2)); err != nil {
		panic(err)
	}
	// Output:
	// query "SELECT 1 UNION ALL SELECT ?" with 1 argument(s): 2 row(s), error <nil>
}

type printHook struct{}

func (printHook) BeforeQuery(ctx context.Context, e *wren.QueryEvent) context.Context { return ctx }

func (printHook) AfterQuery(ctx context.Context, e *wren.QueryEvent) {
	fmt.Printf("%s %q with %d argument(s): %d row(s), error %v\n", e.Op, e.SQL, len(e.Args), e.Rows, e.Err)
}

// wren statements can run in a transaction other code began, such as
// sqlc's or hand-written database/sql; that code commits it.
func ExampleDB_WithSQLTx() {
	ctx := context.Background()
	db, err := wren.Open(ctx, "sqlite", ":memory:")
	if err != nil {
		panic(err)
	}
	defer db.Close()
	if err := wren.CreateTables(ctx, db, Users); err != nil {
		panic(err)
	}
	tx, err := db.SQLDB().BeginTx(ctx, nil)
	if err != nil {
		panic(err)
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, `INSERT INTO users (username, age) VALUES ('huey', 3)`); err != nil {
		panic(err)
	}
	q := db.WithSQLTx(tx)
	if _, err := wren.Exec(ctx, q, wren.Update(Users).Set(wren.Set(Users.Age, int64(4))).Where(Users.Username.Eq("huey"))); err != nil {
		panic(err)
	}
	if err := tx.Commit(); err != nil {
		panic(err)
	}
	age, err := wren.One[int64](ctx, db, wren.Select(Users.Age).From(Users))
	fmt.Println(age, err)
	// Output:
	// 4 <nil>
}
