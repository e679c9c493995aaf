package schema

import (
	"regexp"
	"strings"

	"github.com/wrensql/wren/dialect"
)

var (
	spaces      = regexp.MustCompile(`\s+`)
	pgNumeric0  = regexp.MustCompile(`^NUMERIC\((\d+),\s*0\)$`)
	myIntWidth  = regexp.MustCompile(`^(TINYINT|SMALLINT|MEDIUMINT|INT|BIGINT)\(\d+\)`)
	spaceParens = regexp.MustCompile(`\s*\(\s*`)
)

// pgAliases are PostgreSQL's other names for a type, by the name wren
// writes (format_type reports the long SQL-standard forms).
var pgAliases = []struct{ from, to string }{
	{"TIMESTAMP WITH TIME ZONE", "TIMESTAMPTZ"},
	{"TIMESTAMP WITHOUT TIME ZONE", "TIMESTAMP"},
	{"TIME WITH TIME ZONE", "TIMETZ"},
	{"TIME WITHOUT TIME ZONE", "TIME"},
	{"CHARACTER VARYING", "VARCHAR"},
	{"CHARACTER", "CHAR"},
	{"BIT VARYING", "VARBIT"},
}

var pgWords = map[string]string{
	"INT8": "BIGINT", "INT4": "INTEGER", "INT": "INTEGER", "INT2": "SMALLINT",
	"FLOAT8": "DOUBLE PRECISION", "FLOAT": "DOUBLE PRECISION", "FLOAT4": "REAL", "BOOL": "BOOLEAN",
	"DECIMAL": "NUMERIC", "SERIAL": "INTEGER", "BIGSERIAL": "BIGINT", "SMALLSERIAL": "SMALLINT",
}

var myWords = map[string]string{
	"INTEGER": "INT", "BOOL": "BOOLEAN", "TINYINT(1)": "BOOLEAN", "DOUBLE PRECISION": "DOUBLE",
	"REAL": "DOUBLE", "DEC": "DECIMAL", "NUMERIC": "DECIMAL",
}

// CanonicalType spells the SQL type s the way one dialect's catalog and
// wren's DDL agree on: upper case, single spaces, PostgreSQL's long names
// shortened (character varying(80) is VARCHAR(80), timestamp with time
// zone TIMESTAMPTZ, numeric(20,0) NUMERIC(20)), MySQL's integer display
// widths dropped (int(11) is INT) and tinyint(1) read as BOOLEAN. Two
// types that CanonicalType spells alike are the same type.
func CanonicalType(d *dialect.Dialect, s string) string {
	s = upperOutsideQuotes(strings.TrimSpace(spaces.ReplaceAllString(s, " ")))
	s = spaceParens.ReplaceAllString(s, "(")
	s = strings.ReplaceAll(s, " )", ")")
	switch {
	case d == dialect.Postgres:
		for _, a := range pgAliases {
			if strings.HasPrefix(s, a.from) {
				s = a.to + s[len(a.from):]
				break
			}
		}
		// TIMESTAMP(6) WITH TIME ZONE has its precision in the middle.
		if strings.HasPrefix(s, "TIMESTAMP(") && strings.HasSuffix(s, ") WITH TIME ZONE") {
			s = "TIMESTAMPTZ" + strings.TrimSuffix(s[len("TIMESTAMP"):], " WITH TIME ZONE")
		}
		if m := pgNumeric0.FindStringSubmatch(s); m != nil {
			s = "NUMERIC(" + m[1] + ")"
		}
		base, rest := splitType(s)
		if w, ok := pgWords[base]; ok {
			s = w + rest
		}
	case d.IsMySQLFamily():
		if w, ok := myWords[s]; ok {
			return w
		}
		if s != "TINYINT(1)" {
			s = myIntWidth.ReplaceAllString(s, "$1")
		}
		base, rest := splitType(s)
		if w, ok := myWords[base]; ok {
			s = w + rest
		}
	}
	return s
}

// splitType splits "VARCHAR(80)" into "VARCHAR" and "(80)", and
// "BIGINT UNSIGNED" into "BIGINT" and " UNSIGNED".
func splitType(s string) (string, string) {
	if i := strings.IndexAny(s, "( "); i > 0 {
		return s[:i], s[i:]
	}
	return s, ""
}

// portableOrder is the order the generator tries wren's portable types in
// when a catalog type could be several Go types (SQLite's INTEGER is every
// integer): the widest first.
var portableOrder = []dialect.Type{
	dialect.Int64, dialect.Int32, dialect.Int16, dialect.Uint64, dialect.Float64, dialect.Float32,
	dialect.String, dialect.Bool, dialect.Time, dialect.Date, dialect.Bytes,
}

var goTypeNames = map[dialect.Type]string{
	dialect.Int64: "int64", dialect.Int32: "int32", dialect.Int16: "int16", dialect.Uint64: "uint64",
	dialect.Float64: "float64", dialect.Float32: "float32", dialect.String: "string", dialect.Bool: "bool",
	dialect.Time: "time.Time", dialect.Date: "wren.Date", dialect.Bytes: "[]byte",
}

var varcharSize = regexp.MustCompile(`^VARCHAR\((\d+)\)$`)

// goTypeFamily guesses the Go type of a column type docs/types.md does not
// map (it is then declared with type=…), by its kind of values; "" when
// there is no safe guess.
func goTypeFamily(canon string) string {
	base, _ := splitType(canon)
	switch base {
	case "TINYINT", "MEDIUMINT", "INT", "INTEGER", "BIGINT", "SMALLINT", "INT2", "INT4", "INT8":
		if strings.Contains(canon, "UNSIGNED") {
			return "uint64"
		}
		return "int64"
	case "DOUBLE", "FLOAT", "REAL", "DOUBLE PRECISION":
		return "float64"
	case "CHAR", "VARCHAR", "TEXT", "TINYTEXT", "MEDIUMTEXT", "LONGTEXT", "CLOB", "NCHAR", "NVARCHAR", "CITEXT":
		return "string"
	case "TIMESTAMP", "TIMESTAMPTZ", "DATETIME":
		return "time.Time"
	case "BLOB", "TINYBLOB", "MEDIUMBLOB", "LONGBLOB", "BINARY", "VARBINARY", "BYTEA":
		return "[]byte"
	case "BOOLEAN":
		return "bool"
	}
	return ""
}

// upperOutsideQuotes upper-cases s except inside '…' (ENUM('a','b') keeps
// its values).
func upperOutsideQuotes(s string) string {
	b := []byte(s)
	quoted := false
	for i, c := range b {
		switch {
		case c == '\'':
			quoted = !quoted
		case !quoted && 'a' <= c && c <= 'z':
			b[i] = c - 'a' + 'A'
		}
	}
	return string(b)
}
