package wren

//go:generate go run ./internal/gen/projections/cmd

import (
	"context"
	"iter"

	"github.com/wrensql/wren/dialect"
	"github.com/wrensql/wren/scan"
)

// TypedSelect is a SELECT whose list of expressions decides its row type R,
// one of Row1 … Row10: made by Select1 … Select10 and read with [Rows] (or,
// for one expression, [Values] and [Value]), so a result that does not fit
// the query does not compile.
//
//	q := wren.Select2(Users.ID, Users.Username).From(Users).Where(Users.ID.Lt(10))
//	rows, err := wren.Rows(ctx, db, q) // []wren.Row2[int64, string]
//
// It has every clause of [SelectQuery], and is a value like it: every
// method returns a new query.
type TypedSelect[R any] struct{ q SelectQuery }

// Selects is a statement whose rows have the type R: a [TypedSelect][R],
// or, for R a Row1[T], a [Subquery][T].
type Selects[R any] interface {
	Statement
	rowType() R
}

func (TypedSelect[R]) rowType() (r R) { return r }

func (Subquery[T]) rowType() (r Row1[T]) { return r }

// positional is implemented by the row types: their fields receive the
// columns in order, whatever the columns' names.
type positional interface{ positionalRow() }

// Projection is what a typed select takes as one item of its SELECT list,
// with the Go type T its rows hold for it: a [Column][T], an [Expr][T], an
// aggregate, a [Subquery][T], or any of them named with As ([Aliased][T]).
//
// The aggregates that are NULL over no rows — [Sum], [Avg], [Min], [Max] —
// are [NullAgg] values, whose projection is *T: a typed row holds nil where
// the database returned NULL. Wrap them in [Coalesce] to get a T.
type Projection[T any] interface {
	// projection returns the SELECT-list item; its parameter only carries T
	// for type inference.
	projection(*T) Selectable
}

func (e Expr[T]) projection(*T) Selectable { return e }

func (s Subquery[T]) projection(*T) Selectable { return selItem(s) }

func (a Aliased[T]) projection(*T) Selectable { return a }

// proj is p as an item of a typed select's list (nil is refused when the
// query renders, like a nil item of Select).
func proj[T any](p Projection[T]) Selectable {
	if isNil(p) {
		return nil
	}
	return p.projection(nil)
}

// selItem is e as an item of a SELECT list.
func selItem(e Expression) Selectable {
	if isNil(e) {
		return nil // refused when rendered, like a nil item of Select
	}
	if s, ok := e.(Selectable); ok {
		return s
	}
	return exprSel{e}
}

// Query returns the untyped SelectQuery.
func (s TypedSelect[R]) Query() SelectQuery { return s.q }

// SQL renders the query for d.
func (s TypedSelect[R]) SQL(d *dialect.Dialect) (string, []any, error) { return renderSQL(d, s) }

func (s TypedSelect[R]) appendStatement(r *renderer) { s.q.appendStatement(r) }

func (s TypedSelect[R]) rowsHint() int { return s.q.rowsHint() }

// ResultColumns lists what the query selects (see SelectQuery.ResultColumns).
func (s TypedSelect[R]) ResultColumns() []scan.Column { return s.q.ResultColumns() }

// From sets the tables the query reads (see SelectQuery.From).
func (s TypedSelect[R]) From(tables ...TableLike) TypedSelect[R] {
	return TypedSelect[R]{s.q.From(tables...)}
}

// Join adds an INNER JOIN.
func (s TypedSelect[R]) Join(t TableLike, on ...Predicate) TypedSelect[R] {
	return TypedSelect[R]{s.q.Join(t, on...)}
}

// LeftJoin adds a LEFT OUTER JOIN. A column of t selected into a field that
// cannot hold NULL (not a pointer or sql.Null) is an error when the rows are
// read: select [Nullable](col) to get a *T.
func (s TypedSelect[R]) LeftJoin(t TableLike, on ...Predicate) TypedSelect[R] {
	return TypedSelect[R]{s.q.LeftJoin(t, on...)}
}

// RightJoin adds a RIGHT OUTER JOIN.
func (s TypedSelect[R]) RightJoin(t TableLike, on ...Predicate) TypedSelect[R] {
	return TypedSelect[R]{s.q.RightJoin(t, on...)}
}

// FullJoin adds a FULL OUTER JOIN.
func (s TypedSelect[R]) FullJoin(t TableLike, on ...Predicate) TypedSelect[R] {
	return TypedSelect[R]{s.q.FullJoin(t, on...)}
}

// CrossJoin adds a CROSS JOIN.
func (s TypedSelect[R]) CrossJoin(t TableLike) TypedSelect[R] {
	return TypedSelect[R]{s.q.CrossJoin(t)}
}

// Where adds conditions, joined with AND.
func (s TypedSelect[R]) Where(conds ...Predicate) TypedSelect[R] {
	return TypedSelect[R]{s.q.Where(conds...)}
}

// OrWhere adds conditions joined with OR (see SelectQuery.OrWhere).
func (s TypedSelect[R]) OrWhere(conds ...Predicate) TypedSelect[R] {
	return TypedSelect[R]{s.q.OrWhere(conds...)}
}

// GroupBy adds GROUP BY expressions; a table stands for all its columns.
func (s TypedSelect[R]) GroupBy(exprs ...Expression) TypedSelect[R] {
	return TypedSelect[R]{s.q.GroupBy(exprs...)}
}

// Having adds HAVING conditions, joined with AND.
func (s TypedSelect[R]) Having(conds ...Predicate) TypedSelect[R] {
	return TypedSelect[R]{s.q.Having(conds...)}
}

// OrderBy adds ORDER BY terms.
func (s TypedSelect[R]) OrderBy(terms ...Orderable) TypedSelect[R] {
	return TypedSelect[R]{s.q.OrderBy(terms...)}
}

// Limit caps the number of rows.
func (s TypedSelect[R]) Limit(n int) TypedSelect[R] { return TypedSelect[R]{s.q.Limit(n)} }

// Offset skips n rows.
func (s TypedSelect[R]) Offset(n int) TypedSelect[R] { return TypedSelect[R]{s.q.Offset(n)} }

// Paginate selects page number page (from 1) of perPage rows.
func (s TypedSelect[R]) Paginate(page, perPage int) TypedSelect[R] {
	return TypedSelect[R]{s.q.Paginate(page, perPage)}
}

// Distinct makes it SELECT DISTINCT.
func (s TypedSelect[R]) Distinct() TypedSelect[R] { return TypedSelect[R]{s.q.Distinct()} }

// DistinctOn makes it SELECT DISTINCT ON (exprs…) (PostgreSQL only).
func (s TypedSelect[R]) DistinctOn(exprs ...Expression) TypedSelect[R] {
	return TypedSelect[R]{s.q.DistinctOn(exprs...)}
}

// ForUpdate locks the selected rows for update.
func (s TypedSelect[R]) ForUpdate() TypedSelect[R] { return TypedSelect[R]{s.q.ForUpdate()} }

// ForNoKeyUpdate takes PostgreSQL's FOR NO KEY UPDATE lock.
func (s TypedSelect[R]) ForNoKeyUpdate() TypedSelect[R] { return TypedSelect[R]{s.q.ForNoKeyUpdate()} }

// Of limits the row lock to the rows of the given tables (FOR UPDATE OF t).
func (s TypedSelect[R]) Of(tables ...TableLike) TypedSelect[R] {
	return TypedSelect[R]{s.q.Of(tables...)}
}

// ForShare locks the selected rows against updates by others.
func (s TypedSelect[R]) ForShare() TypedSelect[R] { return TypedSelect[R]{s.q.ForShare()} }

// NoWait makes a row lock fail at once instead of waiting.
func (s TypedSelect[R]) NoWait() TypedSelect[R] { return TypedSelect[R]{s.q.NoWait()} }

// SkipLocked makes a row lock skip rows other transactions hold.
func (s TypedSelect[R]) SkipLocked() TypedSelect[R] { return TypedSelect[R]{s.q.SkipLocked()} }

// With adds common table expressions.
func (s TypedSelect[R]) With(ctes ...CTE) TypedSelect[R] { return TypedSelect[R]{s.q.With(ctes...)} }

// WithRecursive adds common table expressions that may refer to themselves.
func (s TypedSelect[R]) WithRecursive(ctes ...CTE) TypedSelect[R] {
	return TypedSelect[R]{s.q.WithRecursive(ctes...)}
}

// Rows runs q and returns its rows, typed by its SELECT list: a
// []Row2[int64, string] for a Select2 of a Column[int64] and a
// Column[string]. A row is scanned straight into the result slice, as
// [All] does. A NULL in a field that cannot hold it is an error, not a
// zero: select a nullable expression as *T (a Column[*T], or [Nullable]).
func Rows[R any](ctx context.Context, db Querier, q Selects[R]) ([]R, error) {
	return All[R](ctx, db, q)
}

// FirstRow runs q and returns its first row, typed by its SELECT list;
// with no row the error wraps ErrNoRows. Like [One], it reads only the
// first row of whatever q returns.
func FirstRow[R any](ctx context.Context, db Querier, q Selects[R]) (R, error) {
	return One[R](ctx, db, q)
}

// IterRows runs q and yields its rows one at a time, like [Iter], typed by
// its SELECT list.
func IterRows[R any](ctx context.Context, db Querier, q Selects[R]) iter.Seq2[R, error] {
	return Iter[R](ctx, db, q)
}

// Values runs a select of one expression of type T and returns its values.
func Values[T any](ctx context.Context, db Querier, q Selects[Row1[T]]) ([]T, error) {
	return All[T](ctx, db, q)
}

// Value runs a select of one expression of type T and returns the value of
// its first row; with no row the error wraps ErrNoRows.
func Value[T any](ctx context.Context, db Querier, q Selects[Row1[T]]) (T, error) {
	return One[T](ctx, db, q)
}

// MapRows turns rows into values of another type, for example the rows of a
// typed select into a struct of the caller's:
//
//	users := wren.MapRows(rows, func(r wren.Row2[int64, string]) User {
//		return User{ID: r.V1, Username: r.V2}
//	})
//
// It allocates the result slice and nothing per row.
func MapRows[R, U any](rows []R, f func(R) U) []U {
	out := make([]U, len(rows))
	for i, r := range rows {
		out[i] = f(r)
	}
	return out
}
