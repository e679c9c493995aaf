package wren_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"

	"github.com/wrensql/wren"
)

// A struct embedding wren.Strict must have every field filled: a query that
// leaves one empty fails before any row is read. The default, without
// Strict, leaves such a field at its zero value.
func ExampleStrict() {
	ctx := context.Background()
	dir, _ := os.MkdirTemp("", "wren-example")
	defer os.RemoveAll(dir)
	db, err := wren.Open(ctx, "sqlite", filepath.Join(dir, "strict.db"))
	if err != nil {
		fmt.Println(err)
		return
	}
	defer db.Close()
	if err := wren.CreateTables(ctx, db, Users); err != nil {
		fmt.Println(err)
		return
	}

	type StrictUser struct {
		wren.Strict
		ID       int64
		Username string
		Age      int64
	}
	_, err = wren.All[StrictUser](ctx, db, wren.Select(Users.ID, Users.Username).From(Users))
	fmt.Println(err)
	// Output:
	// wren: scan: wren_test.StrictUser embeds Strict, but no column fills field StrictUser.Age (int64): select a column named "age", or tag the field `db:"-"`
}

// A column's Go type is checked against its field when the scan plan is
// built, so an int64 is never turned into text behind the caller's back.
func ExampleScanError() {
	ctx := context.Background()
	dir, _ := os.MkdirTemp("", "wren-example")
	defer os.RemoveAll(dir)
	db, err := wren.Open(ctx, "sqlite", filepath.Join(dir, "types.db"))
	if err != nil {
		fmt.Println(err)
		return
	}
	defer db.Close()
	if err := wren.CreateTables(ctx, db, Users); err != nil {
		fmt.Println(err)
		return
	}

	type Row struct {
		ID  int64
		Age string // users.age is a Column[int64]
	}
	_, err = wren.All[Row](ctx, db, wren.Select(Users.ID, Users.Age).From(Users))
	fmt.Println(err)
	// Output:
	// wren: scan: column users.age into field Row.Age (string): the column holds int64, which string cannot hold without a conversion: declare the field as int64 (or *int64, sql.Null[int64]), or convert in the query (wren.Cast)
}
