package wren

import (
	"reflect"

	"github.com/wrensql/wren/dialect"
	"github.com/wrensql/wren/scan"
)

// Subquery is a SELECT of one expression of type T, usable as a typed
// value: in IN (…) with a column of the same type, or as a scalar.
//
//	huey := wren.Subquery(Users.ID).From(Users).Where(Users.Username.Eq("huey"))
//	wren.Select(Tweets).From(Tweets).Where(Tweets.UserID.InQuery(huey))
type Subquery[T any] struct{ q SelectQuery }

// SubqueryOf starts a subquery selecting e. (Subquery is the type; this
// is its constructor.)
func SubqueryOf[T any](e TypedExpr[T]) Subquery[T] { return Subquery[T]{q: Select(exprSel{e})} }

// exprSel selects an expression that is only known as an Expression.
type exprSel struct{ e Expression }

func (s exprSel) appendSelect(r *renderer) { s.e.appendSQL(r) }

func (s exprSel) appendResultCols(dst []scan.Column) []scan.Column {
	if sel, ok := s.e.(Selectable); ok {
		return sel.appendResultCols(dst)
	}
	return append(dst, scan.Column{})
}

// From sets the subquery's tables.
func (s Subquery[T]) From(tables ...TableLike) Subquery[T] { s.q = s.q.From(tables...); return s }

// Join adds an INNER JOIN (see SelectQuery.Join).
func (s Subquery[T]) Join(t TableLike, on ...Predicate) Subquery[T] {
	s.q = s.q.Join(t, on...)
	return s
}

// LeftJoin adds a LEFT OUTER JOIN.
func (s Subquery[T]) LeftJoin(t TableLike, on ...Predicate) Subquery[T] {
	s.q = s.q.LeftJoin(t, on...)
	return s
}

// Where adds conditions, joined with AND.
func (s Subquery[T]) Where(conds ...Predicate) Subquery[T] { s.q = s.q.Where(conds...); return s }

// GroupBy adds GROUP BY expressions.
func (s Subquery[T]) GroupBy(exprs ...Expression) Subquery[T] { s.q = s.q.GroupBy(exprs...); return s }

// Having adds HAVING conditions.
func (s Subquery[T]) Having(conds ...Predicate) Subquery[T] { s.q = s.q.Having(conds...); return s }

// OrderBy adds ORDER BY terms.
func (s Subquery[T]) OrderBy(terms ...Orderable) Subquery[T] { s.q = s.q.OrderBy(terms...); return s }

// Limit caps the rows.
func (s Subquery[T]) Limit(n int) Subquery[T] { s.q = s.q.Limit(n); return s }

// Distinct makes it SELECT DISTINCT.
func (s Subquery[T]) Distinct() Subquery[T] { s.q = s.q.Distinct(); return s }

// Query returns the subquery as a plain SelectQuery.
func (s Subquery[T]) Query() SelectQuery { return s.q }

// SQL renders the subquery on its own.
func (s Subquery[T]) SQL(d *dialect.Dialect) (string, []any, error) { return s.q.SQL(d) }

func (s Subquery[T]) appendStatement(r *renderer) { s.q.appendStatement(r) }

// ResultColumns lists the one column the subquery selects.
func (s Subquery[T]) ResultColumns() []scan.Column { return s.q.ResultColumns() }

func (s Subquery[T]) appendSQL(r *renderer) { s.q.appendSQL(r) }

func (s Subquery[T]) typed() Expr[T] { return newExpr[T](s.q) }

func (s Subquery[T]) appendSelect(r *renderer) { s.q.appendSQL(r) }

func (s Subquery[T]) appendResultCols(dst []scan.Column) []scan.Column {
	return append(dst, scan.Column{})
}

// Expr returns the subquery as a scalar expression: the value of its single
// row (NULL for none; more than one row is an error from the database).
func (s Subquery[T]) Expr() Expr[T] { return newExpr[T](s.q) }

// InQuery is "e IN (subquery)"; the subquery selects values of e's type.
func (e Expr[T]) InQuery(s Subquery[T]) Predicate {
	return Predicate{op: pExpr, l: inSub{l: e, q: s.q}}
}

// NotInQuery is "e NOT IN (subquery)".
func (e Expr[T]) NotInQuery(s Subquery[T]) Predicate {
	return Predicate{op: pExpr, l: inSub{l: e, q: s.q, not: true}}
}

type inSub struct {
	l   Expression
	q   SelectQuery
	not bool
}

func (x inSub) appendSQL(r *renderer) {
	x.l.appendSQL(r)
	if x.not {
		r.buf = append(r.buf, " NOT IN "...)
	} else {
		r.buf = append(r.buf, " IN "...)
	}
	x.q.appendSQL(r)
}

// RowSource is a query whose rows can be read as a table in FROM: a
// [SelectQuery] or a [CompoundQuery].
type RowSource interface {
	Statement
	ResultColumns() []scan.Column
	rowSource()
}

func (SelectQuery) rowSource()   {}
func (CompoundQuery) rowSource() {}

// Derived returns a descriptor for the subquery q used as a table in FROM,
// named alias: FROM (SELECT …) AS alias. q may also be a compound:
// FROM (SELECT … UNION SELECT …) AS alias. T is a struct embedding Table whose
// Column fields name q's result columns (alias q's expressions with As to
// match), so the derived table's columns are typed like any table's:
//
//	type TopTable struct {
//		wren.Table
//		UserID wren.Column[int64]
//		N      wren.Column[int64]
//	}
//	top := wren.Derived[TopTable](wren.Select(Tweets.UserID, wren.CountAll().As("n")).
//		From(Tweets).GroupBy(Tweets.UserID), "top")
//	wren.Select(top.UserID, top.N).From(top).Where(top.N.Gt(1))
func Derived[T any](q RowSource, alias string) *T {
	p := new(T)
	ti := &tableInfo{name: alias, goName: reflect.TypeFor[T]().String(), src: derivedSrc{q}}
	if err := bindTable(reflect.ValueOf(p).Elem(), ti, nil); err != nil {
		panic(err.Error())
	}
	return p
}

// derivedSrc is the subquery of a derived table.
type derivedSrc struct{ q RowSource }

func (s derivedSrc) appendSQL(r *renderer) { s.q.appendStatement(r) }

// check fails the rendering unless the query selects every column of ti.
func (s derivedSrc) check(r *renderer, ti *tableInfo) bool {
	if s.q == nil {
		r.fail("wren: derived table %s has no query", ti.ref())
		return false
	}
	have := map[string]bool{}
	for _, c := range s.q.ResultColumns() {
		have[c.Name] = true
	}
	for _, c := range ti.cols {
		if !have[c.name] {
			r.fail("wren: derived table %s has column %s, which its query does not select (name it with As)", ti.ref(), c.name)
			return false
		}
	}
	return true
}
