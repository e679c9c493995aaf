package scan

import (
	"database/sql/driver"
	"reflect"
	"strconv"
)

var valuerType = reflect.TypeFor[driver.Valuer]()

// Fits reports whether every value of Go type from can be held by a Go
// value of type to without a conversion that changes it: the same type, the
// same underlying type (a named string for a string, []byte for
// json.RawMessage), a wider number of the same family (int32 into int64,
// uint32 into int64, float32 into float64), or any of these behind a
// pointer or inside database/sql's Null types (sql.Null[T], sql.NullString,
// …). Whether NULL fits is a separate question: see [MayBeNull] and
// [HoldsNull].
//
// Fits makes no exception for sql.Scanner or driver.Valuer types, which
// convert by their own rules; callers decide about those.
func Fits(from, to reflect.Type) bool {
	from, to = valueType(from), valueType(to)
	if from == to {
		return true
	}
	if to.Kind() == reflect.Interface {
		return from.Implements(to)
	}
	fk, tk := from.Kind(), to.Kind()
	if fk == tk {
		if isBasic(fk) {
			return true
		}
		// Structs, slices, arrays, maps: the same underlying type.
		return from.ConvertibleTo(to)
	}
	return widens(fk, tk)
}

// valueType strips pointers and database/sql's Null wrappers: the type of
// the value itself when it is not NULL.
func valueType(t reflect.Type) reflect.Type {
	for {
		switch {
		case t.Kind() == reflect.Pointer:
			t = t.Elem()
		case nullValue(t) != nil:
			t = nullValue(t)
		default:
			return t
		}
	}
}

// nullValue returns T for database/sql's sql.Null[T] and for its NullString,
// NullInt64, … (a struct of the value and a Valid bool), nil for any other
// type.
func nullValue(t reflect.Type) reflect.Type {
	if t.Kind() != reflect.Struct || t.PkgPath() != "database/sql" || t.NumField() != 2 {
		return nil
	}
	if v := t.Field(1); v.Name != "Valid" || v.Type.Kind() != reflect.Bool {
		return nil
	}
	return t.Field(0).Type
}

func isBasic(k reflect.Kind) bool {
	return k >= reflect.Bool && k <= reflect.Complex128 || k == reflect.String
}

// bits is the width of an integer or float kind; int and uint are the
// platform's word.
func bits(k reflect.Kind) int {
	switch k {
	case reflect.Int8, reflect.Uint8:
		return 8
	case reflect.Int16, reflect.Uint16:
		return 16
	case reflect.Int32, reflect.Uint32, reflect.Float32:
		return 32
	case reflect.Int64, reflect.Uint64, reflect.Float64:
		return 64
	case reflect.Int, reflect.Uint, reflect.Uintptr:
		return strconv.IntSize
	}
	return 0
}

func isInt(k reflect.Kind) bool  { return k >= reflect.Int && k <= reflect.Int64 }
func isUint(k reflect.Kind) bool { return k >= reflect.Uint && k <= reflect.Uintptr }

// widens reports whether every number of kind from is exactly a number of
// kind to.
func widens(from, to reflect.Kind) bool {
	fb, tb := bits(from), bits(to)
	switch {
	case isInt(from) && isInt(to), isUint(from) && isUint(to):
		return fb <= tb
	case isUint(from) && isInt(to):
		return fb < tb
	case from == reflect.Float32 && to == reflect.Float64:
		return true
	}
	return false
}

// MayBeNull reports whether a column whose values have Go type t can be
// NULL: t is a pointer or one of database/sql's Null types.
func MayBeNull(t reflect.Type) bool {
	return t != nil && (t.Kind() == reflect.Pointer || nullValue(t) != nil)
}

// HoldsNull reports whether a field of type t can receive NULL: a pointer,
// interface, slice or map, or a type that implements sql.Scanner.
func HoldsNull(t reflect.Type) bool { return nullable(t) }

// IsValuer reports whether values of t convert themselves for the driver
// (t implements driver.Valuer) other than as database/sql's Null types,
// whose value type Fits looks at.
func IsValuer(t reflect.Type) bool { return valueType(t).Implements(valuerType) }

// isScanner reports whether a field of type t converts what it receives by
// its own rules: it implements sql.Scanner and is not one of database/sql's
// Null types, whose value type Fits looks at.
func isScanner(t reflect.Type) bool {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	return nullValue(t) == nil && reflect.PointerTo(t).Implements(scannerType)
}
