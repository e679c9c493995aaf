package wren

import "reflect"

// CaseExpr is a CASE expression with results of type T, being built:
//
//	wren.Case[string]().
//		When(Users.Age.Lt(13), "child").
//		When(Users.Age.Lt(20), "teen").
//		Else("adult")
type CaseExpr[T any] struct {
	whens []caseWhen
}

type caseWhen struct {
	cond Predicate
	then Expression
}

// Case starts a CASE expression whose results have type T.
func Case[T any]() CaseExpr[T] { return CaseExpr[T]{} }

// When adds WHEN cond THEN v.
func (c CaseExpr[T]) When(cond Predicate, v T) CaseExpr[T] {
	c.whens = append(clip(c.whens), caseWhen{cond, typedValue[T](v)})
	return c
}

// WhenExpr adds WHEN cond THEN e.
func (c CaseExpr[T]) WhenExpr(cond Predicate, e TypedExpr[T]) CaseExpr[T] {
	c.whens = append(clip(c.whens), caseWhen{cond, e})
	return c
}

// Else ends the CASE with ELSE v.
func (c CaseExpr[T]) Else(v T) Expr[T] {
	return newExpr[T](caseExpr{whens: c.whens, els: typedValue[T](v)})
}

// ElseExpr ends the CASE with ELSE e.
func (c CaseExpr[T]) ElseExpr(e TypedExpr[T]) Expr[T] {
	return newExpr[T](caseExpr{whens: c.whens, els: e})
}

// End ends the CASE without ELSE: NULL when no WHEN matches.
func (c CaseExpr[T]) End() Expr[T] { return newExpr[T](caseExpr{whens: c.whens}) }

type caseExpr struct {
	whens []caseWhen
	els   Expression
}

func (c caseExpr) appendSQL(r *renderer) {
	if len(c.whens) == 0 {
		r.fail("wren: CASE without WHEN")
		return
	}
	r.buf = append(r.buf, "CASE"...)
	for _, w := range c.whens {
		r.buf = append(r.buf, " WHEN "...)
		w.cond.appendSQL(r)
		r.buf = append(r.buf, " THEN "...)
		appendExpr(r, w.then)
	}
	if c.els != nil {
		r.buf = append(r.buf, " ELSE "...)
		appendExpr(r, c.els)
	}
	r.buf = append(r.buf, " END"...)
}

// typedValue is a bound value that carries its Go type to the server where
// the server cannot infer it (CAST($1 AS BIGINT) on PostgreSQL).
func typedValue[T any](v T) Expression { return typedVal{v: v, t: reflect.TypeFor[T]()} }

type typedVal struct {
	v any
	t reflect.Type
}

func (x typedVal) appendSQL(r *renderer) {
	if _, _, err := goColumnType(x.t); err != nil || !r.d.CastParams() {
		r.arg(x.v)
		return
	}
	r.buf = append(r.buf, "CAST("...)
	r.arg(x.v)
	appendCastType(r, x.t)
}

// SimpleCaseExpr is the simple form of CASE, which compares one expression
// of type K with a value per branch and has results of type T, being built:
//
//	wren.CaseOf[string](Users.Age).
//		When(1, "one").
//		When(2, "two").
//		Else("many")
//
// CASE x WHEN NULL never matches in SQL (it compares with =). A When(nil)
// is written as the searched form, CASE WHEN x IS NULL …, for the whole
// expression — what the Go code means, as Eq(nil) is IS NULL.
type SimpleCaseExpr[T, K any] struct {
	x     Expression
	whens []simpleWhen
}

type simpleWhen struct {
	k    Expression
	v    any // the value compared with, when k is a bound value
	then Expression
}

// CaseOf starts a simple CASE on x whose results have type T; K, x's type,
// is inferred: wren.CaseOf[string](Users.Age).
func CaseOf[T, K any](x TypedExpr[K]) SimpleCaseExpr[T, K] { return SimpleCaseExpr[T, K]{x: x} }

// When adds WHEN k THEN v.
func (c SimpleCaseExpr[T, K]) When(k K, v T) SimpleCaseExpr[T, K] {
	c.whens = append(clip(c.whens), simpleWhen{k: valueExpr{k}, v: k, then: typedValue[T](v)})
	return c
}

// WhenExpr adds WHEN k THEN e, with expressions on both sides.
func (c SimpleCaseExpr[T, K]) WhenExpr(k TypedExpr[K], e TypedExpr[T]) SimpleCaseExpr[T, K] {
	c.whens = append(clip(c.whens), simpleWhen{k: k, then: e})
	return c
}

// Else ends the CASE with ELSE v.
func (c SimpleCaseExpr[T, K]) Else(v T) Expr[T] {
	return newExpr[T](simpleCaseExpr{x: c.x, whens: c.whens, els: typedValue[T](v)})
}

// ElseExpr ends the CASE with ELSE e.
func (c SimpleCaseExpr[T, K]) ElseExpr(e TypedExpr[T]) Expr[T] {
	return newExpr[T](simpleCaseExpr{x: c.x, whens: c.whens, els: e})
}

// End ends the CASE without ELSE: NULL when no WHEN matches.
func (c SimpleCaseExpr[T, K]) End() Expr[T] {
	return newExpr[T](simpleCaseExpr{x: c.x, whens: c.whens})
}

type simpleCaseExpr struct {
	x     Expression
	whens []simpleWhen
	els   Expression
}

// isNull reports whether the branch compares with NULL.
func (w simpleWhen) isNull() bool {
	if isValue(w.k) {
		return isNullValue(w.v)
	}
	return isNullVal(w.k)
}

func isValue(e Expression) bool { _, ok := e.(valueExpr); return ok }

func (c simpleCaseExpr) appendSQL(r *renderer) {
	if len(c.whens) == 0 {
		r.fail("wren: CASE without WHEN")
		return
	}
	if isNil(c.x) {
		r.fail("wren: CaseOf of a nil expression")
		return
	}
	searched := false
	for _, w := range c.whens {
		if isNil(w.k) || isNil(w.then) {
			r.fail("wren: CaseOf: a WHEN with a nil expression")
			return
		}
		searched = searched || w.isNull()
	}
	if searched {
		c.searched().appendSQL(r)
		return
	}
	r.buf = append(r.buf, "CASE "...)
	c.x.appendSQL(r)
	for _, w := range c.whens {
		r.buf = append(r.buf, " WHEN "...)
		if isValue(w.k) {
			r.arg(forColumn(c.x, w.v))
		} else {
			w.k.appendSQL(r)
		}
		r.buf = append(r.buf, " THEN "...)
		w.then.appendSQL(r)
	}
	if c.els != nil {
		r.buf = append(r.buf, " ELSE "...)
		appendExpr(r, c.els)
	}
	r.buf = append(r.buf, " END"...)
}

// searched is the CASE written as CASE WHEN x = k …, with x IS NULL for a
// NULL k.
func (c simpleCaseExpr) searched() caseExpr {
	s := caseExpr{whens: make([]caseWhen, len(c.whens)), els: c.els}
	for i, w := range c.whens {
		var cond Predicate
		switch {
		case w.isNull():
			cond = Predicate{op: pIsNull, l: c.x}
		case isValue(w.k):
			cond = Predicate{op: pCmp, cmp: opEq, l: c.x, v: w.v}
		default:
			cond = Predicate{op: pCmpExpr, cmp: opEq, l: c.x, v: w.k}
		}
		s.whens[i] = caseWhen{cond: cond, then: w.then}
	}
	return s
}
