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
//
// Subqueries of one type combine with Union, UnionAll, Intersect and Except;
// the result is still a Subquery[T].
type Subquery[T any] struct {
	q   SelectQuery
	c   *CompoundQuery // set once combined; q is then unused
	err error
}

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

// edit applies f to the SELECT; once the subquery is combined, clauses
// of one SELECT no longer apply and using them is an error.
func (s Subquery[T]) edit(what string, f func(SelectQuery) SelectQuery) Subquery[T] {
	if s.c != nil {
		if s.err == nil {
			s.err = errorf("wren: Subquery.%s after Union, Intersect or Except: finish each SELECT before combining them", what)
		}
		return s
	}
	s.q = f(s.q)
	return s
}

// From sets the subquery's tables.
func (s Subquery[T]) From(tables ...TableLike) Subquery[T] {
	return s.edit("From", func(q SelectQuery) SelectQuery { return q.From(tables...) })
}

// Join adds an INNER JOIN (see SelectQuery.Join).
func (s Subquery[T]) Join(t TableLike, on ...Predicate) Subquery[T] {
	return s.edit("Join", func(q SelectQuery) SelectQuery { return q.Join(t, on...) })
}

// LeftJoin adds a LEFT OUTER JOIN.
func (s Subquery[T]) LeftJoin(t TableLike, on ...Predicate) Subquery[T] {
	return s.edit("LeftJoin", func(q SelectQuery) SelectQuery { return q.LeftJoin(t, on...) })
}

// Where adds conditions, joined with AND.
func (s Subquery[T]) Where(conds ...Predicate) Subquery[T] {
	return s.edit("Where", func(q SelectQuery) SelectQuery { return q.Where(conds...) })
}

// GroupBy adds GROUP BY expressions.
func (s Subquery[T]) GroupBy(exprs ...Expression) Subquery[T] {
	return s.edit("GroupBy", func(q SelectQuery) SelectQuery { return q.GroupBy(exprs...) })
}

// Having adds HAVING conditions.
func (s Subquery[T]) Having(conds ...Predicate) Subquery[T] {
	return s.edit("Having", func(q SelectQuery) SelectQuery { return q.Having(conds...) })
}

// Distinct makes it SELECT DISTINCT.
func (s Subquery[T]) Distinct() Subquery[T] {
	return s.edit("Distinct", func(q SelectQuery) SelectQuery { return q.Distinct() })
}

// OrderBy adds ORDER BY terms (of the whole, once combined).
func (s Subquery[T]) OrderBy(terms ...Orderable) Subquery[T] {
	if s.c != nil {
		c := s.c.OrderBy(terms...)
		s.c = &c
		return s
	}
	s.q = s.q.OrderBy(terms...)
	return s
}

// Limit caps the rows (of the whole, once combined).
func (s Subquery[T]) Limit(n int) Subquery[T] {
	if s.c != nil {
		c := s.c.Limit(n)
		s.c = &c
		return s
	}
	s.q = s.q.Limit(n)
	return s
}

// Union is "s UNION o": the distinct values of both.
func (s Subquery[T]) Union(o Subquery[T]) Subquery[T] { return s.combine(o, CompoundQuery.Union) }

// UnionAll is "s UNION ALL o".
func (s Subquery[T]) UnionAll(o Subquery[T]) Subquery[T] { return s.combine(o, CompoundQuery.UnionAll) }

// Intersect is "s INTERSECT o".
func (s Subquery[T]) Intersect(o Subquery[T]) Subquery[T] {
	return s.combine(o, CompoundQuery.Intersect)
}

// Except is "s EXCEPT o".
func (s Subquery[T]) Except(o Subquery[T]) Subquery[T] { return s.combine(o, CompoundQuery.Except) }

func (s Subquery[T]) combine(o Subquery[T], op func(CompoundQuery, SelectQuery) CompoundQuery) Subquery[T] {
	if s.err == nil && o.err != nil {
		s.err = o.err
	}
	if o.c != nil && s.err == nil {
		s.err = errorf("wren: a combined Subquery cannot be a member of another Union, Intersect or Except (combine the SELECTs in one chain)")
	}
	c := CompoundQuery{first: s.q}
	if s.c != nil {
		c = *s.c
	}
	c = op(c, o.q)
	s.c = &c
	return s
}

// body is what the subquery renders: its SELECT, its compound, or a
// recorded error.
func (s Subquery[T]) body() interface {
	Statement
	Expression
	ResultColumns() []scan.Column
} {
	switch {
	case s.err != nil:
		q := s.q
		q.err = s.err
		return q
	case s.c != nil:
		return *s.c
	}
	return s.q
}

// Query returns the subquery as a plain SelectQuery. A combined subquery
// is not one SELECT: its Query fails when rendered (run the Subquery
// itself, which is a Statement).
func (s Subquery[T]) Query() SelectQuery {
	if s.c != nil && s.err == nil {
		q := s.q
		q.err = errorf("wren: Subquery.Query on a combined subquery (use the Subquery as the statement)")
		return q
	}
	return s.body().(SelectQuery)
}

// SQL renders the subquery on its own.
func (s Subquery[T]) SQL(d *dialect.Dialect) (string, []any, error) { return renderSQL(d, s) }

func (s Subquery[T]) appendStatement(r *renderer) { s.body().appendStatement(r) }

// ResultColumns lists the one column the subquery selects.
func (s Subquery[T]) ResultColumns() []scan.Column { return s.body().ResultColumns() }

func (s Subquery[T]) appendSQL(r *renderer) { s.body().appendSQL(r) }

func (s Subquery[T]) typed() Expr[T] { return newExpr[T](s.body()) }

func (s Subquery[T]) appendSelect(r *renderer) { s.body().appendSQL(r) }

func (s Subquery[T]) appendResultCols(dst []scan.Column) []scan.Column {
	return append(dst, scan.Column{Type: reflect.TypeFor[T]()})
}

// Expr returns the subquery as a scalar expression: the value of its single
// row (NULL for none; more than one row is an error from the database).
func (s Subquery[T]) Expr() Expr[T] { return newExpr[T](s.body()) }

// InQuery is "e IN (subquery)"; the subquery selects values of e's type.
func (e Expr[T]) InQuery(s Subquery[T]) Predicate {
	return Predicate{op: pExpr, l: s.in(e, false)}
}

// NotInQuery is "e NOT IN (subquery)".
func (e Expr[T]) NotInQuery(s Subquery[T]) Predicate {
	return Predicate{op: pExpr, l: s.in(e, true)}
}

// in keeps a plain SELECT inline in the inSub (one allocation fewer than
// boxing it on its own).
func (s Subquery[T]) in(l Expression, not bool) inSub {
	if s.c == nil && s.err == nil {
		return inSub{l: l, sel: s.q, not: not}
	}
	return inSub{l: l, other: s.body(), not: not}
}

type inSub struct {
	l     Expression
	sel   SelectQuery
	other Expression // a compound, or a SELECT carrying an error
	not   bool
}

func (x inSub) appendSQL(r *renderer) {
	x.l.appendSQL(r)
	if x.not {
		r.buf = append(r.buf, " NOT IN "...)
	} else {
		r.buf = append(r.buf, " IN "...)
	}
	if x.other != nil {
		x.other.appendSQL(r)
		return
	}
	x.sel.appendSQL(r)
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
// match), so the derived table's columns are typed like any table's. A
// column declared with a type other than what q selects (a Column[string]
// for a COUNT) is found here, and fails every statement that uses the
// derived table with an error naming the field and both types:
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
	ti.err = checkColumnTypes(ti, q, "derived table "+alias)
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
