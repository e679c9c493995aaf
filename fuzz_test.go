package wren_test

import (
	"reflect"
	"strings"
	"testing"

	"github.com/wrensql/wren"
	"github.com/wrensql/wren/dialect"
)

type fuzzTable struct {
	wren.Table
	Name wren.Column[string]
}

// quote is an independent statement of the quoting rule: wrap in the
// dialect's quote character, doubling any inside.
func quote(d *dialect.Dialect, s string) string {
	q := `"`
	if d.IsMySQLFamily() {
		q = "`"
	}
	return q + strings.ReplaceAll(s, q, q+q) + q
}

// FuzzStatementShape checks that no identifier and no value can change a
// statement's shape: the text is exactly the template with the quoted
// identifier, the value travels only as an argument, and a NUL in an
// identifier is an error, not a panic.
func FuzzStatementShape(f *testing.F) {
	for _, s := range []string{"users", `we"ird`, "back`tick", `back\slash`, "nul\x00byte", "ünï ☃", "a'b", "--", "x; DROP TABLE t", "$1", "?"} {
		f.Add(s, s)
	}
	f.Fuzz(func(t *testing.T, ident, value string) {
		if ident == "" {
			return
		}
		tbl := wren.NewTable[fuzzTable](ident)
		al := wren.Alias(tbl, ident+"2")
		q := wren.Select(tbl.Name).From(tbl).Join(al, al.Name.EqExpr(tbl.Name)).
			Where(tbl.Name.Eq(value), wren.Contains(al.Name, value))
		for _, d := range []*dialect.Dialect{dialect.Postgres, dialect.MySQL, dialect.SQLite} {
			text, args, err := q.SQL(d)
			if strings.ContainsRune(ident, 0) {
				if err == nil {
					t.Fatalf("%s: identifier with NUL rendered: %q", d, text)
				}
				continue
			}
			if err != nil {
				t.Fatalf("%s: %v", d, err)
			}
			ph1, ph2 := "?", "?"
			if d == dialect.Postgres {
				ph1, ph2 = "$1", "$2"
			}
			tq, aq, nq := quote(d, ident), quote(d, ident+"2"), quote(d, "name")
			want := "SELECT " + tq + "." + nq + " FROM " + tq + " JOIN " + tq + " AS " + aq +
				" ON " + aq + "." + nq + " = " + tq + "." + nq +
				" WHERE " + tq + "." + nq + " = " + ph1 + " AND " + aq + "." + nq + " LIKE " + ph2 + " ESCAPE '!'"
			if text != want {
				t.Fatalf("%s:\n got %q\nwant %q", d, text, want)
			}
			if len(args) != 2 || !reflect.DeepEqual(args[0], value) {
				t.Fatalf("%s: args %#v", d, args)
			}
			like := args[1].(string)
			if !strings.HasPrefix(like, "%") || !strings.HasSuffix(like, "%") {
				t.Fatalf("%s: Contains pattern %q", d, like)
			}
		}
	})
}
