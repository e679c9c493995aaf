package wren_test

import (
	"testing"

	"github.com/wrensql/wren"
	"github.com/wrensql/wren/dialect"
	"github.com/wrensql/wren/internal/golden"
)

var sinkSQL string

// BenchmarkBuildSelect builds and renders a SELECT with three predicates,
// ORDER BY and LIMIT.
func BenchmarkBuildSelect(b *testing.B) {
	U := golden.Users
	for _, d := range []*dialect.Dialect{dialect.Postgres, dialect.MySQL, dialect.SQLite} {
		b.Run(d.Name(), func(b *testing.B) {
			b.ReportAllocs()
			for i := 0; i < b.N; i++ {
				q := wren.Select(U.ID, U.Username, U.Email).From(U).
					Where(U.Username.Eq("huey"), U.Age.Gte(1000), U.ID.In(1, 2, 3)).
					OrderBy(U.CreatedAt.Desc()).Limit(10)
				text, _, err := q.SQL(d)
				if err != nil {
					b.Fatal(err)
				}
				sinkSQL = text
			}
		})
	}
}

// BenchmarkBuildInsert builds and renders a one-row INSERT of five values.
func BenchmarkBuildInsert(b *testing.B) {
	U := golden.Users
	for _, d := range []*dialect.Dialect{dialect.Postgres, dialect.MySQL, dialect.SQLite} {
		b.Run(d.Name(), func(b *testing.B) {
			b.ReportAllocs()
			for i := 0; i < b.N; i++ {
				q := wren.Insert(U).Set(wren.Set(U.Username, "huey"), wren.Set(U.Age, int64(1000)),
					wren.Set(U.Score, 1.5), wren.Set(U.Active, true), wren.SetNull(U.Email))
				text, _, err := q.SQL(d)
				if err != nil {
					b.Fatal(err)
				}
				sinkSQL = text
			}
		})
	}
}

// BenchmarkBuildUpdate builds and renders an UPDATE of two columns by key.
func BenchmarkBuildUpdate(b *testing.B) {
	U := golden.Users
	for _, d := range []*dialect.Dialect{dialect.Postgres, dialect.MySQL, dialect.SQLite} {
		b.Run(d.Name(), func(b *testing.B) {
			b.ReportAllocs()
			for i := 0; i < b.N; i++ {
				q := wren.Update(U).Set(wren.Set(U.Username, "huey"), wren.SetExpr(U.Age, U.Age.Add(1))).Where(U.ID.Eq(1000))
				text, _, err := q.SQL(d)
				if err != nil {
					b.Fatal(err)
				}
				sinkSQL = text
			}
		})
	}
}
