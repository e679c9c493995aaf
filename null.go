package wren

import (
	"database/sql/driver"
	"fmt"
	"reflect"
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
	if v == nil {
		return true
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

// cmpValue is "l op v", or its NULL-aware form when v is NULL.
func cmpValue[T any](l Expression, op cmpOp, v T) Predicate {
	a := any(v)
	if mayBeNull[T]() && isNullValue(a) {
		return nullCmp(l, op, cmpNames[op]+"(nil)")
	}
	return Predicate{op: pCmp, cmp: op, l: l, v: a}
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

// nullBetween refuses BETWEEN with a NULL bound, which no row satisfies.
func nullBetween[T any](l Expression, lo, hi T) (Predicate, bool) {
	if !mayBeNull[T]() || (!isNullValue(any(lo)) && !isNullValue(any(hi))) {
		return Predicate{}, false
	}
	return invalidPredicate(fmt.Errorf("wren: Between with a nil bound on %s compares with NULL, which no row satisfies: use IsNull, or Gte/Lte with the bound that is set", describe(l))), true
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
