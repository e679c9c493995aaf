package scan

import (
	"encoding/binary"
	"math"
	"reflect"
	"strconv"
	"time"
	"unsafe"

	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgtype"
)

// Wire decoding: for PostgreSQL through pgx, a Row can store the common
// column types itself, from the bytes pgx received, instead of handing
// pgx a destination per column. pgx's Scan plans every column of every
// query through its type map (three map lookups each) and stores through
// an interface per value; decoding here is a switch per column. Only
// exact pairs of a column type in the form pgx asked for and a field of
// the Go type pgx gives that column are decoded, as pgx decodes them
// with its default type map; for any other pair the whole query goes
// through pgx, and a row with a NULL or a value not decoded here (an
// infinite time, a length that is wrong) goes through pgx alone, which
// stores it or reports the error it always has.

// WireRows is the part of pgx.Rows a Row decodes from.
type WireRows interface {
	FieldDescriptions() []pgconn.FieldDescription
	RawValues() [][]byte
}

// wireKind is how one column is decoded: the column's type and the
// field's.
type wireKind uint8

const (
	wireNone        wireKind = iota
	wireText                 // text, varchar, bpchar, name, unknown -> string
	wireInt8                 // int8 -> int64, int
	wireInt4                 // int4 -> int32
	wireInt4To64             // int4 -> int64, int
	wireInt2                 // int2 -> int16
	wireInt2To32             // int2 -> int32
	wireInt2To64             // int2 -> int64, int
	wireFloat8               // float8 -> float64
	wireFloat4               // float4 -> float32
	wireBool                 // bool -> bool
	wireTimestamptz          // timestamptz -> time.Time, in time.Local as pgx's
	wireTimestamp            // timestamp -> time.Time, in UTC
	wireDate                 // date -> time.Time, midnight UTC
	wireUUID                 // uuid -> [16]byte
	wireBytea                // bytea -> []byte, a copy
)

var (
	int64Type   = reflect.TypeFor[int64]()
	intType     = reflect.TypeFor[int]()
	int32Type   = reflect.TypeFor[int32]()
	int16Type   = reflect.TypeFor[int16]()
	float64Type = reflect.TypeFor[float64]()
	float32Type = reflect.TypeFor[float32]()
	boolType    = reflect.TypeFor[bool]()
	uuidType    = reflect.TypeFor[[16]byte]()
	bytesType   = reflect.TypeFor[[]byte]()
)

// wireKindOf is how a column of type oid in format is decoded into a
// field of type t, wireNone when it is not.
func wireKindOf(oid uint32, format int16, t reflect.Type) wireKind {
	is64 := t == int64Type || (t == intType && strconv.IntSize == 64)
	switch oid {
	case pgtype.TextOID, pgtype.VarcharOID, pgtype.BPCharOID, pgtype.NameOID, pgtype.UnknownOID:
		// The same bytes in both formats.
		if t == stringType {
			return wireText
		}
		return wireNone
	}
	if format != pgtype.BinaryFormatCode {
		return wireNone
	}
	switch {
	case oid == pgtype.Int8OID && is64:
		return wireInt8
	case oid == pgtype.Int4OID && is64:
		return wireInt4To64
	case oid == pgtype.Int4OID && t == int32Type:
		return wireInt4
	case oid == pgtype.Int2OID && is64:
		return wireInt2To64
	case oid == pgtype.Int2OID && t == int32Type:
		return wireInt2To32
	case oid == pgtype.Int2OID && t == int16Type:
		return wireInt2
	case oid == pgtype.Float8OID && t == float64Type:
		return wireFloat8
	case oid == pgtype.Float4OID && t == float32Type:
		return wireFloat4
	case oid == pgtype.BoolOID && t == boolType:
		return wireBool
	case oid == pgtype.TimestamptzOID && t == timeType:
		return wireTimestamptz
	case oid == pgtype.TimestampOID && t == timeType:
		return wireTimestamp
	case oid == pgtype.DateOID && t == timeType:
		return wireDate
	case oid == pgtype.UUIDOID && t == uuidType:
		return wireUUID
	case oid == pgtype.ByteaOID && t == bytesType:
		return wireBytea
	}
	return wireNone
}

// wireState is a Row's decoding of wire forms: the column types its
// decoders were chosen for, kept between the queries that reuse the Row.
type wireState struct {
	kinds []wireKind
	ptrs  []bool   // per column: the field is a pointer to the type decoded
	keys  []uint64 // per column: OID << 16 | format
	ok    bool     // every column of keys is decoded
	src   WireRows // the query's rows, while it decodes
}

// UseWire has the query's rows decoded from rs's values by DecodeWire,
// when every column is of a type and in a form decoded here into a field
// of the type pgx gives it, and reports whether they are. Call it after
// NewRow and ShareText; Release undoes it. Only for rows from a pgx
// connection with pgx's default type map: a type registered otherwise
// would be decoded here as pgx's default decodes it.
func (r *Row) UseWire(rs WireRows) bool {
	fds := rs.FieldDescriptions()
	w := &r.wire
	if len(fds) != len(w.keys) || !w.same(fds) {
		r.chooseWire(fds)
	}
	if w.ok {
		w.src = rs
	}
	return w.ok
}

// same reports whether fds have the types the decoders were chosen for.
func (w *wireState) same(fds []pgconn.FieldDescription) bool {
	for i := range fds {
		if w.keys[i] != uint64(fds[i].DataTypeOID)<<16|uint64(uint16(fds[i].Format)) {
			return false
		}
	}
	return true
}

// chooseWire picks a decoder per column of fds, and remembers fds' types
// whether or not every column has one.
func (r *Row) chooseWire(fds []pgconn.FieldDescription) {
	w := &r.wire
	w.keys = w.keys[:0]
	w.kinds = w.kinds[:0]
	w.ptrs = w.ptrs[:0]
	w.ok = len(fds) == len(r.p.fields)
	for i := range fds {
		w.keys = append(w.keys, uint64(fds[i].DataTypeOID)<<16|uint64(uint16(fds[i].Format)))
		k, ptr := wireNone, false
		if f := &r.p.fields[i]; w.ok && (r.kinds[i] == destField || r.kinds[i] == destText) && f.nest < 0 {
			t := f.typ
			if ptr = t.Kind() == reflect.Pointer; ptr {
				t = t.Elem()
			}
			k = wireKindOf(fds[i].DataTypeOID, fds[i].Format, t)
		}
		w.kinds = append(w.kinds, k)
		w.ptrs = append(w.ptrs, ptr)
		w.ok = w.ok && k != wireNone
	}
}

// Wired reports whether the query's rows are decoded by DecodeWire.
func (r *Row) Wired() bool { return r.wire.src != nil }

// DecodeWire stores the current row of the rows given to UseWire in the
// value at base (a pointer to the plan's type), and reports whether it
// did. When it did not (a NULL, or a value not decoded here), scan the
// row with Dest as usual: it stores every field again.
func (r *Row) DecodeWire(base unsafe.Pointer) bool {
	vals := r.wire.src.RawValues()
	kinds := r.wire.kinds
	offs, ptrs := r.offs[:len(kinds)], r.wire.ptrs[:len(kinds)]
	if len(vals) != len(kinds) {
		return false
	}
	if r.sharing {
		r.blk.rows++
	}
	for i, k := range kinds {
		v := vals[i]
		p := unsafe.Add(base, offs[i])
		if ptrs[i] {
			// A pointer field: nil for NULL, else a new value of its own,
			// as pgx makes one.
			if v == nil {
				*(*unsafe.Pointer)(p) = nil
				continue
			}
			e := newWire(k)
			*(*unsafe.Pointer)(p) = e
			p = e
		}
		if v == nil || !decodeWire(k, v, p, r) {
			if r.sharing {
				r.blk.rows-- // Dest counts the row again
			}
			return false
		}
	}
	return true
}

// newWire allocates a value of the Go type k decodes into.
func newWire(k wireKind) unsafe.Pointer {
	switch k {
	case wireText:
		return unsafe.Pointer(new(string))
	case wireInt8, wireInt4To64, wireInt2To64, wireFloat8:
		return unsafe.Pointer(new(int64)) // int, int64 and float64 alike: 8 bytes without pointers
	case wireInt4, wireInt2To32, wireFloat4:
		return unsafe.Pointer(new(int32))
	case wireInt2:
		return unsafe.Pointer(new(int16))
	case wireBool:
		return unsafe.Pointer(new(bool))
	case wireTimestamptz, wireTimestamp, wireDate:
		return unsafe.Pointer(new(time.Time))
	case wireUUID:
		return unsafe.Pointer(new([16]byte))
	default: // wireBytea
		return unsafe.Pointer(new([]byte))
	}
}

// Microseconds and days from the Unix epoch to PostgreSQL's, 2000-01-01.
const (
	pgEpochMicros    = 946684800 * 1000000
	pgInfinityMicros = math.MaxInt64
	pgMinusInfMicros = math.MinInt64
	pgInfinityDays   = math.MaxInt32
	pgMinusInfDays   = math.MinInt32
)

// decodeWire stores v, a non-NULL value, at p as k says, and reports
// whether it could.
func decodeWire(k wireKind, v []byte, p unsafe.Pointer, r *Row) bool {
	switch k {
	case wireText:
		if r.sharing {
			*(*string)(p) = r.blk.str(v)
		} else {
			*(*string)(p) = string(v)
		}
	case wireInt8:
		if len(v) != 8 {
			return false
		}
		*(*int64)(p) = int64(binary.BigEndian.Uint64(v))
	case wireInt4To64:
		if len(v) != 4 {
			return false
		}
		*(*int64)(p) = int64(int32(binary.BigEndian.Uint32(v)))
	case wireInt4:
		if len(v) != 4 {
			return false
		}
		*(*int32)(p) = int32(binary.BigEndian.Uint32(v))
	case wireInt2To64:
		if len(v) != 2 {
			return false
		}
		*(*int64)(p) = int64(int16(binary.BigEndian.Uint16(v)))
	case wireInt2To32:
		if len(v) != 2 {
			return false
		}
		*(*int32)(p) = int32(int16(binary.BigEndian.Uint16(v)))
	case wireInt2:
		if len(v) != 2 {
			return false
		}
		*(*int16)(p) = int16(binary.BigEndian.Uint16(v))
	case wireFloat8:
		if len(v) != 8 {
			return false
		}
		*(*float64)(p) = math.Float64frombits(binary.BigEndian.Uint64(v))
	case wireFloat4:
		if len(v) != 4 {
			return false
		}
		*(*float32)(p) = math.Float32frombits(binary.BigEndian.Uint32(v))
	case wireBool:
		if len(v) != 1 {
			return false
		}
		*(*bool)(p) = v[0] == 1
	case wireTimestamptz, wireTimestamp:
		if len(v) != 8 {
			return false
		}
		us := int64(binary.BigEndian.Uint64(v))
		if us == pgInfinityMicros || us == pgMinusInfMicros {
			return false
		}
		// As pgx computes it (its sum cannot overflow where the
		// difference of the epochs is added first).
		t := time.Unix(pgEpochMicros/1000000+us/1000000, (pgEpochMicros%1000000*1000)+(us%1000000*1000))
		if k == wireTimestamp {
			t = t.UTC()
		}
		*(*time.Time)(p) = t
	case wireDate:
		if len(v) != 4 {
			return false
		}
		days := int32(binary.BigEndian.Uint32(v))
		if days == pgInfinityDays || days == pgMinusInfDays {
			return false
		}
		*(*time.Time)(p) = time.Date(2000, 1, int(1+days), 0, 0, 0, 0, time.UTC)
	case wireUUID:
		if len(v) != 16 {
			return false
		}
		*(*[16]byte)(p) = [16]byte(v)
	case wireBytea:
		b := make([]byte, len(v))
		copy(b, v)
		*(*[]byte)(p) = b
	default:
		return false
	}
	return true
}
