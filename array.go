package wren

import (
	"encoding/json"
	"reflect"
)

// Arrays are PostgreSQL's: a Column[[]E] is an E[] column there (BIGINT[],
// TEXT[], …, for the element types pgx binds and scans: integers, floats,
// strings, bools, times, UUIDs), bound and scanned as a Go slice, with nil
// as NULL. MySQL, MariaDB and SQLite have no arrays: CREATE TABLE with an
// array column, and the operators below, fail there with ErrUnsupported.

// ArrayExpr is an array expression seen with its array operators; make one
// with [Array].
type ArrayExpr[E any] struct{ e Expression }

// Array returns e's array operators:
//
//	wren.Array(Posts.Tags).Contains("go", "sql") // "tags" @> $1
//	wren.Array(Posts.Tags).Any("go")             // $1 = ANY("tags")
func Array[E any](e TypedExpr[[]E]) ArrayExpr[E] { return ArrayExpr[E]{e: e} }

// Contains is true where the array holds every one of vs (@>). With no vs
// it is true for every array that is not NULL.
func (a ArrayExpr[E]) Contains(vs ...E) Predicate { return a.op(" @> ", "Contains", vs) }

// ContainedBy is true where every element of the array is one of vs (<@).
func (a ArrayExpr[E]) ContainedBy(vs ...E) Predicate { return a.op(" <@ ", "ContainedBy", vs) }

// Overlaps is true where the array and vs have an element in common (&&).
func (a ArrayExpr[E]) Overlaps(vs ...E) Predicate { return a.op(" && ", "Overlaps", vs) }

// Any is true where some element of the array equals v: v = ANY(array).
func (a ArrayExpr[E]) Any(v E) Predicate {
	return Predicate{op: pExpr, l: arrayOp{l: valueExpr{v}, op: " = ANY(", r: a.e, end: ")", what: "Any"}}
}

// Length is the number of elements of the array (cardinality), 0 for an
// empty array and NULL for NULL.
func (a ArrayExpr[E]) Length() Expr[int64] {
	return newExpr[int64](arrayOp{op: "cardinality(", r: a.e, end: ")", what: "Length"})
}

func (a ArrayExpr[E]) op(op, what string, vs []E) Predicate {
	if vs == nil {
		vs = []E{} // an empty array, where a nil slice would bind NULL
	}
	return Predicate{op: pExpr, l: arrayOp{l: a.e, op: op, r: valueExpr{vs}, what: what}}
}

// arrayOp is "l op r end", rendered only where the dialect has arrays.
type arrayOp struct {
	l    Expression
	op   string
	r    Expression
	end  string
	what string
}

func (x arrayOp) appendSQL(r *renderer) {
	if !r.d.Arrays() {
		r.unsupported("array operator wren.Array(…)." + x.what)
		return
	}
	if x.l != nil {
		x.l.appendSQL(r)
	}
	r.buf = append(r.buf, x.op...)
	x.r.appendSQL(r)
	r.buf = append(r.buf, x.end...)
}

// arrayElem returns the element type of a Column[[]E] that is an array
// column: a slice other than []byte (and json.RawMessage, sql.RawBytes).
func arrayElem(t reflect.Type) (reflect.Type, bool) {
	if t.Kind() != reflect.Slice || t.Elem().Kind() == reflect.Uint8 || t == reflect.TypeFor[json.RawMessage]() {
		return nil, false
	}
	return t.Elem(), true
}

// appendArrayType writes the column type of an array column c of table t
// whose elements are of Go type elem; it reports false when it failed the
// rendering.
func appendArrayType(r *renderer, t *tableInfo, c *colInfo, elem reflect.Type) bool {
	et, _, err := goColumnType(elem)
	if err != nil {
		r.fail("wren: CREATE TABLE %s: array column %s (field %s): element %v", t.ref(), c.name, c.field, err)
		return false
	}
	at := r.d.ArrayType(r.d.ColumnType(et, 0, false))
	if at == "" {
		r.unsupported("CREATE TABLE " + t.ref() + ": array column " + c.name + " (" + c.typ.String() + ")")
		return false
	}
	r.buf = append(r.buf, at...)
	return true
}
