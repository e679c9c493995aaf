package wren

import (
	"database/sql/driver"
	"fmt"
	"math"
	"math/big"
	"reflect"
	"strconv"
	"strings"
	"sync"
	"unsafe"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5/pgtype"

	"github.com/wrensql/wren/dialect"
)

// This file holds the value types whose rules go beyond their Go kind:
// exact decimals, enums (a string or integer type with a fixed set of
// values), and UUIDs (github.com/google/uuid's and a plain [16]byte).

// Decimal is an exact decimal number, for NUMERIC and DECIMAL columns such
// as money: it is held as its decimal digits, bound as text (as a
// pgtype.Numeric through pgx), and read from each driver's form without
// passing through a float: PostgreSQL, MySQL and MariaDB compute with
// NUMERIC/DECIMAL exactly, so SUM(price) is exact there. A Column[wren.Decimal] is NUMERIC on PostgreSQL (any
// precision), DECIMAL(65,30) on MySQL and MariaDB and NUMERIC on SQLite;
// say the precision with a tag: `wren:",type=NUMERIC(12,2)"`.
//
// SQLite keeps a decimal that is not an integer as a 64-bit float, exact to
// 15 significant digits: NUMERIC(12,2) money round-trips exactly on all
// three databases, and wren refuses to send SQLite a decimal with more
// digits (an integer value of up to 19 digits is kept exactly). SQLite
// computes with floats; a float read into a Decimal is taken to 15
// significant digits.
//
// Decimal does no arithmetic: convert with String to the decimal library
// the application computes with (shopspring/decimal, cockroachdb/apd, …).
// Values compare with Cmp; two Decimals of equal value are ==.
//
// The zero Decimal is 0.
type Decimal struct {
	s string // canonical: -?(0|[1-9][0-9]*)(\.[0-9]*[1-9])?, "" for 0
}

// ParseDecimal reads a decimal written with an optional sign, digits and
// an optional fraction ("-12.50", "+3", ".5"). Exponents, NaN and
// infinities are refused.
func ParseDecimal(s string) (Decimal, error) {
	in := s
	neg := false
	if s != "" && (s[0] == '-' || s[0] == '+') {
		neg, s = s[0] == '-', s[1:]
	}
	ip, fp, _ := strings.Cut(s, ".")
	if ip == "" && fp == "" || !allDigits(ip) || !allDigits(fp) {
		return Decimal{}, fmt.Errorf("wren: %q is not a decimal number", in)
	}
	ip = strings.TrimLeft(ip, "0")
	fp = strings.TrimRight(fp, "0")
	if ip == "" && fp == "" {
		return Decimal{}, nil
	}
	if ip == "" {
		ip = "0"
	}
	out := ip
	if fp != "" {
		out += "." + fp
	}
	if neg {
		out = "-" + out
	}
	return Decimal{s: out}, nil
}

// MustDecimal is ParseDecimal that panics on bad input, for constants.
func MustDecimal(s string) Decimal {
	d, err := ParseDecimal(s)
	if err != nil {
		panic(err.Error())
	}
	return d
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// String writes the decimal in its shortest exact form: "-12.5", "0".
func (d Decimal) String() string {
	if d.s == "" {
		return "0"
	}
	return d.s
}

// StringFixed writes the decimal with exactly places digits after the
// point, rounding half away from zero: MustDecimal("2.675").StringFixed(2)
// is "2.68".
func (d Decimal) StringFixed(places int) string {
	r, exp := d.unscaled()
	if places < 0 {
		places = 0
	}
	if shift := places + exp; shift >= 0 {
		r.Mul(r, new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(shift)), nil))
	} else {
		div := new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(-shift)), nil)
		q, m := new(big.Int).QuoRem(r, div, new(big.Int))
		if m.Abs(m).Mul(m, big.NewInt(2)).Cmp(div) >= 0 {
			q.Add(q, big.NewInt(int64(r.Sign())))
		}
		r = q
	}
	s := new(big.Int).Abs(r).String()
	if len(s) <= places {
		s = strings.Repeat("0", places-len(s)+1) + s
	}
	if places > 0 {
		s = s[:len(s)-places] + "." + s[len(s)-places:]
	}
	if r.Sign() < 0 {
		s = "-" + s
	}
	return s
}

// unscaled returns the decimal as an integer and a power of ten:
// d = r × 10^exp.
func (d Decimal) unscaled() (r *big.Int, exp int) {
	ip, fp, _ := strings.Cut(d.String(), ".")
	r, _ = new(big.Int).SetString(ip+fp, 10)
	return r, -len(fp)
}

// Cmp returns -1, 0 or +1 as d is less than, equal to or greater than o.
func (d Decimal) Cmp(o Decimal) int {
	a, ea := d.unscaled()
	b, eb := o.unscaled()
	ten := big.NewInt(10)
	for ; ea > eb; ea-- {
		a.Mul(a, ten)
	}
	for ; eb > ea; eb-- {
		b.Mul(b, ten)
	}
	return a.Cmp(b)
}

// Value implements driver.Valuer: the decimal as text.
func (d Decimal) Value() (driver.Value, error) { return d.String(), nil }

// NumericValue implements pgtype.NumericValuer, so that pgx binds the
// decimal as a NUMERIC in its binary form.
func (d Decimal) NumericValue() (pgtype.Numeric, error) {
	r, exp := d.unscaled()
	return pgtype.Numeric{Int: r, Exp: int32(exp), Valid: true}, nil
}

// Scan implements sql.Scanner: it reads the text every driver gives for a
// NUMERIC or DECIMAL, an integer, or the float SQLite keeps a fraction in
// (its first 15 significant digits: the stored digits of a decimal of at
// most 15, and the best reading of a sum SQLite computed in floats). NULL is an error: use
// *Decimal or sql.Null[wren.Decimal].
func (d *Decimal) Scan(src any) error {
	var err error
	switch v := src.(type) {
	case string:
		*d, err = ParseDecimal(v)
	case []byte:
		*d, err = ParseDecimal(string(v))
	case int64:
		*d, err = ParseDecimal(strconv.FormatInt(v, 10))
	case float64:
		*d, err = floatDecimal(v)
	case nil:
		return fmt.Errorf("wren: NULL into a wren.Decimal; use *wren.Decimal or sql.Null[wren.Decimal]")
	default:
		return fmt.Errorf("wren: cannot read %T as a wren.Decimal", src)
	}
	return err
}

// floatDecimal reads a float as the decimal of its first 15 significant
// digits: the digits SQLite keeps exactly, which are the stored digits of a
// decimal of at most 15, and the best reading of a sum or product SQLite
// computed in floats (0.1 + 0.2 reads as 0.3).
func floatDecimal(v float64) (Decimal, error) {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return Decimal{}, fmt.Errorf("wren: %v is not a decimal number", v)
	}
	m, e, _ := strings.Cut(strconv.FormatFloat(v, 'e', 14, 64), "e")
	exp, _ := strconv.Atoi(e)
	neg := strings.HasPrefix(m, "-")
	digits := strings.Replace(strings.TrimPrefix(m, "-"), ".", "", 1) // 15 digits, point after the first
	point := 1 + exp
	switch {
	case point <= 0:
		digits = "0." + strings.Repeat("0", -point) + digits
	case point >= len(digits):
		digits += strings.Repeat("0", point-len(digits))
	default:
		digits = digits[:point] + "." + digits[point:]
	}
	if neg {
		digits = "-" + digits
	}
	return ParseDecimal(digits)
}

// MarshalText writes the decimal as String does (a JSON string).
func (d Decimal) MarshalText() ([]byte, error) { return []byte(d.String()), nil }

// UnmarshalText reads a decimal as ParseDecimal does.
func (d *Decimal) UnmarshalText(b []byte) error {
	v, err := ParseDecimal(string(b))
	if err == nil {
		*d = v
	}
	return err
}

// significant counts the decimal's significant digits, and reports
// whether it is an integer that fits an int64.
func (d Decimal) significant() (n int, smallInt bool) {
	s := strings.TrimPrefix(d.String(), "-")
	ip, fp, frac := strings.Cut(s, ".")
	if !frac {
		_, err := strconv.ParseInt(d.String(), 10, 64)
		return len(ip), err == nil
	}
	if ip == "0" {
		return len(strings.TrimLeft(fp, "0")), false
	}
	return len(ip) + len(fp), false
}

// Enums. A string or integer type with a method Values() returning every
// value it may take is an enum:
//
//	type Status string
//
//	const (
//		Active Status = "active"
//		Banned Status = "banned"
//	)
//
//	func (Status) Values() []Status { return []Status{Active, Banned} }
//
// A Column[Status] gets a CHECK constraint (status IN ('active', 'banned'))
// from CreateTable, and a value outside the set, bound anywhere in a
// statement (a comparison, an IN list, an insert, an update), fails the
// rendering before anything is sent.

type enumInfo struct {
	typ  reflect.Type
	vals []any
	set  map[any]bool
}

var enums sync.Map // reflect.Type -> *enumInfo (nil: not an enum)

// enumOf returns the enum description of t, or nil when t is not an enum.
func enumOf(t reflect.Type) *enumInfo {
	if e, ok := enums.Load(t); ok {
		return e.(*enumInfo)
	}
	var info *enumInfo
	if m, ok := t.MethodByName("Values"); ok && (t.Kind() == reflect.String || isIntegerType(t)) &&
		m.Type.NumIn() == 1 && m.Type.NumOut() == 1 && m.Type.Out(0) == reflect.SliceOf(t) {
		vs := m.Func.Call([]reflect.Value{reflect.Zero(t)})[0]
		info = &enumInfo{typ: t, set: map[any]bool{}}
		for i := 0; i < vs.Len(); i++ {
			v := vs.Index(i).Interface()
			info.vals = append(info.vals, v)
			info.set[v] = true
		}
	}
	enums.Store(t, info)
	return info
}

func (e *enumInfo) check(v any) error {
	if e.set[v] {
		return nil
	}
	f := "%v"
	if e.typ.Kind() == reflect.String {
		f = "%q"
	}
	want := make([]string, len(e.vals))
	for i, x := range e.vals {
		want[i] = fmt.Sprintf(f, x)
	}
	return fmt.Errorf("wren: "+f+" is not a value of the enum %s (want one of %s): refused before sending", v, e.typ, strings.Join(want, ", "))
}

// appendEnumCheck writes " CHECK (col IN (…))" for an enum column c.
func appendEnumCheck(r *renderer, c *colInfo) {
	t := c.typ
	if t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	e := enumOf(t)
	if e == nil {
		return
	}
	if len(e.vals) == 0 {
		r.fail("wren: CREATE TABLE %s: column %s: the enum %s lists no values", c.table.ref(), c.name, t)
		return
	}
	r.buf = append(r.buf, " CHECK ("...)
	r.ident(roleColumn, c.name)
	r.buf = append(r.buf, " IN ("...)
	for i, v := range e.vals {
		if i > 0 {
			r.buf = append(r.buf, ", "...)
		}
		rv := reflect.ValueOf(v)
		switch {
		case rv.Kind() == reflect.String:
			if strings.IndexByte(rv.String(), 0) >= 0 {
				r.fail("wren: CREATE TABLE %s: column %s: enum value %q contains NUL", c.table.ref(), c.name, rv.String())
				return
			}
			r.buf = r.d.AppendStringLiteral(r.buf, rv.String())
		case rv.CanInt():
			r.buf = strconv.AppendInt(r.buf, rv.Int(), 10)
		default:
			r.buf = strconv.AppendUint(r.buf, rv.Uint(), 10)
		}
	}
	r.buf = append(r.buf, "))"...)
}

// Bound values. renderer.arg hands every value that is not one of the
// common plain types to convertArg, which checks enums and decimals and
// writes a [16]byte UUID as text where the driver has no UUID type. What
// to do is decided once per Go type.

type argConv func(d *dialect.Dialect, v any) (any, error)

type convEntry struct{ f argConv }

var argConvs sync.Map // reflect.Type -> convEntry

// convertArg returns the value to bind for v on d, or an error that fails
// the rendering.
func convertArg(d *dialect.Dialect, v any) (any, error) {
	t := reflect.TypeOf(v)
	e, ok := argConvs.Load(t)
	if !ok {
		e = convEntry{buildArgConv(t)}
		argConvs.Store(t, e)
	}
	if f := e.(convEntry).f; f != nil {
		return f(d, v)
	}
	return v, nil
}

var (
	decimalType   = reflect.TypeFor[Decimal]()
	uuidBytesType = reflect.TypeFor[[16]byte]()
)

func buildArgConv(t reflect.Type) argConv {
	switch {
	case t == decimalType:
		return func(d *dialect.Dialect, v any) (any, error) { return v, checkDecimal(d, v.(Decimal)) }
	case t == uuidBytesType:
		return func(d *dialect.Dialect, v any) (any, error) {
			if d.NativeUUID() {
				return v, nil
			}
			return uuid.UUID(v.([16]byte)).String(), nil
		}
	case t.Kind() == reflect.Pointer:
		inner := buildArgConv(t.Elem())
		if inner == nil {
			return nil
		}
		return func(d *dialect.Dialect, v any) (any, error) {
			rv := reflect.ValueOf(v)
			if rv.IsNil() {
				return v, nil
			}
			return inner(d, rv.Elem().Interface())
		}
	case t.Kind() == reflect.Slice && t.Elem().Kind() != reflect.Uint8:
		inner := buildArgConv(t.Elem())
		if inner == nil {
			return nil
		}
		// An IN list bound as one array, or an array column's value: check
		// each element, bind the slice as it is.
		return func(d *dialect.Dialect, v any) (any, error) {
			rv := reflect.ValueOf(v)
			for i := 0; i < rv.Len(); i++ {
				if _, err := inner(d, rv.Index(i).Interface()); err != nil {
					return nil, err
				}
			}
			return v, nil
		}
	}
	if e := enumOf(t); e != nil {
		return func(_ *dialect.Dialect, v any) (any, error) { return v, e.check(v) }
	}
	return nil
}

// checkDecimal refuses a decimal the dialect would not keep exactly.
func checkDecimal(d *dialect.Dialect, v Decimal) error {
	max := d.ExactDigits()
	if max == 0 {
		return nil
	}
	if n, smallInt := v.significant(); n > max && !smallInt {
		return fmt.Errorf("wren: decimal %s has %d significant digits, and %s keeps %d exactly: it would be stored rounded", v, n, d, max)
	}
	return nil
}

// isUUIDType reports whether t holds a UUID: uuid.UUID or [16]byte.
func isUUIDType(t reflect.Type) bool {
	return t.Kind() == reflect.Array && t.Len() == 16 && t.Elem().Kind() == reflect.Uint8
}

// fillUUIDKeys gives every row whose generated UUID key (the auto column
// of m) is zero a new random (version 4) UUID, before Create inserts
// them: keys generated by the database could not be matched to several
// rows, whose RETURNING order is not promised.
func fillUUIDKeys[T any](m *rowMap, rows []*T) {
	if m.auto < 0 || !isUUIDType(m.typs[m.auto]) {
		return
	}
	for _, r := range rows {
		k := (*[16]byte)(unsafe.Add(unsafe.Pointer(r), m.offs[m.auto]))
		if *k == [16]byte{} {
			*k = uuid.New()
		}
	}
}
