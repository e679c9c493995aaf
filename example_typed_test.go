package wren_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/wrensql/wren"
)

// A typed select's SELECT list decides its row type: Rows returns a
// []wren.Row2[int64, string] here, and assigning it to anything else does
// not compile. Values and Value read a select of one expression.
func ExampleRows() {
	ctx := context.Background()
	dir, _ := os.MkdirTemp("", "wren-example")
	defer os.RemoveAll(dir)
	db, err := wren.Open(ctx, "sqlite", filepath.Join(dir, "typed.db"))
	if err != nil {
		fmt.Println(err)
		return
	}
	defer db.Close()
	if err := wren.CreateTables(ctx, db, Users); err != nil {
		fmt.Println(err)
		return
	}
	_, err = wren.Exec(ctx, db, wren.Insert(Users).Rows(User{ID: 1, Username: "huey", Age: 7}, User{ID: 2, Username: "mickey", Age: 9}))
	if err != nil {
		fmt.Println(err)
		return
	}

	q := wren.Select2(Users.ID, Users.Username).From(Users).OrderBy(Users.ID)
	rows, err := wren.Rows(ctx, db, q)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, r := range rows {
		fmt.Println(r.V1, r.V2)
	}

	// Into a struct of your own, with no allocation per row.
	type Named struct {
		ID   int64
		Name string
	}
	named := wren.MapRows(rows, func(r wren.Row2[int64, string]) Named { return Named{r.V1, r.V2} })
	fmt.Printf("%+v\n", named[1])

	names, _ := wren.Values(ctx, db, wren.Select1(Users.Username).From(Users).Where(Users.Age.Gt(8)))
	fmt.Println(names)
	n, _ := wren.Value(ctx, db, wren.SubqueryOf(wren.CountAll()).From(Users))
	fmt.Println(n)
	_, err = wren.Value(ctx, db, wren.Select1(Users.Age).From(Users).Where(Users.ID.Eq(3)))
	fmt.Println(errors.Is(err, wren.ErrNoRows))
	// Output:
	// 1 huey
	// 2 mickey
	// {ID:2 Name:mickey}
	// [mickey]
	// 2
	// true
}

// Typed selects of one row type combine; the result keeps the row type, and
// a UNION of selects of different row types does not compile.
func ExampleTypedSelect_Union() {
	young := wren.Select2(Users.ID, Users.Username).From(Users).Where(Users.Age.Lt(8))
	old := wren.Select2(Users.ID, Users.Username).From(Users).Where(Users.Age.Gt(60))
	var q wren.TypedCompound[wren.Row2[int64, string]] = young.Union(old).OrderBy(Users.ID)
	show(q)
	// Output:
	// SELECT "id", "username" FROM "users" WHERE "age" < $1 UNION SELECT "id", "username" FROM "users" WHERE "age" > $2 ORDER BY "id"
	// [8 60]
}

// An aggregate that is NULL over no rows (Sum, Avg, Min, Max) is a *T in a
// typed select, named or not; Coalesce makes it a T again.
func ExampleNullAgg() {
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
	_, err = wren.Exec(ctx, db, wren.Insert(Users).Rows(User{ID: 1, Username: "huey", Age: 7}))
	if err != nil {
		fmt.Println(err)
		return
	}

	oldest := wren.Max(Users.Age).As("oldest")
	row, err := wren.FirstRow(ctx, db, wren.Select2(oldest, wren.Coalesce(wren.Sum(Users.Age), wren.Val(int64(0)))).
		From(Users).Where(Users.Age.Gt(100)))
	if err != nil {
		fmt.Println(err)
		return
	}
	var max *int64 = row.V1 // nil: no user is over 100
	var sum int64 = row.V2  // 0, from Coalesce
	fmt.Println(max == nil, sum)
	// Output: true 0
}

// A prepared query is built and rendered once; each run binds its
// parameters' values, typed by NewParam.
func ExamplePrepare() {
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
	_, err = wren.Exec(ctx, db, wren.Insert(Users).Rows(User{ID: 1, Username: "huey", Age: 7}, User{ID: 2, Username: "mickey", Age: 9}))
	if err != nil {
		fmt.Println(err)
		return
	}

	minAge := wren.NewParam[int64]("min_age")
	olderThan := wren.Prepare[string](wren.Select(Users.Username).From(Users).Where(Users.Age.GteExpr(minAge)).OrderBy(Users.ID))
	for _, age := range []int64{8, 1} {
		names, err := olderThan.All(ctx, db, wren.Bind(minAge, age))
		fmt.Println(names, err)
	}
	// Output:
	// [mickey] <nil>
	// [huey mickey] <nil>
}

// A batch sends independent statements together — in one round trip on
// PostgreSQL — and hands back each typed result: here a page of rows and
// the total count.
func ExampleBatch() {
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
	_, err = wren.Exec(ctx, db, wren.Insert(Users).Rows(User{ID: 1, Username: "huey", Age: 7}, User{ID: 2, Username: "mickey", Age: 9}))
	if err != nil {
		fmt.Println(err)
		return
	}

	b := wren.NewBatch()
	page := wren.QueueAll[string](b, wren.Select(Users.Username).From(Users).OrderBy(Users.ID).Limit(1))
	total := wren.QueueOne[int64](b, wren.Select(wren.CountAll()).From(Users))
	if err := b.Run(ctx, db); err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(page.Value(), total.Value())
	// Output: [huey] 2
}
