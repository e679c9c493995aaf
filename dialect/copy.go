package dialect

import (
	"math"
	"strconv"
	"strings"
	"time"
)

// CopyRows reports whether rows can be streamed into a table with
// COPY … FROM STDIN in the text format (PostgreSQL): one statement, however
// many rows, with no parameters to bind.
func (d *Dialect) CopyRows() bool { return d.copyRows }

// CopyFromSQL returns the statement that streams rows into table, whose
// columns cols are given as identifiers already quoted, in the text format
// or the binary one.
func (d *Dialect) CopyFromSQL(table string, cols []string, binary bool) string {
	text := "COPY " + table + " (" + strings.Join(cols, ", ") + ") FROM STDIN"
	if binary {
		text += " WITH (FORMAT binary)"
	}
	return text
}

// ReserveKeysSQL returns the query that draws $3 keys for the column named
// $2 of the table $1 (its quoted identifier) from the sequence behind the
// column's default, as one array, and gives the types of the columns named
// in $4 (see CopyTypesSQL). The array is NULL when no sequence feeds the
// column, or when the column is GENERATED ALWAYS AS IDENTITY and refuses
// keys given to it.
func (d *Dialect) ReserveKeysSQL() string {
	// The sequence is looked up once (the scalar subqueries are evaluated
	// once), not per key: nextval on a name would resolve it for each call.
	const seq = "(SELECT CAST(pg_get_serial_sequence($1, $2) AS regclass))"
	return "SELECT (SELECT array_agg(nextval(" + seq + ")) FROM generate_series(1, $3) WHERE " + seq + " IS NOT NULL" +
		" AND NOT EXISTS (SELECT 1 FROM pg_attribute AS a WHERE a.attrelid = to_regclass($1) AND a.attname = $2 AND a.attidentity = 'a')), " +
		copyTypes("$1", "$4")
}

// SequenceStartSQL returns the query that starts a COPY whose keys the
// sequence behind the column named $2 of the table $1 (its quoted
// identifier) gives: a value below every key the sequence gives later (in
// the sequence's direction), the sequence's increment and name, the types
// of the columns named in $3 (see CopyTypesSQL), and whether the column's
// default is exactly the sequence's next value (an identity column, or a
// serial one whose default was not changed). One row, or none when no
// sequence feeds the column.
//
// The value is the sequence's last value, drawn by anyone, where no
// session keeps values of its own (CACHE 1, the default), so no value is
// wasted; a new sequence's start less one increment; or else a value drawn
// with nextval.
func (d *Dialect) SequenceStartSQL() string {
	const below = "CASE WHEN p.seqcache > 1 THEN nextval(q.s)" +
		" WHEN pg_sequence_last_value(q.s) IS NOT NULL THEN pg_sequence_last_value(q.s)" +
		" WHEN p.seqstart - CAST(p.seqincrement AS numeric) BETWEEN -9223372036854775808 AND 9223372036854775807 THEN p.seqstart - p.seqincrement" +
		" ELSE nextval(q.s) END"
	const exact = "(SELECT a.attidentity <> '' OR pg_get_expr(ad.adbin, ad.adrelid) = format('nextval(%L::regclass)', CAST(q.s AS text))" +
		" FROM pg_attribute AS a LEFT JOIN pg_attrdef AS ad ON ad.adrelid = a.attrelid AND ad.adnum = a.attnum" +
		" WHERE a.attrelid = to_regclass($1) AND a.attname = $2)"
	return "SELECT " + below + ", p.seqincrement, CAST(q.s AS text), " + copyTypes("$1", "$3") + ", " + exact +
		" FROM (SELECT CAST(pg_get_serial_sequence($1, $2) AS regclass) AS s) AS q JOIN pg_sequence AS p ON p.seqrelid = q.s"
}

// CurrvalSQL returns the query that gives the value the session last drew
// from the sequence named $1.
func (d *Dialect) CurrvalSQL() string { return "SELECT currval(CAST($1 AS regclass))" }

// OwnKeysSQL returns the query that gives, as one array, the keys in
// column col (a quoted identifier) of table from beyond $1 up to $2 that
// the current transaction wrote, in the order a sequence with a positive
// (asc) or negative increment gave them; NULL when there are none.
func (d *Dialect) OwnKeysSQL(table, col string, asc bool) string {
	if asc {
		return "SELECT array_agg(" + col + " ORDER BY " + col + ") FROM " + table + " WHERE " + col + " > $1 AND " + col + " <= $2 AND xmin = CAST(pg_current_xact_id() AS xid)"
	}
	return "SELECT array_agg(" + col + " ORDER BY " + col + " DESC) FROM " + table + " WHERE " + col + " < $1 AND " + col + " >= $2 AND xmin = CAST(pg_current_xact_id() AS xid)"
}

// The text format of COPY: columns separated by tabs, rows ended by a
// newline, NULL written \N, and a backslash, tab, newline or carriage
// return inside a value escaped with a backslash.

// AppendCopyNull appends a NULL value.
func AppendCopyNull(dst []byte) []byte { return append(dst, '\\', 'N') }

// AppendCopyString appends s, escaped.
func AppendCopyString(dst []byte, s string) []byte {
	start := 0
	for i := 0; i < len(s); i++ {
		var esc byte
		switch s[i] {
		case '\\':
			esc = '\\'
		case '\t':
			esc = 't'
		case '\n':
			esc = 'n'
		case '\r':
			esc = 'r'
		default:
			continue
		}
		dst = append(dst, s[start:i]...)
		dst = append(dst, '\\', esc)
		start = i + 1
	}
	return append(dst, s[start:]...)
}

// AppendCopyBytes appends b as a bytea value in hex (\\x…).
func AppendCopyBytes(dst []byte, b []byte) []byte {
	const hex = "0123456789abcdef"
	dst = append(dst, '\\', '\\', 'x')
	for _, c := range b {
		dst = append(dst, hex[c>>4], hex[c&15])
	}
	return dst
}

// AppendCopyFloat appends f exactly (the shortest text that reads back as
// the same value at the given bit size), with PostgreSQL's spellings of
// the infinities.
func AppendCopyFloat(dst []byte, f float64, bits int) []byte {
	switch {
	case math.IsInf(f, 1):
		return append(dst, "Infinity"...)
	case math.IsInf(f, -1):
		return append(dst, "-Infinity"...)
	case math.IsNaN(f):
		return append(dst, "NaN"...)
	}
	return strconv.AppendFloat(dst, f, 'g', -1, bits)
}

// AppendCopyBool appends t or f.
func AppendCopyBool(dst []byte, b bool) []byte {
	if b {
		return append(dst, 't')
	}
	return append(dst, 'f')
}

// CopyTimeOK reports whether AppendCopyTime writes t: years 1 to 9999.
func CopyTimeOK(t time.Time) bool { return t.Year() >= 1 && t.Year() <= 9999 }

// AppendCopyTime appends t to the microsecond (truncated, as pgx's binary
// encoding does) with its UTC offset: a TIMESTAMPTZ column stores the
// instant, a TIMESTAMP column the wall-clock time, as when t is bound as a
// parameter.
func AppendCopyTime(dst []byte, t time.Time) []byte {
	t = t.Truncate(time.Microsecond)
	if _, off := t.Zone(); off%60 != 0 {
		return t.AppendFormat(dst, "2006-01-02 15:04:05.999999-07:00:00")
	}
	return t.AppendFormat(dst, "2006-01-02 15:04:05.999999-07:00")
}
