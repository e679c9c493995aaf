package dialect

import (
	"bytes"
	"math"
	"testing"
	"time"
)

// TestCopyBinary checks COPY's binary format value by value against the
// bytes PostgreSQL's documentation gives: a 32-bit length, then the
// value's network-order bytes.
func TestCopyBinary(t *testing.T) {
	cases := []struct {
		name string
		got  []byte
		want []byte
	}{
		{"header", AppendCopyBinaryHeader(nil), []byte("PGCOPY\n\xff\r\n\x00\x00\x00\x00\x00\x00\x00\x00\x00")},
		{"trailer", AppendCopyBinaryTrailer(nil), []byte{0xff, 0xff}},
		{"row of 3", AppendCopyBinaryRow(nil, 3), []byte{0, 3}},
		{"null", AppendCopyBinaryNull(nil), []byte{0xff, 0xff, 0xff, 0xff}},
		{"int8", AppendCopyBinaryInt8(nil, -2), []byte{0, 0, 0, 8, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xfe}},
		{"int4", AppendCopyBinaryInt4(nil, 258), []byte{0, 0, 0, 4, 0, 0, 1, 2}},
		{"int2", AppendCopyBinaryInt2(nil, -1), []byte{0, 0, 0, 2, 0xff, 0xff}},
		{"float8", AppendCopyBinaryFloat8(nil, 1), []byte{0, 0, 0, 8, 0x3f, 0xf0, 0, 0, 0, 0, 0, 0}},
		{"float8 nan", AppendCopyBinaryFloat8(nil, math.NaN()), []byte{0, 0, 0, 8, 0x7f, 0xf8, 0, 0, 0, 0, 0, 1}},
		{"float4", AppendCopyBinaryFloat4(nil, 1), []byte{0, 0, 0, 4, 0x3f, 0x80, 0, 0}},
		{"true", AppendCopyBinaryBool(nil, true), []byte{0, 0, 0, 1, 1}},
		{"false", AppendCopyBinaryBool(nil, false), []byte{0, 0, 0, 1, 0}},
		{"text", AppendCopyBinaryString(nil, "ü\t"), []byte{0, 0, 0, 3, 0xc3, 0xbc, '\t'}},
		{"empty text", AppendCopyBinaryString(nil, ""), []byte{0, 0, 0, 0}},
		{"bytea", AppendCopyBinaryBytes(nil, []byte{0, 0xab}), []byte{0, 0, 0, 2, 0, 0xab}},
		// 2000-01-01 00:00:01.000002 UTC is 1,000,002 µs; the nanoseconds
		// below a microsecond are dropped, and the zone does not matter.
		{"timestamptz", AppendCopyBinaryTimestamptz(nil, time.Date(2000, 1, 1, 2, 0, 1, 2999, time.FixedZone("", 2*3600))),
			[]byte{0, 0, 0, 8, 0, 0, 0, 0, 0, 0x0f, 0x42, 0x42}},
		// Before 2000 the count is negative, and still drops toward the past.
		{"timestamptz before 2000", AppendCopyBinaryTimestamptz(nil, time.Date(1999, 12, 31, 23, 59, 59, 999999500, time.UTC)),
			[]byte{0, 0, 0, 8, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff}},
	}
	for _, c := range cases {
		if !bytes.Equal(c.got, c.want) {
			t.Errorf("%s: % x, want % x", c.name, c.got, c.want)
		}
	}
}

// TestCopyKeysSQL holds the statements that draw keys around a COPY to
// their text.
func TestCopyKeysSQL(t *testing.T) {
	d := Postgres
	for _, c := range []struct{ got, want string }{
		{d.CopyFromSQL(`"t"`, []string{`"a"`, `"b"`}, true), `COPY "t" ("a", "b") FROM STDIN WITH (FORMAT binary)`},
		{d.CurrvalSQL(), "SELECT currval(CAST($1 AS regclass))"},
		{d.OwnKeysSQL(`"t"`, `"id"`, true), `SELECT array_agg("id" ORDER BY "id") FROM "t" WHERE "id" > $1 AND "id" <= $2 AND xmin = CAST(pg_current_xact_id() AS xid)`},
		{d.OwnKeysSQL(`"t"`, `"id"`, false), `SELECT array_agg("id" ORDER BY "id" DESC) FROM "t" WHERE "id" < $1 AND "id" >= $2 AND xmin = CAST(pg_current_xact_id() AS xid)`},
		{d.CopyTypesSQL(), "SELECT (SELECT array_agg(a.atttypid ORDER BY c.i) FROM unnest(CAST($2 AS text[])) WITH ORDINALITY AS c(name, i)" +
			" JOIN pg_attribute AS a ON a.attrelid = to_regclass($1) AND a.attname = c.name AND a.attnum > 0 AND NOT a.attisdropped)"},
	} {
		if c.got != c.want {
			t.Errorf("got  %s\nwant %s", c.got, c.want)
		}
	}
}
