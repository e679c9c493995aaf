package scan

import (
	"database/sql"
	"fmt"
	"unsafe"
)

// numKind is the kind of field a numScanner fills.
type numKind uint8

const (
	numNone numKind = iota
	numInt64
	numFloat64
	numInt   // int, where it has 64 bits
	numInt32 // int32, in range
)

// numScanner fills an int64, int, int32 or float64 field (or one of a type
// defined on them). database/sql hands a driver's int64 to an *int64 destination
// through reflection; through this Scanner it is one type assertion.
// Anything else (text, another number type, NULL) is converted as
// database/sql converts it into an *int64 or *float64.
type numScanner struct {
	p    unsafe.Pointer // the field
	kind numKind
}

// Scan implements sql.Scanner.
func (s *numScanner) Scan(src any) error {
	switch s.kind {
	case numInt64:
		if v, ok := src.(int64); ok {
			*(*int64)(s.p) = v
			return nil
		}
		return convertNum[int64](s.p, src)
	case numInt:
		if v, ok := src.(int64); ok {
			*(*int)(s.p) = int(v)
			return nil
		}
		return convertNum[int](s.p, src)
	case numInt32:
		if v, ok := src.(int64); ok && v == int64(int32(v)) {
			*(*int32)(s.p) = int32(v)
			return nil
		}
		return convertNum[int32](s.p, src)
	case numFloat64:
		if v, ok := src.(float64); ok {
			*(*float64)(s.p) = v
			return nil
		}
		return convertNum[float64](s.p, src)
	}
	return nil
}

// convertNum stores src at p, converted into a T by database/sql's rules,
// and refuses NULL as database/sql refuses it for a plain number.
func convertNum[T any](p unsafe.Pointer, src any) error {
	if src == nil {
		return fmt.Errorf("converting NULL to %T is unsupported", *new(T))
	}
	var n sql.Null[T]
	if err := n.Scan(src); err != nil {
		return err
	}
	*(*T)(p) = n.V
	return nil
}
