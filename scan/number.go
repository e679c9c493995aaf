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
		var n sql.Null[int64]
		if err := s.convert(&n, src, "int64"); err != nil {
			return err
		}
		*(*int64)(s.p) = n.V
	case numInt:
		if v, ok := src.(int64); ok {
			*(*int)(s.p) = int(v)
			return nil
		}
		var n sql.Null[int]
		if err := s.convert(&n, src, "int"); err != nil {
			return err
		}
		*(*int)(s.p) = n.V
	case numInt32:
		if v, ok := src.(int64); ok && v == int64(int32(v)) {
			*(*int32)(s.p) = int32(v)
			return nil
		}
		var n sql.Null[int32]
		if err := s.convert(&n, src, "int32"); err != nil {
			return err
		}
		*(*int32)(s.p) = n.V
	case numFloat64:
		if v, ok := src.(float64); ok {
			*(*float64)(s.p) = v
			return nil
		}
		var n sql.Null[float64]
		if err := s.convert(&n, src, "float64"); err != nil {
			return err
		}
		*(*float64)(s.p) = n.V
	}
	return nil
}

// convert scans src into n with database/sql's conversions, refusing NULL
// as database/sql refuses it for a plain number.
func (s *numScanner) convert(n sql.Scanner, src any, kind string) error {
	if src == nil {
		return fmt.Errorf("converting NULL to %s is unsupported", kind)
	}
	return n.Scan(src)
}
