package wren

import (
	"database/sql/driver"
	"fmt"
	"reflect"
	"time"
)

// SQL's "x = NULL" is never true, so a comparison with a Go nil (a nil
// pointer, slice or map, or a driver.Valuer whose value is NULL) would
// silently match nothing. wren writes what the Go code means instead:
//
//	Eq(nil)            x IS NULL
//	Ne(nil)            x IS NOT NULL
//	In(a, nil)         (x IN (a) OR x IS NULL)
//	NotIn(a, nil)      (x NOT IN (a) AND x IS NOT NULL)
//
// and refuses the comparisons that have no such meaning (Lt(nil),
// Between(nil, …)) with an error when the query is rendered.

// inOrNull marks an IN list from which NULLs were taken out (Predicate.cmp).
const inOrNull cmpOp = 1

// mayBeNull reports whether a value of type T can bind NULL, judged from
// the type alone so that the common cases (numbers, strings, times) cost
// no boxing.
func mayBeNull[T any]() bool {
	t := reflect.TypeFor[T]()
	switch t.Kind() {
	case reflect.Pointer, reflect.Interface, reflect.Slice, reflect.Map:
		return true
	}
	return t.NumMethod() > 0 && t.Implements(valuerType)
}

// isNullValue reports whether v binds SQL NULL.
func isNullValue(v any) bool {
	switch v.(type) {
	case nil:
		return true
	case int64, int, int32, string, float64, bool, time.Time:
		return false // the common cases, without reflection
	}
	rv := reflect.ValueOf(v)
	switch rv.Kind() {
	case reflect.Pointer, reflect.Slice, reflect.Map, reflect.Interface:
		if rv.IsNil() {
			return true
		}
	}
	if vl, ok := v.(driver.Valuer); ok {
		x, err := vl.Value()
		return err == nil && x == nil
	}
	return false
}

// cmpValue is "l op v". A NULL v is found when the predicate renders
// (see appendCmp), which keeps this small enough to inline: a constant v
// is then boxed without allocating.
func cmpValue[T any](l Expression, op cmpOp, v T) Predicate {
	return Predicate{op: pCmp, cmp: op, l: l, v: v}
}

// appendCmp writes "l op v", or its NULL-aware form when v is NULL.
func (p Predicate) appendCmp(r *renderer) {
	if isNullValue(p.v) {
		nullCmp(p.l, p.cmp, cmpNames[p.cmp]+"(nil)").appendSQL(r)
		return
	}
	p.l.appendSQL(r)
	r.buf = append(r.buf, cmpText[p.cmp]...)
	r.arg(forColumn(p.l, p.v))
}

// cmpExpr is "l op o"; a NULL bound value on either side (Val[*T](nil))
// is treated as a nil passed to Eq.
func cmpExpr(l Expression, op cmpOp, o Expression) Predicate {
	switch {
	case isNullVal(o):
		return nullCmp(l, op, cmpNames[op]+"Expr(NULL)")
	case isNullVal(l):
		return nullCmp(o, op, cmpNames[op]+"Expr on a NULL value")
	}
	return Predicate{op: pCmpExpr, cmp: op, l: l, v: o}
}

var cmpNames = [...]string{opEq: "Eq", opNe: "Ne", opLt: "Lt", opLte: "Lte", opGt: "Gt", opGte: "Gte"}

// nullCmp is "l op NULL" said right: IS NULL for =, IS NOT NULL for <>,
// and an error for an ordering, which no row satisfies.
func nullCmp(l Expression, op cmpOp, what string) Predicate {
	switch op {
	case opEq:
		return Predicate{op: pIsNull, l: l}
	case opNe:
		return Predicate{op: pIsNotNull, l: l}
	}
	return invalidPredicate(fmt.Errorf("wren: %s on %s compares with NULL, which no row satisfies: use IsNull or IsNotNull", what, describe(l)))
}

// isNullVal reports whether e is a bound value (Val) that is NULL.
func isNullVal(e Expression) bool {
	switch x := unwrapExpr(e).(type) {
	case typedVal:
		return isNullValue(x.v)
	case valueExpr:
		return isNullValue(x.v)
	}
	return false
}

// unwrapExpr returns what a typed expression (Expr, Column, Agg) holds.
func unwrapExpr(e Expression) Expression {
	for {
		w, ok := e.(interface{ inner() Expression })
		if !ok {
			return e
		}
		in := w.inner()
		if in == nil {
			return e
		}
		e = in
	}
}

func (e Expr[T]) inner() Expression {
	if e.n == nil {
		return nil
	}
	return e.n.Expression
}

// describe names an expression for an error message: table.column for a
// column, "an expression" otherwise.
func describe(e Expression) string {
	if ci, ok := unwrapExpr(e).(*colInfo); ok && ci.table != nil {
		return "column " + ci.table.ref() + "." + ci.name
	}
	return "an expression"
}

// invalidPredicate is a predicate that fails the rendering with err.
func invalidPredicate(err error) Predicate { return Predicate{op: pInvalid, v: err} }

// nullBetween fails the rendering of BETWEEN with a NULL bound, which no
// row satisfies; it reports whether it did.
func nullBetween(r *renderer, p Predicate) bool {
	if !isNullValue(p.v) && !isNullValue(p.v2) {
		return false
	}
	r.fail("wren: Between with a nil bound on %s compares with NULL, which no row satisfies: use IsNull, or Gte/Lte with the bound that is set", describe(p.l))
	return true
}

// inList is "l IN (vs…)" (or NOT IN). NULLs in the list are taken out of
// it and said with IS NULL / IS NOT NULL, since "x IN (NULL)" is never true
// and "x NOT IN (…, NULL)" is never true either.
func inList[T any](l Expression, op predOp, vs []T) Predicate {
	if mayBeNull[T]() {
		nulls := 0
		for _, v := range vs {
			if isNullValue(any(v)) {
				nulls++
			}
		}
		if nulls > 0 {
			kept := make([]T, 0, len(vs)-nulls)
			for _, v := range vs {
				if !isNullValue(any(v)) {
					kept = append(kept, v)
				}
			}
			if len(kept) == 0 {
				if op == pIn {
					return Predicate{op: pIsNull, l: l}
				}
				return Predicate{op: pIsNotNull, l: l}
			}
			p := inList(l, op, kept)
			p.cmp = inOrNull
			return p
		}
	}
	if len(vs) == 0 {
		if op == pNotIn {
			return Predicate{op: pConst, v: true, l: l, cmp: constEmptyNotIn}
		}
		return Predicate{op: pConst, v: false}
	}
	return Predicate{op: op, l: l, v: vs, v2: listExpander(expandList[T])}
}
