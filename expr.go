package wren

import (
	"reflect"

	"github.com/wrensql/wren/scan"
)

// Expression is any piece of SQL that has a value: a column, a bound value,
// arithmetic, a function call, a predicate, a subquery. Only wren's own types
// implement it; [Raw] and [RawExpr] are the explicit escape hatches.
type Expression interface {
	appendSQL(r *renderer)
}

// TypedExpr is an expression whose values have the Go type T: a Column[T],
// an Expr[T], a typed function call or subquery. Methods that compare or
// combine two expressions take a TypedExpr of the same T, so mixing types
// does not compile.
type TypedExpr[T any] interface {
	Expression
	typed() Expr[T]
}

// node boxes an Expression behind a single pointer, so that Expr[T] and
// Column[T] are one word wide and become interfaces without allocating.
type node struct{ Expression }

// Expr is a typed SQL expression. Columns, arithmetic, functions and
// aggregates are all Exprs, so they share the same comparison, arithmetic and
// ordering methods.
type Expr[T any] struct{ n *node }

func newExpr[T any](e Expression) Expr[T] { return Expr[T]{n: &node{e}} }

func (e Expr[T]) typed() Expr[T] { return e }

func (e Expr[T]) appendSQL(r *renderer) {
	if e.n == nil || e.n.Expression == nil {
		r.fail("wren: a zero Expr or Column was used (declare tables with wren.NewTable)")
		return
	}
	e.n.Expression.appendSQL(r)
}

func (e Expr[T]) appendSelect(r *renderer) { e.appendSQL(r) }

func (e Expr[T]) appendResultCols(dst []scan.Column) []scan.Column {
	if e.n != nil {
		if ci, ok := e.n.Expression.(*colInfo); ok {
			return append(dst, scan.Column{Table: ci.table.ref(), Name: ci.name, Type: reflect.TypeFor[T]()})
		}
	}
	return append(dst, scan.Column{Type: reflect.TypeFor[T]()})
}

// Eq is "e = v". Eq(nil) on a nullable column is "e IS NULL": SQL's
// "= NULL" is never true.
func (e Expr[T]) Eq(v T) Predicate { return cmpValue(e, opEq, v) }

// Ne is "e <> v"; Ne(nil) is "e IS NOT NULL".
func (e Expr[T]) Ne(v T) Predicate { return cmpValue(e, opNe, v) }

// Lt is "e < v". Lt, Lte, Gt, Gte and Between with a nil are refused when
// the query is rendered: no row is less than NULL.
func (e Expr[T]) Lt(v T) Predicate { return cmpValue(e, opLt, v) }

// Lte is "e <= v".
func (e Expr[T]) Lte(v T) Predicate { return cmpValue(e, opLte, v) }

// Gt is "e > v".
func (e Expr[T]) Gt(v T) Predicate { return cmpValue(e, opGt, v) }

// Gte is "e >= v".
func (e Expr[T]) Gte(v T) Predicate { return cmpValue(e, opGte, v) }

// EqExpr compares e with another expression of the same type, such as a
// column of another table: Tweets.UserID.EqExpr(Users.ID).
func (e Expr[T]) EqExpr(o TypedExpr[T]) Predicate { return cmpExpr(e, opEq, o) }

// NeExpr is "e <> o".
func (e Expr[T]) NeExpr(o TypedExpr[T]) Predicate { return cmpExpr(e, opNe, o) }

// LtExpr is "e < o".
func (e Expr[T]) LtExpr(o TypedExpr[T]) Predicate { return cmpExpr(e, opLt, o) }

// LteExpr is "e <= o".
func (e Expr[T]) LteExpr(o TypedExpr[T]) Predicate { return cmpExpr(e, opLte, o) }

// GtExpr is "e > o".
func (e Expr[T]) GtExpr(o TypedExpr[T]) Predicate { return cmpExpr(e, opGt, o) }

// GteExpr is "e >= o".
func (e Expr[T]) GteExpr(o TypedExpr[T]) Predicate { return cmpExpr(e, opGte, o) }

// In is "e IN (v1, v2, …)". On PostgreSQL the list is bound as one array
// parameter (e = ANY($1)), so lists of any length share one statement text.
// An empty list is a predicate that is always false. A nil in the list of
// a nullable column matches NULL: (e IN (…) OR e IS NULL).
func (e Expr[T]) In(vs ...T) Predicate { return inList(e, pIn, vs) }

// NotIn is "e NOT IN (v1, v2, …)"; an empty list is always true (and
// refused as the only condition of an UPDATE or DELETE). A nil in the list
// excludes NULL: (e NOT IN (…) AND e IS NOT NULL), where SQL's own
// "NOT IN (…, NULL)" would match no row at all.
func (e Expr[T]) NotIn(vs ...T) Predicate { return inList(e, pNotIn, vs) }

// Between is "e BETWEEN lo AND hi" (both ends included).
func (e Expr[T]) Between(lo, hi T) Predicate {
	return Predicate{op: pBetween, l: e, v: lo, v2: hi}
}

// IsNull is "e IS NULL".
func (e Expr[T]) IsNull() Predicate { return Predicate{op: pIsNull, l: e} }

// IsNotNull is "e IS NOT NULL".
func (e Expr[T]) IsNotNull() Predicate { return Predicate{op: pIsNotNull, l: e} }

// Add is "e + v". Arithmetic is for numeric T; on any other type rendering
// fails with an error naming the expression's type.
func (e Expr[T]) Add(v T) Expr[T] { return arith[T](e, "+", valueExpr{v}) }

// Sub is "e - v".
func (e Expr[T]) Sub(v T) Expr[T] { return arith[T](e, "-", valueExpr{v}) }

// Mul is "e * v".
func (e Expr[T]) Mul(v T) Expr[T] { return arith[T](e, "*", valueExpr{v}) }

// Div is "e / v"; for integer T it is integer division on every dialect.
func (e Expr[T]) Div(v T) Expr[T] { return arith[T](e, "/", valueExpr{v}) }

// Mod is "e % v".
func (e Expr[T]) Mod(v T) Expr[T] { return arith[T](e, "%", valueExpr{v}) }

// AddExpr is "e + o".
func (e Expr[T]) AddExpr(o TypedExpr[T]) Expr[T] { return arith[T](e, "+", o) }

// SubExpr is "e - o".
func (e Expr[T]) SubExpr(o TypedExpr[T]) Expr[T] { return arith[T](e, "-", o) }

// MulExpr is "e * o".
func (e Expr[T]) MulExpr(o TypedExpr[T]) Expr[T] { return arith[T](e, "*", o) }

// DivExpr is "e / o".
func (e Expr[T]) DivExpr(o TypedExpr[T]) Expr[T] { return arith[T](e, "/", o) }

// Neg is "-e".
func (e Expr[T]) Neg() Expr[T] { return arith[T](nil, "-", e) }

// As names the expression in a SELECT list: COUNT(*) AS "ct". The result can
// be selected, and ordered by its name with Asc or Desc.
func (e Expr[T]) As(alias string) Aliased[T] { return Aliased[T]{e: e, name: alias} }

// Asc orders by e ascending.
func (e Expr[T]) Asc() OrderTerm { return OrderTerm{e: e} }

// Desc orders by e descending.
func (e Expr[T]) Desc() OrderTerm { return OrderTerm{e: e, desc: true} }

func (e Expr[T]) orderTerm() OrderTerm { return OrderTerm{e: e} }

// Val is a bound value of type T used as an expression:
// wren.Val(int64(1)).Add(2). On PostgreSQL, which cannot always infer a
// parameter's type from its context, it is written CAST($1 AS type).
func Val[T any](v T) Expr[T] { return newExpr[T](typedValue[T](v)) }

type valueExpr struct{ v any }

func (v valueExpr) appendSQL(r *renderer) { r.arg(v.v) }

// arithExpr is "(l op r)", or "(op r)" for negation.
type arithExpr struct {
	l     Expression
	op    string
	r     Expression
	typ   reflect.Type
	isInt bool
}

func arith[T any](l Expression, op string, o Expression) Expr[T] {
	t := reflect.TypeFor[T]()
	return newExpr[T](&arithExpr{l: l, op: op, r: o, typ: t, isInt: isIntegerType(t)})
}

func (a *arithExpr) appendSQL(r *renderer) {
	if !isIntegerType(a.typ) && a.typ.Kind() != reflect.Float32 && a.typ.Kind() != reflect.Float64 {
		r.fail("wren: arithmetic %q on an expression of Go type %s, which is not numeric", a.op, a.typ)
		return
	}
	r.buf = append(r.buf, '(')
	if a.l != nil {
		a.l.appendSQL(r)
		r.buf = append(r.buf, ' ')
	}
	op := a.op
	if op == "/" && a.isInt {
		op = r.d.IntDiv()
	}
	r.buf = append(r.buf, op...)
	if a.l != nil {
		r.buf = append(r.buf, ' ')
	}
	a.r.appendSQL(r)
	r.buf = append(r.buf, ')')
}

// Aliased is an expression named with As, for a SELECT list.
type Aliased[T any] struct {
	e    Expr[T]
	name string
}

func (a Aliased[T]) appendSelect(r *renderer) {
	a.e.appendSQL(r)
	r.buf = append(r.buf, " AS "...)
	r.ident(roleAs, a.name)
}

func (a Aliased[T]) appendResultCols(dst []scan.Column) []scan.Column {
	return append(dst, scan.Column{Name: a.name, Type: reflect.TypeFor[T]()})
}

// Ref refers to the alias by name, for ORDER BY and for outer queries.
func (a Aliased[T]) Ref() Expr[T] { return newExpr[T](aliasRef(a.name)) }

// Asc orders by the alias, ascending.
func (a Aliased[T]) Asc() OrderTerm { return OrderTerm{e: aliasRef(a.name)} }

// Desc orders by the alias, descending.
func (a Aliased[T]) Desc() OrderTerm { return OrderTerm{e: aliasRef(a.name), desc: true} }

func (a Aliased[T]) orderTerm() OrderTerm { return a.Asc() }

type aliasRef string

func (a aliasRef) appendSQL(r *renderer) { r.ident(roleAs, string(a)) }

// OrderTerm is one term of ORDER BY: an expression, its direction, and where
// NULLs go.
type OrderTerm struct {
	e     Expression
	desc  bool
	nulls int8 // 0 default, 1 first, 2 last
}

// NullsFirst puts NULLs before other values. Where the dialect lacks
// NULLS FIRST (MySQL), wren sorts on "e IS NULL" first.
func (o OrderTerm) NullsFirst() OrderTerm { o.nulls = 1; return o }

// NullsLast puts NULLs after other values.
func (o OrderTerm) NullsLast() OrderTerm { o.nulls = 2; return o }

func (o OrderTerm) orderTerm() OrderTerm { return o }

// Orderable is what ORDER BY takes: an expression or column (ascending), or
// an [OrderTerm] made by Asc or Desc.
type Orderable interface{ orderTerm() OrderTerm }

// Selectable is what SELECT lists take: columns, expressions, aliased
// expressions, and table descriptors (all their columns).
type Selectable interface {
	appendSelect(r *renderer)
	appendResultCols(dst []scan.Column) []scan.Column
}

func (o OrderTerm) appendOrder(r *renderer) {
	if o.e == nil {
		r.fail("wren: ORDER BY: a nil or empty term (looked up in a map that lacks the key?)")
		return
	}
	if o.nulls != 0 && !r.d.NativeNullsOrder() {
		// Emulate: false (0) sorts before true (1).
		o.e.appendSQL(r)
		if o.nulls == 1 {
			r.buf = append(r.buf, " IS NULL DESC, "...)
		} else {
			r.buf = append(r.buf, " IS NULL, "...)
		}
	}
	o.e.appendSQL(r)
	if o.desc {
		r.buf = append(r.buf, " DESC"...)
	}
	if o.nulls != 0 && r.d.NativeNullsOrder() {
		if o.nulls == 1 {
			r.buf = append(r.buf, " NULLS FIRST"...)
		} else {
			r.buf = append(r.buf, " NULLS LAST"...)
		}
	}
}
