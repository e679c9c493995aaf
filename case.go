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
