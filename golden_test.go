package wren_test

import (
	"reflect"
	"strings"
	"testing"

	"github.com/wrensql/wren/dialect"
	"github.com/wrensql/wren/internal/golden"
)

// TestGolden renders every golden case for every dialect and compares the
// text and arguments exactly.
func TestGolden(t *testing.T) {
	for _, c := range golden.Cases {
		t.Run(c.Name, func(t *testing.T) {
			for _, d := range append(golden.Dialects, dialect.MariaDB) {
				want, ok := c.For(d)
				if !ok {
					continue
				}
				sql, args, err := c.Stmt.SQL(d)
				if want.Err != "" {
					if err == nil || !strings.Contains(err.Error(), want.Err) {
						t.Errorf("%s: got error %v, SQL %q; want an error containing %q", d, err, sql, want.Err)
					}
					continue
				}
				if err != nil {
					t.Errorf("%s: unexpected error: %v", d, err)
					continue
				}
				if sql != want.SQL {
					t.Errorf("%s SQL:\n got: %s\nwant: %s", d, sql, want.SQL)
				}
				if len(args) != 0 || len(want.Args) != 0 {
					if !reflect.DeepEqual(args, want.Args) {
						t.Errorf("%s args:\n got: %#v\nwant: %#v", d, args, want.Args)
					}
				}
			}
		})
	}
}
