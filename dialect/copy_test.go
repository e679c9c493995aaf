package dialect

import (
	"math"
	"testing"
	"time"
)

// TestCopyText checks COPY's text format value by value: escapes, NULL,
// bytea, floats, booleans and times.
func TestCopyText(t *testing.T) {
	lmt := time.FixedZone("lmt", -(9*60 + 21))
	cases := []struct {
		name string
		got  []byte
		want string
	}{
		{"plain", AppendCopyString(nil, "abc"), "abc"},
		{"escapes", AppendCopyString(nil, "a\tb\nc\rd\\e"), `a\tb\nc\rd\\e`},
		{"backslash N is text", AppendCopyString(nil, `\N`), `\\N`},
		{"end of data marker is text", AppendCopyString(nil, `\.`), `\\.`},
		{"utf8", AppendCopyString(nil, "üñí ✓"), "üñí ✓"},
		{"null", AppendCopyNull(nil), `\N`},
		{"bytea", AppendCopyBytes(nil, []byte{0, 0xab, '\\'}), `\\x00ab5c`},
		{"bytea empty", AppendCopyBytes(nil, []byte{}), `\\x`},
		{"float", AppendCopyFloat(nil, 0.1, 64), "0.1"},
		{"float32", AppendCopyFloat(nil, float64(float32(0.1)), 32), "0.1"},
		{"float max", AppendCopyFloat(nil, math.MaxFloat64, 64), "1.7976931348623157e+308"},
		{"inf", AppendCopyFloat(nil, math.Inf(1), 64), "Infinity"},
		{"-inf", AppendCopyFloat(nil, math.Inf(-1), 64), "-Infinity"},
		{"nan", AppendCopyFloat(nil, math.NaN(), 64), "NaN"},
		{"true", AppendCopyBool(nil, true), "t"},
		{"false", AppendCopyBool(nil, false), "f"},
		{"time utc", AppendCopyTime(nil, time.Date(2026, 1, 2, 3, 4, 5, 123456789, time.UTC)), "2026-01-02 03:04:05.123456+00:00"},
		{"time whole second", AppendCopyTime(nil, time.Date(2026, 1, 2, 3, 4, 5, 0, time.FixedZone("", 5*3600+30*60))), "2026-01-02 03:04:05+05:30"},
		{"time offset in seconds", AppendCopyTime(nil, time.Date(1850, 1, 2, 3, 4, 5, 999, lmt)), "1850-01-02 03:04:05-00:09:21"},
	}
	for _, c := range cases {
		if string(c.got) != c.want {
			t.Errorf("%s: %q, want %q", c.name, c.got, c.want)
		}
	}
	if CopyTimeOK(time.Date(0, 1, 1, 0, 0, 0, 0, time.UTC)) || CopyTimeOK(time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC)) || !CopyTimeOK(time.Date(1, 1, 1, 0, 0, 0, 0, time.UTC)) {
		t.Error("CopyTimeOK: years 1 to 9999 only")
	}
	if !Postgres.CopyRows() || MySQL.CopyRows() || MariaDB.CopyRows() || SQLite.CopyRows() {
		t.Error("CopyRows: PostgreSQL only")
	}
	if got := Postgres.CopyFromSQL(`"t"`, []string{`"a"`, `"b"`}, false); got != `COPY "t" ("a", "b") FROM STDIN` {
		t.Errorf("CopyFromSQL: %s", got)
	}
}
