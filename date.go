package wren

import (
	"database/sql/driver"
	"fmt"
	"strings"
	"time"
)

// Date is a calendar date with no time of day and no time zone: a DATE
// column on every database (CreateTable maps a Column[wren.Date] to DATE).
// It is bound as the text YYYY-MM-DD, which PostgreSQL and MySQL read as a
// date and which SQLite stores and compares as text exactly like the dates
// other tools write there (DATE('now'), the sqlite3 shell, Python's sqlite3
// module). It scans from each driver's form of a date: a time.Time (its
// calendar date, in its own zone), or text starting YYYY-MM-DD.
//
// The zero Date is 0000-00-00 and not a valid date; a nullable date column
// is a *Date or sql.Null[wren.Date].
type Date struct {
	Year  int
	Month time.Month
	Day   int
}

// DateOf returns the calendar date of t in t's own location.
func DateOf(t time.Time) Date {
	y, m, d := t.Date()
	return Date{Year: y, Month: m, Day: d}
}

// ParseDate reads a date written YYYY-MM-DD.
func ParseDate(s string) (Date, error) {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return Date{}, fmt.Errorf("wren: %q is not a date (YYYY-MM-DD): %w", s, err)
	}
	return DateOf(t), nil
}

// String writes the date as YYYY-MM-DD.
func (d Date) String() string {
	return string(d.appendText(make([]byte, 0, 10)))
}

func (d Date) appendText(b []byte) []byte {
	b = appendDigits(b, d.Year, 4)
	b = append(b, '-')
	b = appendDigits(b, int(d.Month), 2)
	b = append(b, '-')
	return appendDigits(b, d.Day, 2)
}

func appendDigits(b []byte, n, width int) []byte {
	if n < 0 {
		b = append(b, '-')
		n = -n
	}
	var tmp [20]byte
	i := len(tmp)
	for n > 0 || len(tmp)-i < width {
		i--
		tmp[i] = byte('0' + n%10)
		n /= 10
	}
	return append(b, tmp[i:]...)
}

// In returns midnight at the start of the date in loc.
func (d Date) In(loc *time.Location) time.Time {
	return time.Date(d.Year, d.Month, d.Day, 0, 0, 0, 0, loc)
}

// IsZero reports whether d is the zero Date.
func (d Date) IsZero() bool { return d == Date{} }

// Before reports whether d is earlier than o.
func (d Date) Before(o Date) bool { return d.Compare(o) < 0 }

// After reports whether d is later than o.
func (d Date) After(o Date) bool { return d.Compare(o) > 0 }

// Compare returns -1, 0 or +1 as d is before, equal to or after o.
func (d Date) Compare(o Date) int {
	switch {
	case d.Year != o.Year:
		return cmpInt(d.Year, o.Year)
	case d.Month != o.Month:
		return cmpInt(int(d.Month), int(o.Month))
	}
	return cmpInt(d.Day, o.Day)
}

func cmpInt(a, b int) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// Value implements driver.Valuer: the text YYYY-MM-DD.
func (d Date) Value() (driver.Value, error) { return d.String(), nil }

// Scan implements sql.Scanner. It reads a time.Time (its calendar date) or
// text that starts with YYYY-MM-DD, such as "2017-01-01" or
// "2017-01-01 00:00:00+00:00". NULL is an error: scan a nullable date into
// a *Date or sql.Null[wren.Date].
func (d *Date) Scan(src any) error {
	switch v := src.(type) {
	case time.Time:
		*d = DateOf(v)
		return nil
	case string:
		return d.scanText(v)
	case []byte:
		return d.scanText(string(v))
	case nil:
		return fmt.Errorf("wren: NULL into a wren.Date; use *wren.Date or sql.Null[wren.Date]")
	}
	return fmt.Errorf("wren: cannot read %T as a wren.Date", src)
}

func (d *Date) scanText(s string) error {
	if len(s) > len(time.DateOnly) && (s[10] == ' ' || s[10] == 'T') {
		s = s[:10]
	}
	v, err := ParseDate(s)
	if err != nil {
		return err
	}
	*d = v
	return nil
}

// MarshalText writes the date as YYYY-MM-DD (for JSON and the like).
func (d Date) MarshalText() ([]byte, error) { return d.appendText(nil), nil }

// UnmarshalText reads a date written YYYY-MM-DD.
func (d *Date) UnmarshalText(b []byte) error {
	v, err := ParseDate(string(b))
	if err != nil {
		return err
	}
	*d = v
	return nil
}

// isDateColumn reports whether e is a column declared with the SQL type
// DATE (`wren:",type=DATE"`).
func isDateColumn(e Expression) bool {
	ci := columnIn(e)
	return ci != nil && strings.EqualFold(strings.TrimSpace(ci.opts.sqlType), "date")
}

// columnIn returns the column e is, or nil when e is another expression.
func columnIn(e Expression) *colInfo {
	switch x := e.(type) {
	case *colInfo:
		return x
	case interface{ info() *colInfo }:
		return x.info()
	case interface{ colNode() *colInfo }:
		return x.colNode()
	}
	return nil
}

// colNode returns the column e stands for, or nil.
func (e Expr[T]) colNode() *colInfo {
	if e.n == nil {
		return nil
	}
	ci, _ := e.n.Expression.(*colInfo)
	return ci
}

// forColumn returns the value to bind for v where it meets the column (or
// expression) l: a time.Time for a DATE column binds as its calendar date,
// YYYY-MM-DD — the text SQLite compares dates as, and a date to every
// other database. Any other value is bound as it is.
//
// It is small enough to inline, so a value of any other type costs one type
// switch and no allocation.
func forColumn(l Expression, v any) any {
	switch v.(type) {
	case time.Time, *time.Time:
		return dateForColumn(l, v)
	}
	return v
}

func dateForColumn(l Expression, v any) any {
	switch t := v.(type) {
	case time.Time:
		if isDateColumn(l) {
			return DateOf(t).String()
		}
	case *time.Time:
		if t != nil && isDateColumn(l) {
			return DateOf(*t).String()
		}
	}
	return v
}

// listForColumn is forColumn for an IN list and its expander: a list of
// times for a DATE column becomes a list of YYYY-MM-DD texts.
func listForColumn(l Expression, list, expander any) (any, listExpander) {
	if ts, ok := list.([]time.Time); ok && isDateColumn(l) {
		out := make([]string, len(ts))
		for i, t := range ts {
			out[i] = DateOf(t).String()
		}
		return out, expandList[string]
	}
	return list, expander.(listExpander)
}
