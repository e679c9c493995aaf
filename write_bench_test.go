package wren_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/wrensql/wren"
	"github.com/wrensql/wren/dialect"
	"github.com/wrensql/wren/internal/golden"
)

// BenchmarkBuildInsertRows renders a 100-row INSERT of structs, given as
// pointers and as values. The arguments box each field into an interface,
// as hand-written database/sql code does; nothing else is allocated per row.
func BenchmarkBuildInsertRows(b *testing.B) {
	ts := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	ptrs := make([]any, 100)
	vals := make([]any, 100)
	for i := range ptrs {
		u := golden.NewUser{Username: fmt.Sprintf("user%03d", i), Age: int64(i), Score: 1.5, CreatedAt: ts}
		ptrs[i] = &u
		vals[i] = u
	}
	for _, c := range []struct {
		name string
		rows []any
	}{{"pointers", ptrs}, {"values", vals}} {
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			for i := 0; i < b.N; i++ {
				text, _, err := wren.Insert(golden.Users).Rows(c.rows...).SQL(dialect.Postgres)
				if err != nil {
					b.Fatal(err)
				}
				sinkSQL = text
			}
		})
	}
}
