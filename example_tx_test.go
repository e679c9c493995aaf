package wren_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/wrensql/wren"
)

// A block nested in a transaction runs in a savepoint: its failure undoes only
// its own work, and the outer block still commits.
func ExampleDB_Atomic() {
	ctx := context.Background()
	dir, _ := os.MkdirTemp("", "wren-example")
	defer os.RemoveAll(dir)
	db, err := wren.Open(ctx, "sqlite", filepath.Join(dir, "tx.db"))
	if err != nil {
		fmt.Println(err)
		return
	}
	defer db.Close()
	if err := wren.CreateTables(ctx, db, Users); err != nil {
		fmt.Println(err)
		return
	}

	errOutOfStock := errors.New("out of stock")
	err = db.Atomic(ctx, func(tx *wren.Tx) error {
		if err := wren.Create(ctx, tx, Users, &User{Username: "huey", Age: 3}); err != nil {
			return err
		}
		inner := tx.Atomic(ctx, func(tx *wren.Tx) error {
			if err := wren.Create(ctx, tx, Users, &User{Username: "zaizee", Age: 2}); err != nil {
				return err
			}
			return errOutOfStock // rolls back to the savepoint
		})
		fmt.Println("inner:", inner)
		return nil // commits huey
	})
	fmt.Println("outer:", err)

	// An error from the outer block rolls everything back.
	err = db.Atomic(ctx, func(tx *wren.Tx) error {
		if err := wren.Create(ctx, tx, Users, &User{Username: "mickey", Age: 5}); err != nil {
			return err
		}
		return errOutOfStock
	})
	fmt.Println("second:", err)

	names, err := wren.All[string](ctx, db, wren.Select(Users.Username).From(Users))
	fmt.Println(names, err)
	// Output:
	// inner: out of stock
	// outer: <nil>
	// second: out of stock
	// [huey] <nil>
}

// The manual form: Begin, then Commit or Rollback.
func ExampleDB_Begin() {
	ctx := context.Background()
	dir, _ := os.MkdirTemp("", "wren-example")
	defer os.RemoveAll(dir)
	db, err := wren.Open(ctx, "sqlite", filepath.Join(dir, "tx.db"))
	if err != nil {
		fmt.Println(err)
		return
	}
	defer db.Close()
	if err := wren.CreateTables(ctx, db, Users); err != nil {
		fmt.Println(err)
		return
	}
	tx, err := db.Begin(ctx, wren.TxOptions{})
	if err != nil {
		fmt.Println(err)
		return
	}
	defer tx.Rollback(ctx) // a no-op error once committed
	if err := wren.Create(ctx, tx, Users, &User{Username: "huey", Age: 3}); err != nil {
		fmt.Println(err)
		return
	}
	n, _ := wren.Count(ctx, tx, wren.Select(Users.ID).From(Users))
	fmt.Println("inside:", n)
	fmt.Println("commit:", tx.Commit(ctx))
	n, _ = wren.Count(ctx, db, wren.Select(Users.ID).From(Users))
	fmt.Println("after:", n)
	// Output:
	// inside: 1
	// commit: <nil>
	// after: 1
}
