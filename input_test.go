package wren_test

import (
	"context"
	"math"
	"strings"
	"testing"

	"github.com/wrensql/wren"
	"github.com/wrensql/wren/dialect"
	"github.com/wrensql/wren/internal/golden"
)

// TestBadInputNeverPanics: nil and empty input, as it comes from a map
// lookup that missed or a form field left empty, is an error naming what
// was wrong, on every dialect, and never a panic.
func TestBadInputNeverPanics(t *testing.T) {
	U := golden.Users
	sorts := map[string]wren.Orderable{"name": U.Username}
	var nilUsers *golden.UserTable
	var nilDB *wren.DB
	ctx := context.Background()
	q := wren.Select(U.ID).From(U)
	cases := []struct {
		name string
		want string
		err  func() error
	}{
		{"Select(nil)", "item 1 of 1 is nil", render(wren.Select(nil).From(U))},
		{"Select with a nil descriptor", "item 2 of 2 is nil", render(wren.Select(U.ID, nilUsers).From(U))},
		{"Columns(nil)", "is nil", render(q.Columns(nil))},
		{"OrderBy(nil)", "ORDER BY: a nil or empty term", render(q.OrderBy(sorts["missing"]))},
		{"OrderBy(zero OrderTerm)", "ORDER BY: a nil or empty term", render(q.OrderBy(wren.OrderTerm{}))},
		{"window OrderBy(nil)", "ORDER BY: a nil or empty term", render(wren.Select(wren.RowNumber().Over(wren.Window().OrderBy(nil)).As("n")).From(U))},
		{"From(nil)", "nil table descriptor", render(wren.Select(U.ID).From(nil))},
		{"From(nil descriptor)", "nil table descriptor", render(wren.Select(wren.CountAll()).From(nilUsers))},
		{"Join(nil descriptor)", "nil table descriptor", render(q.Join(nilUsers, U.ID.Eq(1)))},
		{"Update(nil)", "without a table", render(wren.Update(nilUsers).Set(wren.Set(U.Age, int64(1))).All())},
		{"Delete(nil)", "without a table", render(wren.Delete(nil).All())},
		{"Returning(nil)", "Returning: item 1 of 1 is nil", render(wren.Delete(U).Where(U.ID.Eq(1)).Returning(nil))},
		{"Alias(nil)", "the table descriptor is nil", render(aliasQuery(wren.Alias(nilUsers, "x")))},
		{"Alias(t, \"\")", `empty alias`, render(aliasQuery(wren.Alias(U, "")))},
		{"Insert().Select(nil, q)", "no target columns", render(wren.Insert(U).Select(nil, wren.Select(U.Username).From(U)))},
		{"Insert().Select(nil column)", "target column 2 of 2 is nil", render(wren.Insert(U).Select(wren.Columns(U.Username, nil), wren.Select(U.Username, U.Age).From(U)))},
		{"Insert().Select(count mismatch)", "2 target columns, but the query selects 1", render(wren.Insert(U).Select(wren.Columns(U.Username, U.Age), wren.Select(U.Username).From(U)))},
		{"Insert().Select(other table)", "is a column of tweets", render(wren.Insert(U).Select(wren.Columns(golden.Tweets.Content), wren.Select(U.Username).From(U)))},
		{"Paginate(1<<62+1, 4)", "Paginate(4611686018427387905, 4): page 4611686018427387905 of 4 rows would start past the largest OFFSET", render(q.Paginate(1<<62+1, 4))},
		{"Paginate(MaxInt/2, 4)", "would start past the largest OFFSET", render(q.Paginate(math.MaxInt/2, 4))},
		{"Paginate(MaxInt, MaxInt)", "would start past the largest OFFSET", render(q.Paginate(math.MaxInt, math.MaxInt))},
		{"All(ctx, nil, q)", "no database", func() error { _, err := wren.All[int64](ctx, nil, q); return err }},
		{"One(ctx, nil *DB, q)", "no database", func() error { _, err := wren.One[int64](ctx, nilDB, q); return err }},
		{"Iter(ctx, nil, q)", "no database", func() error {
			for _, err := range wren.Iter[int64](ctx, nil, q) {
				return err
			}
			return nil
		}},
		{"Exec(ctx, nil, s)", "no database", func() error { _, err := wren.Exec(ctx, nil, wren.Delete(U).All()); return err }},
		{"Count(ctx, nil, q)", "no database", func() error { _, err := wren.Count(ctx, nil, q); return err }},
		{"Create(ctx, nil, t, row)", "no database", func() error { return wren.Create(ctx, nil, U, &golden.NewUser{}) }},
		{"Create(ctx, db, nil, row)", "without a table", func() error {
			db := wren.OpenDB(nil, dialect.SQLite)
			return wren.Create(ctx, db, nilUsers, &golden.NewUser{})
		}},
		{"CreateTable(nil descriptor)", "without a table", render(wren.CreateTable(nilUsers))},
		{"CreateTables(ctx, db, nil descriptor)", "nil or uninitialised table descriptor", func() error {
			return wren.CreateTables(ctx, wren.OpenDB(nil, dialect.SQLite), nilUsers)
		}},
		{"All(ctx, db, nil)", "no statement", func() error {
			_, err := wren.All[int64](ctx, wren.OpenDB(nil, dialect.SQLite), nil)
			return err
		}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			defer func() {
				if p := recover(); p != nil {
					t.Fatalf("panicked: %v", p)
				}
			}()
			err := c.err()
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("error %v, want one containing %q", err, c.want)
			}
		})
	}
}

// render returns a func that renders s for every dialect and returns the
// first error (each dialect must fail).
func render(s wren.Statement) func() error {
	return func() error {
		var first error
		for _, d := range golden.Dialects {
			_, _, err := s.SQL(d)
			if err == nil {
				return nil
			}
			if first == nil {
				first = err
			}
		}
		return first
	}
}

func aliasQuery(a *golden.UserTable) wren.Statement {
	return wren.Select(a.ID).From(a).Where(a.Age.Gt(1))
}

// TestSetTwice: an UPDATE that assigns a column twice is an error on every
// dialect (PostgreSQL refuses it, MySQL would silently keep the last), also
// when the two assignments come through an alias of the table.
func TestSetTwice(t *testing.T) {
	U := golden.Users
	A := wren.Alias(U, "a")
	twice := "assigns column username twice"
	for _, c := range []struct {
		name string
		sets []wren.Assignment
		want string
	}{
		{"same column", []wren.Assignment{wren.Set(U.Username, "x"), wren.Set(U.Age, int64(1)), wren.Set(U.Username, "y")}, twice},
		{"alias then table", []wren.Assignment{wren.Set(A.Username, "x"), wren.Set(U.Username, "y")}, twice},
		{"table then alias", []wren.Assignment{wren.Set(U.Age, int64(1)), wren.Set(U.Username, "x"), wren.Set(A.Username, "y")}, twice},
		{"distinct columns", []wren.Assignment{wren.Set(U.Username, "x"), wren.Set(A.Age, int64(1))}, ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			for _, d := range golden.Dialects {
				text, _, err := wren.Update(U).Set(c.sets...).Where(U.ID.Eq(1)).SQL(d)
				switch {
				case c.want == "" && err != nil:
					t.Fatalf("%s: %v", d, err)
				case c.want != "" && (err == nil || !strings.Contains(err.Error(), c.want)):
					t.Fatalf("%s: %q, error %v, want one containing %q", d, text, err, c.want)
				}
			}
		})
	}
}

// TestIsNil: the nil check behind every "is nil" error tells nil pointers,
// maps, funcs and slices inside an interface from values, including
// structs that hold one nil pointer (a zero Column's expression).
func TestIsNil(t *testing.T) {
	var p *int
	var m map[string]int
	var f func()
	var s []int
	one := 1
	for _, c := range []struct {
		v    any
		want bool
	}{
		{nil, true}, {p, true}, {m, true}, {f, true}, {s, true},
		{&one, false}, {map[string]int{}, false}, {func() {}, false}, {[]int{}, false},
		{0, false}, {"", false}, {struct{ p *int }{}, false}, {wren.Column[int64]{}, false},
	} {
		if got := wren.IsNil(c.v); got != c.want {
			t.Errorf("isNil(%#v) = %v, want %v", c.v, got, c.want)
		}
	}
}
