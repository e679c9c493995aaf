package wren_test

import (
	"flag"
	"fmt"
	"os"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/wrensql/wren/dialect"
	"github.com/wrensql/wren/internal/golden"
)

var update = flag.Bool("update", false, "rewrite internal/golden/testdata/golden.txt from the current rendering")

const goldenFile = "internal/golden/testdata/golden.txt"

// renderCase renders c for every dialect: one block of text per case.
func renderCase(c golden.Case) string {
	var b strings.Builder
	fmt.Fprintf(&b, "== %s\n", c.Name)
	var mysql string
	for _, d := range golden.Dialects {
		text, args, err := c.Stmt.SQL(d)
		var s string
		if err != nil {
			s = fmt.Sprintf("%s: error: %v\n", d, err)
		} else {
			s = fmt.Sprintf("%s: %s\n", d, text)
			if len(args) > 0 {
				s += fmt.Sprintf("%s args: %s\n", d, formatArgs(args))
			}
		}
		if d == dialect.MySQL {
			mysql = s
		}
		if d == dialect.MariaDB {
			if strings.ReplaceAll(s, "mariadb", "mysql") == mysql {
				continue
			}
		}
		b.WriteString(s)
	}
	return b.String()
}

func formatArgs(args []any) string {
	parts := make([]string, len(args))
	for i, a := range args {
		switch v := a.(type) {
		case time.Time:
			parts[i] = "time(" + v.Format(time.RFC3339Nano) + ")"
		case nil:
			parts[i] = "nil"
		default:
			parts[i] = formatValue(a)
		}
	}
	return "[" + strings.Join(parts, ", ") + "]"
}

// formatValue writes a pointer as *T(value) or *T(nil), and a slice of
// pointers element by element, so that no address reaches the file.
func formatValue(a any) string {
	rv := reflect.ValueOf(a)
	switch {
	case rv.Kind() == reflect.Pointer && rv.IsNil():
		return fmt.Sprintf("%T(nil)", a)
	case rv.Kind() == reflect.Pointer && rv.Elem().Kind() == reflect.String:
		return fmt.Sprintf("%T(%q)", a, rv.Elem().Interface())
	case rv.Kind() == reflect.Pointer:
		return fmt.Sprintf("%T(%v)", a, rv.Elem().Interface())
	case rv.Kind() == reflect.Slice && rv.Type().Elem().Kind() == reflect.Pointer:
		elems := make([]string, rv.Len())
		for j := range elems {
			elems[j] = formatValue(rv.Index(j).Interface())
		}
		return fmt.Sprintf("%T{%s}", a, strings.Join(elems, ", "))
	}
	return fmt.Sprintf("%T(%v)", a, a)
}

// TestGolden renders every golden case for every dialect and compares the
// text and arguments exactly with the recorded rendering.
func TestGolden(t *testing.T) {
	var all strings.Builder
	names := map[string]bool{}
	for _, c := range golden.Cases {
		if names[c.Name] {
			t.Fatalf("two golden cases are named %q", c.Name)
		}
		names[c.Name] = true
		all.WriteString(renderCase(c))
	}
	if *update {
		if err := os.WriteFile(goldenFile, []byte(all.String()), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(goldenFile)
	if err != nil {
		t.Fatalf("%v (run go test -run TestGolden -update, then review the file)", err)
	}
	wantBlocks := splitBlocks(string(want))
	for _, c := range golden.Cases {
		got := renderCase(c)
		if w, ok := wantBlocks[c.Name]; !ok {
			t.Errorf("case %q is not recorded in %s", c.Name, goldenFile)
		} else if w != got {
			t.Errorf("case %q:\n got:\n%s\nwant:\n%s", c.Name, got, w)
		}
	}
	if len(wantBlocks) != len(golden.Cases) {
		t.Errorf("%s records %d cases, the code has %d", goldenFile, len(wantBlocks), len(golden.Cases))
	}
	if len(golden.Cases) < 40 {
		t.Errorf("only %d golden cases", len(golden.Cases))
	}
}

func splitBlocks(s string) map[string]string {
	out := map[string]string{}
	for _, blk := range strings.Split(s, "== ")[1:] {
		name, _, _ := strings.Cut(blk, "\n")
		out[name] = "== " + blk
	}
	return out
}
