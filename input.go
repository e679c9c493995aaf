package wren

import (
	"errors"
	"reflect"
)

// Bad input (a nil table, column, item or term, often from a map lookup
// that missed) is an error when the statement is rendered or run, never a
// nil-pointer panic.

// isNil reports whether v is nil or a nil pointer, map, slice or func
// inside an interface.
func isNil(v any) bool {
	if v == nil {
		return true
	}
	switch reflect.TypeOf(v).Kind() {
	case reflect.Pointer, reflect.Map, reflect.Func:
		// Held in the interface's data word itself: nil when that is.
		_, data := efaceWords(v)
		return data == nil
	case reflect.Slice, reflect.Interface:
		return reflect.ValueOf(v).IsNil()
	}
	return false
}

// infoOf returns t's description, or nil for a nil t or a nil descriptor
// pointer.
func infoOf(t TableLike) *tableInfo {
	if isNil(t) {
		return nil
	}
	return t.info()
}

// colOf returns c's description, or nil for a nil c.
func colOf(c ColumnRef) *colInfo {
	if isNil(c) {
		return nil
	}
	return c.info()
}

// appendOrderTerms appends terms to dst; a nil term becomes an empty one,
// which fails the rendering.
func appendOrderTerms(dst []OrderTerm, terms []Orderable) []OrderTerm {
	for _, t := range terms {
		if isNil(t) {
			dst = append(dst, OrderTerm{})
			continue
		}
		dst = append(dst, t.orderTerm())
	}
	return dst
}

// checkItems fails the rendering if an item of a SELECT or RETURNING list
// is nil.
func checkItems(r *renderer, items []Selectable, what string) bool {
	for i, it := range items {
		if isNil(it) {
			r.fail("wren: %s: item %d of %d is nil", what, i+1, len(items))
			return false
		}
	}
	return true
}

// checkDB is checkRun for functions that take no Statement.
func checkDB(db Querier) error {
	if isNil(db) {
		return errNilQuerier
	}
	return nil
}

var errNilQuerier = errors.New("wren: no database: the Querier (a *DB or *Tx) is nil")

// checkRun is the guard at the top of the functions that run statements:
// a nil database or statement is an error, not a panic.
func checkRun(db Querier, s Statement) error {
	if err := checkDB(db); err != nil {
		return err
	}
	if isNil(s) {
		return errors.New("wren: no statement: the Statement is nil")
	}
	return nil
}
