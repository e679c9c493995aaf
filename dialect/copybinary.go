package dialect

import (
	"encoding/binary"
	"math"
	"time"
)

// The binary format of COPY (PostgreSQL): a signature, then per row the
// number of fields as a 16-bit integer and each field as its length (32
// bits, -1 for NULL) followed by the bytes of the type's binary form, then
// a trailer. The server reads binary values without parsing text, which
// for timestamps and floats costs it more than the rest of the row.

// Type OIDs of the PostgreSQL types whose binary forms are written here.
const (
	OIDBool        uint32 = 16
	OIDBytea       uint32 = 17
	OIDInt8        uint32 = 20
	OIDInt2        uint32 = 21
	OIDInt4        uint32 = 23
	OIDText        uint32 = 25
	OIDFloat4      uint32 = 700
	OIDFloat8      uint32 = 701
	OIDBpchar      uint32 = 1042
	OIDVarchar     uint32 = 1043
	OIDTimestamptz uint32 = 1184
)

// CopyTypesSQL returns the query that gives the type OIDs of the columns
// named in the text array $2 of the table $1 (its quoted identifier), in
// that order, as one array; columns it does not find are left out.
func (d *Dialect) CopyTypesSQL() string { return "SELECT " + copyTypes("$1", "$2") }

// copyTypes is CopyTypesSQL's scalar subquery, with the table and the
// column names in the parameters given.
func copyTypes(table, names string) string {
	return "(SELECT array_agg(a.atttypid ORDER BY c.i) FROM unnest(CAST(" + names + " AS text[])) WITH ORDINALITY AS c(name, i)" +
		" JOIN pg_attribute AS a ON a.attrelid = to_regclass(" + table + ") AND a.attname = c.name AND a.attnum > 0 AND NOT a.attisdropped)"
}

// AppendCopyBinaryHeader appends the start of a binary COPY: its
// signature, no flags and no header extension.
func AppendCopyBinaryHeader(dst []byte) []byte {
	return append(dst, "PGCOPY\n\xff\r\n\x00\x00\x00\x00\x00\x00\x00\x00\x00"...)
}

// AppendCopyBinaryTrailer appends the end of a binary COPY.
func AppendCopyBinaryTrailer(dst []byte) []byte { return append(dst, 0xff, 0xff) }

// AppendCopyBinaryRow appends the start of a row of n fields.
func AppendCopyBinaryRow(dst []byte, n int) []byte {
	return binary.BigEndian.AppendUint16(dst, uint16(n))
}

// AppendCopyBinaryNull appends a NULL field.
func AppendCopyBinaryNull(dst []byte) []byte { return append(dst, 0xff, 0xff, 0xff, 0xff) }

// AppendCopyBinaryInt8 appends a bigint.
func AppendCopyBinaryInt8(dst []byte, v int64) []byte {
	return binary.BigEndian.AppendUint64(append(dst, 0, 0, 0, 8), uint64(v))
}

// AppendCopyBinaryInt4 appends an integer.
func AppendCopyBinaryInt4(dst []byte, v int32) []byte {
	return binary.BigEndian.AppendUint32(append(dst, 0, 0, 0, 4), uint32(v))
}

// AppendCopyBinaryInt2 appends a smallint.
func AppendCopyBinaryInt2(dst []byte, v int16) []byte {
	return binary.BigEndian.AppendUint16(append(dst, 0, 0, 0, 2), uint16(v))
}

// AppendCopyBinaryFloat8 appends a double precision.
func AppendCopyBinaryFloat8(dst []byte, v float64) []byte {
	return binary.BigEndian.AppendUint64(append(dst, 0, 0, 0, 8), math.Float64bits(v))
}

// AppendCopyBinaryFloat4 appends a real.
func AppendCopyBinaryFloat4(dst []byte, v float32) []byte {
	return binary.BigEndian.AppendUint32(append(dst, 0, 0, 0, 4), math.Float32bits(v))
}

// AppendCopyBinaryBool appends a boolean.
func AppendCopyBinaryBool(dst []byte, v bool) []byte {
	b := byte(0)
	if v {
		b = 1
	}
	return append(dst, 0, 0, 0, 1, b)
}

// AppendCopyBinaryBytes appends b as a bytea, or as the bytes of a text
// value (the server checks their encoding).
func AppendCopyBinaryBytes(dst []byte, b []byte) []byte {
	return append(binary.BigEndian.AppendUint32(dst, uint32(len(b))), b...)
}

// AppendCopyBinaryString appends s as a text, varchar or char value.
func AppendCopyBinaryString(dst []byte, s string) []byte {
	return append(binary.BigEndian.AppendUint32(dst, uint32(len(s))), s...)
}

// y2k is where PostgreSQL's binary timestamps count from, in Unix seconds.
const y2k = 946684800

// AppendCopyBinaryTimestamptz appends t as a timestamp with time zone:
// microseconds since 2000-01-01 UTC, the nanoseconds below a microsecond
// dropped as the text form drops them. t must fall within CopyTimeOK.
func AppendCopyBinaryTimestamptz(dst []byte, t time.Time) []byte {
	us := (t.Unix()-y2k)*1_000_000 + int64(t.Nanosecond()/1000)
	return AppendCopyBinaryInt8(dst, us)
}
