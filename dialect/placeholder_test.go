package dialect

import (
	"strconv"
	"testing"
)

// TestAppendPlaceholder: PostgreSQL's $n for every width, the short ones
// written without strconv; ? elsewhere.
func TestAppendPlaceholder(t *testing.T) {
	for _, n := range []int{1, 9, 10, 42, 99, 100, 101, 9999, 65535} {
		if got, want := string(Postgres.AppendPlaceholder([]byte("x = "), n)), "x = $"+strconv.Itoa(n); got != want {
			t.Errorf("Postgres %d: %q, want %q", n, got, want)
		}
		for _, d := range []*Dialect{MySQL, MariaDB, SQLite} {
			if got := string(d.AppendPlaceholder(nil, n)); got != "?" {
				t.Errorf("%s %d: %q, want ?", d, n, got)
			}
		}
	}
}
