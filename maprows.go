package wren

import (
	"context"
	"encoding/hex"
	"fmt"
	"math"
	"reflect"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5/pgtype"

	"github.com/wrensql/wren/scan"
)

// This file reads rows whose shape is not known at compile time (Peewee's
// .dicts() and .tuples()): as maps and as slices, with values converted to
// the same Go types on every database.

// AllMaps runs q and returns each row as a map from the column names the
// database reports to the values (Peewee's .dicts()). Two columns with one
// name are an error: alias one with As.
//
// Values have the same Go types on PostgreSQL, MySQL/MariaDB and SQLite.
// A column whose Go type the statement knows (a wren column or typed
// expression) comes back as: int64 for every signed integer type, uint64
// for unsigned ones, float64, string, bool, time.Time, []byte, or nil for
// NULL; other types (wren.Date, a sql.Scanner such as uuid.UUID) come back
// as that type. A column of a [RawStmt], whose type only the database knows,
// is normalised from the driver's value: integers to int64, floats to
// float64, text to string (MySQL sends text as bytes), binary columns to
// []byte, NUMERIC/DECIMAL to its text, times to time.Time where the driver
// parses them (SQLite only for columns declared DATE, DATETIME or
// TIMESTAMP, MySQL with parseTime). A boolean of a raw statement is an
// integer on MySQL and SQLite, which have no boolean type in results.
// Times are in UTC, whatever location the driver gave them.
func AllMaps(ctx context.Context, db Querier, q Statement) ([]map[string]any, error) {
	var out []map[string]any
	_, err := readDynamic(ctx, db, q, func(names []string, vals []any) {
		m := make(map[string]any, len(names))
		for i, n := range names {
			m[n] = vals[i]
		}
		out = append(out, m)
	}, true)
	if err != nil {
		return nil, err
	}
	return out, nil
}

// AllTuples runs q and returns the column names the database reports and
// each row as a slice of values in column order (Peewee's .tuples()), with
// values of the Go types [AllMaps] describes.
func AllTuples(ctx context.Context, db Querier, q Statement) ([]string, [][]any, error) {
	var out [][]any
	cols, err := readDynamic(ctx, db, q, func(_ []string, vals []any) {
		out = append(out, vals)
	}, false)
	if err != nil {
		return nil, nil, err
	}
	return cols, out, nil
}

// dynKind is the Go type a dynamic column's values are converted to.
type dynKind uint8

const (
	dynRaw dynKind = iota // no declared type: normalised from the driver's value
	dynInt
	dynUint
	dynFloat
	dynString
	dynBool
	dynTime
	dynBytes
	dynScanner // scanned straight into a new value of the declared type
)

type dynCol struct {
	name   string
	kind   dynKind
	typ    reflect.Type // dynScanner's type
	binary bool         // dynRaw: the database says the column is binary
}

var (
	timeType  = reflect.TypeFor[time.Time]()
	bytesType = reflect.TypeFor[[]byte]()
)

// dynColumn works out how to read a column whose declared Go type is t
// (nil when unknown).
func dynColumn(name string, t reflect.Type) dynCol {
	c := dynCol{name: name}
	for t != nil {
		if t.Kind() == reflect.Pointer {
			t = t.Elem()
			continue
		}
		if t.Kind() == reflect.Struct && strings.HasPrefix(t.PkgPath(), "database/sql") && t.NumField() == 2 && t.Field(1).Name == "Valid" {
			t = t.Field(0).Type
			continue
		}
		break
	}
	switch {
	case t == nil:
		return c
	case t == timeType:
		c.kind = dynTime
		return c
	case t == bytesType || t.Kind() == reflect.Slice && t.Elem().Kind() == reflect.Uint8:
		c.kind = dynBytes
		return c
	case reflect.PointerTo(t).Implements(scannerType):
		c.kind, c.typ = dynScanner, t
		return c
	}
	switch t.Kind() {
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		c.kind = dynInt
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		c.kind = dynUint
	case reflect.Float32, reflect.Float64:
		c.kind = dynFloat
	case reflect.String:
		c.kind = dynString
	case reflect.Bool:
		c.kind = dynBool
	}
	return c
}

// readDynamic runs q and calls each with every row's values, converted.
func readDynamic(ctx context.Context, db Querier, q Statement, each func(names []string, vals []any), unique bool) ([]string, error) {
	if err := checkRun(db, q); err != nil {
		return nil, err
	}
	r, err := render(db.Dialect(), q)
	if err != nil {
		return nil, err
	}
	text := texts.intern(r.buf)
	rs, err := db.conn().query(ctx, text, r.args)
	r.release()
	if err != nil {
		return nil, stmtError(ctx, "query", db, text, err)
	}
	defer rs.Close()
	names, err := rs.Columns()
	if err != nil {
		return nil, fmt.Errorf("wren: %w", err)
	}
	if unique {
		seen := make(map[string]bool, len(names))
		for _, n := range names {
			if seen[n] {
				return nil, fmt.Errorf("wren: AllMaps: two columns are named %q, and a map keeps one value per name: alias one with As (or use AllTuples)", n)
			}
			seen[n] = true
		}
	}
	var declared []scan.Column
	if rc, ok := q.(resultColumner); ok {
		declared = rc.ResultColumns()
	}
	if len(declared) != len(names) {
		declared = nil
	}
	cols := make([]dynCol, len(names))
	for i, n := range names {
		var t reflect.Type
		if declared != nil {
			t = declared[i].Type
		}
		cols[i] = dynColumn(n, t)
	}
	if sr, ok := driverRows(rs).(sqlRows); ok {
		if cts, err := sr.ColumnTypes(); err == nil && len(cts) == len(cols) {
			for i, ct := range cts {
				tn := strings.ToUpper(ct.DatabaseTypeName())
				cols[i].binary = strings.Contains(tn, "BLOB") || strings.Contains(tn, "BINARY") || tn == "BYTEA"
			}
		}
	} else {
		for i := range cols {
			cols[i].binary = true // pgx gives []byte for bytea only
		}
	}
	dest := make([]any, len(cols))
	slots := make([]any, len(cols))
	for rs.Next() {
		for i, c := range cols {
			if c.kind == dynScanner {
				dest[i] = reflect.New(reflect.PointerTo(c.typ)).Interface() // **T: nil for NULL
			} else {
				slots[i] = nil
				dest[i] = &slots[i]
			}
		}
		if err := rs.Scan(dest...); err != nil {
			return nil, withCause(ctx, fmt.Errorf("wren: scan: %w", err))
		}
		vals := make([]any, len(cols))
		for i, c := range cols {
			if c.kind == dynScanner {
				p := reflect.ValueOf(dest[i]).Elem()
				if !p.IsNil() {
					vals[i] = p.Elem().Interface()
				}
				continue
			}
			v, err := c.convert(slots[i])
			if err != nil {
				return nil, fmt.Errorf("wren: column %s: %w", c.name, err)
			}
			vals[i] = v
		}
		each(names, vals)
	}
	if err := rs.Err(); err != nil {
		return nil, withCause(ctx, fmt.Errorf("wren: %w", err))
	}
	return names, nil
}

// convert turns the driver's value v into the column's Go type.
func (c dynCol) convert(v any) (any, error) {
	if v == nil {
		return nil, nil
	}
	bad := func() (any, error) {
		return nil, fmt.Errorf("the database sent %T (%v), which does not convert to %s", v, v, c.kindName())
	}
	if b, ok := v.([]byte); ok && c.kind != dynBytes && c.kind != dynRaw {
		v = string(b) // MySQL sends numbers, text and times as text
	}
	switch c.kind {
	case dynInt:
		switch x := v.(type) {
		case string:
			if n, err := strconv.ParseInt(x, 10, 64); err == nil {
				return n, nil
			}
			return bad()
		case bool:
			if x {
				return int64(1), nil
			}
			return int64(0), nil
		case float64:
			if x != math.Trunc(x) || math.Abs(x) > 1<<63 {
				return bad()
			}
			return int64(x), nil
		}
		if n, ok := asInt64(v); ok {
			return n, nil
		}
		return bad()
	case dynUint:
		switch x := v.(type) {
		case uint64:
			return x, nil
		case pgtype.Numeric:
			if t, err := numericText(x); err == nil {
				v = t
			}
		}
		if s, ok := v.(string); ok {
			if n, err := strconv.ParseUint(s, 10, 64); err == nil {
				return n, nil
			}
			return bad()
		}
		if n, ok := asInt64(v); ok && n >= 0 {
			return uint64(n), nil
		}
		return bad()
	case dynFloat:
		switch x := v.(type) {
		case float64:
			return x, nil
		case float32:
			return float64(x), nil
		case string:
			if f, err := strconv.ParseFloat(x, 64); err == nil {
				return f, nil
			}
			return bad()
		case pgtype.Numeric:
			if f, err := x.Float64Value(); err == nil && f.Valid {
				return f.Float64, nil
			}
			return bad()
		}
		if n, ok := asInt64(v); ok {
			return float64(n), nil
		}
		return bad()
	case dynString:
		if x, ok := v.(string); ok {
			return x, nil
		}
		return bad()
	case dynBool:
		switch x := v.(type) {
		case bool:
			return x, nil
		case string:
			if b, err := strconv.ParseBool(x); err == nil {
				return b, nil
			}
			return bad()
		}
		if n, ok := asInt64(v); ok && (n == 0 || n == 1) {
			return n == 1, nil
		}
		return bad()
	case dynTime:
		switch x := v.(type) {
		case time.Time:
			return x.UTC(), nil
		case string:
			if t, ok := parseTimeText(x); ok {
				return t.UTC(), nil
			}
		}
		return bad()
	case dynBytes:
		switch x := v.(type) {
		case []byte:
			return append([]byte(nil), x...), nil
		case string:
			return []byte(x), nil
		}
		return bad()
	}
	// dynRaw: the driver's value, normalised.
	switch x := v.(type) {
	case []byte:
		if c.binary {
			return append([]byte(nil), x...), nil
		}
		return string(x), nil
	case float32:
		return float64(x), nil
	case pgtype.Numeric:
		s, err := numericText(x)
		if err != nil {
			return bad()
		}
		return s, nil
	case [16]byte: // a PostgreSQL uuid
		h := hex.EncodeToString(x[:])
		return h[:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:], nil
	case uint64:
		return x, nil
	case time.Time:
		return x.UTC(), nil
	}
	if n, ok := asInt64(v); ok {
		return n, nil
	}
	return v, nil
}

func (c dynCol) kindName() string {
	return [...]string{dynRaw: "a value", dynInt: "int64", dynUint: "uint64", dynFloat: "float64", dynString: "string",
		dynBool: "bool", dynTime: "time.Time", dynBytes: "[]byte", dynScanner: "the declared type"}[c.kind]
}

// asInt64 converts any Go integer that fits into an int64.
func asInt64(v any) (int64, bool) {
	switch x := v.(type) {
	case int64:
		return x, true
	case int32:
		return int64(x), true
	case int16:
		return int64(x), true
	case int8:
		return int64(x), true
	case int:
		return int64(x), true
	case uint32:
		return int64(x), true
	case uint16:
		return int64(x), true
	case uint8:
		return int64(x), true
	case uint64:
		if x <= math.MaxInt64 {
			return int64(x), true
		}
	case uint:
		if uint64(x) <= math.MaxInt64 {
			return int64(x), true
		}
	}
	return 0, false
}

// numericText is a PostgreSQL NUMERIC as decimal text.
func numericText(n pgtype.Numeric) (string, error) {
	v, err := n.Value()
	if err != nil {
		return "", err
	}
	s, _ := v.(string)
	return s, nil
}

// timeLayouts are the text forms times come in when a driver does not parse
// them: SQLite's (as wren writes them and as its date functions return
// them) and MySQL's without parseTime.
var timeLayouts = []string{
	"2006-01-02 15:04:05.999999999-07:00",
	time.RFC3339Nano,
	"2006-01-02 15:04:05.999999999",
	"2006-01-02T15:04:05.999999999",
	"2006-01-02",
}

func parseTimeText(s string) (time.Time, bool) {
	for _, l := range timeLayouts {
		if t, err := time.Parse(l, s); err == nil {
			return t, true
		}
	}
	return time.Time{}, false
}
