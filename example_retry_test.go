package wren_test

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/wrensql/wren"
)

// Atomic with MaxAttempts runs a transaction again when the database rolled
// it back to resolve a conflict (a deadlock, a serialization failure,
// SQLite's BUSY): IsRetryable says which errors those are. ":memory:" is one
// in-memory database shared by the DB's connections.
func ExampleTxOptions_maxAttempts() {
	ctx := context.Background()
	db, err := wren.Open(ctx, "sqlite", ":memory:")
	if err != nil {
		fmt.Println(err)
		return
	}
	defer db.Close()
	if err := wren.CreateTables(ctx, db, Users); err != nil {
		fmt.Println(err)
		return
	}
	attempts := 0
	err = db.Atomic(ctx, func(tx *wren.Tx) error {
		attempts++
		return wren.Create(ctx, tx, Users, &User{Username: "huey", Age: 3})
	}, wren.TxOptions{MaxAttempts: 5})
	fmt.Println(err, attempts)
	fmt.Println(wren.IsRetryable(errors.New("not from a database")))
	n, err := wren.Count(ctx, db, wren.Select(Users.ID).From(Users))
	fmt.Println(n, err)
	// Output:
	// <nil> 1
	// false
	// 1 <nil>
}

// Every statement on a transaction or savepoint that has ended fails with
// ErrTxDone, and a context that ends stays the cause of the error.
func ExampleErrTxDone() {
	ctx := context.Background()
	db, err := wren.Open(ctx, "sqlite", ":memory:")
	if err != nil {
		fmt.Println(err)
		return
	}
	defer db.Close()
	if err := wren.CreateTables(ctx, db, Users); err != nil {
		fmt.Println(err)
		return
	}
	tx, err := db.Begin(ctx)
	if err != nil {
		fmt.Println(err)
		return
	}
	sp, _ := tx.Savepoint(ctx)
	_ = sp.Commit(ctx)
	err = wren.Create(ctx, sp, Users, &User{Username: "late", Age: 1})
	fmt.Println(errors.Is(err, wren.ErrTxDone))
	_ = tx.Rollback(ctx)

	c, cancel := context.WithTimeout(ctx, time.Nanosecond)
	defer cancel()
	time.Sleep(time.Millisecond)
	_, err = wren.Count(c, db, wren.Select(Users.ID).From(Users))
	fmt.Println(errors.Is(err, context.DeadlineExceeded))
	// Output:
	// true
	// true
}
