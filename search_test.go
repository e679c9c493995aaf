package wren_test

import (
	"strings"
	"testing"

	"github.com/wrensql/wren"
)

type fdTable struct {
	wren.Table
	ID   wren.Column[int64] `wren:",pk"`
	Body wren.Column[string]
	N    wren.Column[int64]
}

type fdOther struct {
	wren.Table
	ID wren.Column[int64] `wren:",pk"`
}

// TestFullTextDeclarationPanics checks that a bad FullText declaration
// panics with a message naming the table and the column.
func TestFullTextDeclarationPanics(t *testing.T) {
	a := wren.NewTable[fdTable]("fd_a")
	o := wren.NewTable[fdOther]("fd_o")
	for _, c := range []struct {
		name string
		f    func()
		want string
	}{
		{"no columns", func() { wren.FullText(a) }, "no columns to search"},
		{"not a string", func() { wren.FullText(a, a.N) }, "column n holds int64"},
		{"another table", func() { wren.FullText(a, o.ID) }, "is a column of fd_o"},
		{"alias", func() { wren.FullText(wren.Alias(a, "x"), a.Body) }, "not nil, an alias"},
		{"twice", func() { wren.FullText(a, a.Body); wren.FullText(a, a.Body) }, "already has a full-text index"},
	} {
		t.Run(c.name, func(t *testing.T) {
			defer func() {
				p := recover()
				if p == nil || !strings.Contains(p.(string), c.want) {
					t.Fatalf("panic %v, want one containing %q", p, c.want)
				}
			}()
			c.f()
		})
	}
}
