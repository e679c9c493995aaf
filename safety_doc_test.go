package wren_test

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/wrensql/wren/internal/golden"
)

// TestSafetyDocNamesRealTests keeps docs/safety.md honest: every test it
// names exists, so no row of the table is only believed to be checked.
// It looks at the table rows: golden case names in quotes after "golden",
// compile-fail programs in backquotes after "compilefail", and Test…
// functions in backquotes.
func TestSafetyDocNamesRealTests(t *testing.T) {
	doc, err := os.ReadFile("docs/safety.md")
	if err != nil {
		t.Fatal(err)
	}
	cases := map[string]bool{}
	for _, c := range golden.Cases {
		cases[c.Name] = true
	}
	var sources strings.Builder
	for _, pat := range []string{"*_test.go", "tests/*_test.go"} {
		files, _ := filepath.Glob(pat)
		for _, f := range files {
			b, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			sources.Write(b)
		}
	}
	quoted := regexp.MustCompile(`"([^"]+)"`)
	ticked := regexp.MustCompile("`([^`]+)`")
	checked := 0
	for _, line := range strings.Split(string(doc), "\n") {
		if !strings.HasPrefix(line, "|") {
			continue
		}
		cells := strings.Split(line, "|")
		cell := cells[len(cells)-2] // the Test column
		if i := strings.Index(cell, "golden "); i >= 0 {
			gold := cell[i:]
			if j := strings.Index(gold, ";"); j >= 0 {
				gold = gold[:j]
			}
			for _, m := range quoted.FindAllStringSubmatch(gold, -1) {
				if !cases[m[1]] {
					t.Errorf("docs/safety.md names golden case %q, which does not exist", m[1])
				}
				checked++
			}
		}
		for _, m := range ticked.FindAllStringSubmatch(cell, -1) {
			name := strings.TrimPrefix(m[1], "tests/")
			switch {
			case strings.HasPrefix(name, "Test"):
				if !strings.Contains(sources.String(), "func "+name+"(") {
					t.Errorf("docs/safety.md names test %s, which does not exist", name)
				}
			case strings.Contains(cell, "compilefail"):
				if _, err := os.Stat(filepath.Join("testdata/compilefail", name, "main.go")); err != nil {
					t.Errorf("docs/safety.md names compile-fail case %s, which does not exist", name)
				}
			}
			checked++
		}
	}
	if checked < 30 {
		t.Errorf("only %d test names found in docs/safety.md", checked)
	}
}
