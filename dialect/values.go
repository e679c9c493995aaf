package dialect

import (
	"fmt"
	"strconv"
	"strings"
)

// JSONValue says what a JSON path extraction yields: SQL text, a JSON
// document, or a number or boolean cast from the text.
type JSONValue uint8

// The kinds of value a JSON path extraction yields.
const (
	JSONText     JSONValue = iota + 1 // the value as text (a string unquoted)
	JSONDocument                      // the value as a JSON document
	JSONInt                           // an integer
	JSONFloat                         // a floating-point number
	JSONBool                          // a boolean
)

// JSONExtract returns the SQL written around a JSON document and its bound
// path (see [Dialect.JSONPath]) to extract the value at the path as v:
// prefix + document + mid + path + suffix. PostgreSQL uses #>> and #>,
// MySQL and MariaDB JSON_EXTRACT (and JSON_UNQUOTE for text), SQLite ->>
// and ->. Numbers are cast from the text; a boolean is compared with the
// text 'true' on MySQL and MariaDB, where a cast would read it as 0.
func (d *Dialect) JSONExtract(v JSONValue) (prefix, mid, suffix string) {
	switch {
	case d == Postgres && v == JSONDocument:
		return "(", " #> ", ")"
	case d == Postgres:
		prefix, mid, suffix = "(", " #>> ", ")"
	case d.IsMySQLFamily() && v == JSONDocument:
		return "JSON_EXTRACT(", ", ", ")"
	case d.IsMySQLFamily():
		prefix, mid, suffix = "JSON_UNQUOTE(JSON_EXTRACT(", ", ", "))"
		if v == JSONBool {
			return "(" + prefix, mid, suffix + " = 'true')"
		}
	case v == JSONDocument:
		return "(", " -> ", ")"
	default:
		prefix, mid, suffix = "(", " ->> ", ")"
	}
	var t Type
	switch v {
	case JSONInt:
		t = Int64
	case JSONFloat:
		t = Float64
	case JSONBool:
		t = Bool
	default:
		return prefix, mid, suffix
	}
	return "CAST(" + prefix, mid, suffix + " AS " + d.CastType(t) + ")"
}

// JSONPath returns the bound parameter that names a path of object keys
// (strings) and array indexes (ints) in a JSON document: a text[] on
// PostgreSQL, a '$."key"[0]' path elsewhere. A key holding a double quote
// or a backslash cannot be written in MySQL's and SQLite's path syntax and
// is an error.
func (d *Dialect) JSONPath(path []any) (any, error) {
	if d == Postgres {
		keys := make([]string, len(path))
		for i, p := range path {
			switch k := p.(type) {
			case string:
				keys[i] = k
			case int:
				keys[i] = strconv.Itoa(k)
			default:
				return nil, fmt.Errorf("JSON path element %v is a %T: want a string key or an int index", p, p)
			}
		}
		return keys, nil
	}
	b := []byte{'$'}
	for _, p := range path {
		switch k := p.(type) {
		case string:
			if strings.ContainsAny(k, "\"\\") {
				return nil, fmt.Errorf("JSON path key %q holds a double quote or a backslash, which %s's path syntax cannot write", k, d)
			}
			b = append(b, '.', '"')
			b = append(b, k...)
			b = append(b, '"')
		case int:
			if k < 0 {
				return nil, fmt.Errorf("JSON path index %d is negative", k)
			}
			b = append(b, '[')
			b = strconv.AppendInt(b, int64(k), 10)
			b = append(b, ']')
		default:
			return nil, fmt.Errorf("JSON path element %v is a %T: want a string key or an int index", p, p)
		}
	}
	return string(b), nil
}

// JSONContains returns the SQL written around a JSON document and a bound
// JSON value for "the document contains the value": PostgreSQL's @> and
// MySQL's and MariaDB's JSON_CONTAINS. ok is false on SQLite, which has
// neither.
func (d *Dialect) JSONContains() (prefix, mid, suffix string, ok bool) {
	switch {
	case d == Postgres:
		return "", " @> ", "", true
	case d.IsMySQLFamily():
		return "JSON_CONTAINS(", ", ", ")", true
	}
	return "", "", "", false
}

// NativeUUID reports whether the driver binds and scans a [16]byte as a
// UUID (pgx does). Elsewhere wren binds it as its 36-character text.
func (d *Dialect) NativeUUID() bool { return d == Postgres }

// AppendStringLiteral appends s as a quoted SQL string literal, for DDL
// that cannot take parameters (an enum's CHECK constraint): quotes are
// doubled, and on MySQL and MariaDB, where a backslash escapes in string
// literals, so are backslashes.
func (d *Dialect) AppendStringLiteral(b []byte, s string) []byte {
	b = append(b, '\'')
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c == '\'' || (c == '\\' && d.IsMySQLFamily()) {
			b = append(b, c)
		}
		b = append(b, c)
	}
	return append(b, '\'')
}

// ExactDigits is the number of significant decimal digits a NUMERIC or
// DECIMAL column keeps exactly, or 0 for as many as its declared
// precision: SQLite stores a decimal that is not an integer as a 64-bit
// float and keeps 15 digits.
func (d *Dialect) ExactDigits() int {
	if d == SQLite {
		return 15
	}
	return 0
}
