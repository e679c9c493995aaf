package wren

import (
	"context"
	"path/filepath"
	"reflect"
	"testing"
	"time"

	"github.com/wrensql/wren/dialect"
)

type benchUser struct {
	ID        int64
	Name      string
	Email     string
	Age       int64
	CreatedAt time.Time
}

type benchUserTable struct {
	Table
	ID        Column[int64] `wren:",pk"`
	Name      Column[string]
	Email     Column[string]
	Age       Column[int64]
	CreatedAt Column[time.Time]
}

// fixedRows is a result with a fixed column list and no rows: enough for
// planFor, which reads only the column names.
type fixedRows struct{ names []string }

func (r fixedRows) Next() bool                 { return false }
func (r fixedRows) Scan(...any) error          { return nil }
func (r fixedRows) Err() error                 { return nil }
func (r fixedRows) Close() error               { return nil }
func (r fixedRows) Columns() ([]string, error) { return r.names, nil }

// BenchmarkScanPlanHit measures finding the cached scan plan of a query
// whose plan was built before: the per-call cost of the plan cache.
func BenchmarkScanPlanHit(b *testing.B) {
	U := NewTable[benchUserTable]("bench_users")
	var q Statement = Select(U.ID, U.Name, U.Email, U.Age, U.CreatedAt).From(U).Where(U.ID.Gt(0))
	text, _, err := q.SQL(dialect.SQLite)
	if err != nil {
		b.Fatal(err)
	}
	rs := fixedRows{names: []string{"id", "name", "email", "age", "created_at"}}
	t := reflect.TypeFor[benchUser]()
	if _, err := planFor(t, dialect.SQLite, text, q, rs); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := planFor(t, dialect.SQLite, text, q, rs); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkScanSQLite reads rows through All and One from an SQLite file:
// rendering, the statement cache, the plan cache and scanning together.
func BenchmarkScanSQLite(b *testing.B) {
	ctx := context.Background()
	db, err := Open(ctx, "sqlite", filepath.Join(b.TempDir(), "bench.db"))
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	U := NewTable[benchUserTable]("bench_users")
	if err := CreateTables(ctx, db, U); err != nil {
		b.Fatal(err)
	}
	now := time.Date(2024, 5, 6, 7, 8, 9, 0, time.UTC)
	rows := make([]any, 100)
	for i := range rows {
		rows[i] = benchUser{Name: "n", Email: "e@x", Age: int64(i), CreatedAt: now}
	}
	if _, err := Exec(ctx, db, Insert(U).Rows(rows...)); err != nil {
		b.Fatal(err)
	}
	b.Run("All100", func(b *testing.B) {
		q := Select(U.ID, U.Name, U.Email, U.Age, U.CreatedAt).From(U).Where(U.ID.Gt(0))
		b.ReportAllocs()
		for i := 0; i < b.N; i++ {
			out, err := All[benchUser](ctx, db, q)
			if err != nil || len(out) != 100 {
				b.Fatal(len(out), err)
			}
		}
	})
	b.Run("One", func(b *testing.B) {
		q := Select(U.ID, U.Name, U.Email, U.Age, U.CreatedAt).From(U).Where(U.ID.Eq(7))
		b.ReportAllocs()
		for i := 0; i < b.N; i++ {
			if _, err := One[benchUser](ctx, db, q); err != nil {
				b.Fatal(err)
			}
		}
	})
}
