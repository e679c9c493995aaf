package wren

import (
	"github.com/wrensql/wren/dialect"
	"github.com/wrensql/wren/scan"
)

// TypedCompound is typed selects of one row type R combined with UNION,
// UNION ALL, INTERSECT or EXCEPT: its rows are still R, and combining
// selects of different row types does not compile.
//
//	q := wren.Select2(Users.ID, Users.Username).From(Users).Where(Users.Age.Lt(8)).
//		Union(wren.Select2(Users.ID, Users.Username).From(Users).Where(Users.Age.Gt(60)))
//	rows, err := wren.Rows(ctx, db, q) // []wren.Row2[int64, string]
type TypedCompound[R any] struct{ c CompoundQuery }

// Union is "s UNION o": the distinct rows of both.
func (s TypedSelect[R]) Union(o TypedSelect[R]) TypedCompound[R] {
	return TypedCompound[R]{s.q.Union(o.q)}
}

// UnionAll is "s UNION ALL o".
func (s TypedSelect[R]) UnionAll(o TypedSelect[R]) TypedCompound[R] {
	return TypedCompound[R]{s.q.UnionAll(o.q)}
}

// Intersect is "s INTERSECT o".
func (s TypedSelect[R]) Intersect(o TypedSelect[R]) TypedCompound[R] {
	return TypedCompound[R]{s.q.Intersect(o.q)}
}

// Except is "s EXCEPT o".
func (s TypedSelect[R]) Except(o TypedSelect[R]) TypedCompound[R] {
	return TypedCompound[R]{s.q.Except(o.q)}
}

// Union adds "UNION o".
func (c TypedCompound[R]) Union(o TypedSelect[R]) TypedCompound[R] {
	return TypedCompound[R]{c.c.Union(o.q)}
}

// UnionAll adds "UNION ALL o".
func (c TypedCompound[R]) UnionAll(o TypedSelect[R]) TypedCompound[R] {
	return TypedCompound[R]{c.c.UnionAll(o.q)}
}

// Intersect adds "INTERSECT o".
func (c TypedCompound[R]) Intersect(o TypedSelect[R]) TypedCompound[R] {
	return TypedCompound[R]{c.c.Intersect(o.q)}
}

// Except adds "EXCEPT o".
func (c TypedCompound[R]) Except(o TypedSelect[R]) TypedCompound[R] {
	return TypedCompound[R]{c.c.Except(o.q)}
}

// OrderBy orders the combined rows (see CompoundQuery.OrderBy).
func (c TypedCompound[R]) OrderBy(terms ...Orderable) TypedCompound[R] {
	return TypedCompound[R]{c.c.OrderBy(terms...)}
}

func (c TypedCompound[R]) rowsHint() int { return c.c.rowsHint() }

// Limit caps the combined rows.
func (c TypedCompound[R]) Limit(n int) TypedCompound[R] { return TypedCompound[R]{c.c.Limit(n)} }

// Offset skips n of the combined rows.
func (c TypedCompound[R]) Offset(n int) TypedCompound[R] { return TypedCompound[R]{c.c.Offset(n)} }

// With adds common table expressions every member can read.
func (c TypedCompound[R]) With(ctes ...CTE) TypedCompound[R] {
	return TypedCompound[R]{c.c.With(ctes...)}
}

// WithRecursive is With for common table expressions that refer to
// themselves.
func (c TypedCompound[R]) WithRecursive(ctes ...CTE) TypedCompound[R] {
	return TypedCompound[R]{c.c.WithRecursive(ctes...)}
}

// Query returns the untyped CompoundQuery.
func (c TypedCompound[R]) Query() CompoundQuery { return c.c }

// SQL renders the query for d.
func (c TypedCompound[R]) SQL(d *dialect.Dialect) (string, []any, error) { return renderSQL(d, c) }

// ResultColumns are the first SELECT's.
func (c TypedCompound[R]) ResultColumns() []scan.Column { return c.c.ResultColumns() }

func (c TypedCompound[R]) appendStatement(r *renderer) { c.c.appendStatement(r) }

func (c TypedCompound[R]) rowType() (r R) { return r }

func (TypedCompound[R]) rowSource() {}

func (TypedSelect[R]) rowSource() {}

// untypedSource is implemented by the typed selects and compounds: the
// untyped query they wrap, for the checks of derived tables and CTEs.
type untypedSource interface{ untyped() RowSource }

func (s TypedSelect[R]) untyped() RowSource   { return s.q }
func (c TypedCompound[R]) untyped() RowSource { return c.c }

// AsSubquery is a typed select of one expression as a [Subquery] of its
// type: usable in InQuery, as a scalar with Expr, or combined with other
// subqueries of the same type.
func AsSubquery[T any](s TypedSelect[Row1[T]]) Subquery[T] { return Subquery[T]{q: s.q} }
