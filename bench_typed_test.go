package wren

import (
	"context"
	"path/filepath"
	"testing"
	"time"
)

type bench10Table struct {
	Table
	ID        Column[int64] `wren:",pk"`
	Name      Column[string]
	Title     Column[string]
	Fax       Column[string]
	Web       Column[string]
	Age       Column[int64]
	Flag      Column[bool]
	Counter   Column[int64]
	Score     Column[float64]
	CreatedAt Column[time.Time]
}

type bench10 struct {
	ID        int64
	Name      string
	Title     string
	Fax       string
	Web       string
	Age       int64
	Flag      bool
	Counter   int64
	Score     float64
	CreatedAt time.Time
}

// BenchmarkTypedRows compares Rows of a 100-row, 10-column typed select
// with All into a struct of the same ten fields, on an SQLite file: the
// typed select must cost the same allocations per call. Run the two
// sub-benchmarks in alternating rounds to compare their times.
func BenchmarkTypedRows(b *testing.B) {
	ctx := context.Background()
	db, err := Open(ctx, "sqlite", filepath.Join(b.TempDir(), "bench.db"))
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	M := NewTable[bench10Table]("bench10")
	if err := CreateTables(ctx, db, M); err != nil {
		b.Fatal(err)
	}
	now := time.Date(2024, 5, 6, 7, 8, 9, 0, time.UTC)
	rows := make([]any, 100)
	for i := range rows {
		rows[i] = bench10{Name: "n", Title: "t", Fax: "f", Web: "w", Age: int64(i), Counter: 3, Score: 1.5, CreatedAt: now}
	}
	if _, err := Exec(ctx, db, Insert(M).Rows(rows...)); err != nil {
		b.Fatal(err)
	}
	typed := Select10(M.ID, M.Name, M.Title, M.Fax, M.Web, M.Age, M.Flag, M.Counter, M.Score, M.CreatedAt).From(M).Where(M.ID.Gt(0))
	untyped := typed.Query()
	b.Run("Rows", func(b *testing.B) {
		b.ReportAllocs()
		for i := 0; i < b.N; i++ {
			out, err := Rows(ctx, db, typed)
			if err != nil || len(out) != 100 {
				b.Fatal(len(out), err)
			}
		}
	})
	b.Run("All", func(b *testing.B) {
		b.ReportAllocs()
		for i := 0; i < b.N; i++ {
			out, err := All[bench10](ctx, db, untyped)
			if err != nil || len(out) != 100 {
				b.Fatal(len(out), err)
			}
		}
	})
}

// TestTypedRowsAllocs: Rows allocates exactly what All into a struct does.
func TestTypedRowsAllocs(t *testing.T) {
	if testing.Short() || raceEnabled {
		t.Skip("measures allocations (not exact under the race detector, whose sync.Pool drops items)")
	}
	ctx := context.Background()
	db, err := Open(ctx, "sqlite", filepath.Join(t.TempDir(), "allocs.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	M := NewTable[bench10Table]("bench10")
	if err := CreateTables(ctx, db, M); err != nil {
		t.Fatal(err)
	}
	rows := make([]any, 100)
	for i := range rows {
		rows[i] = bench10{Name: "n", CreatedAt: time.Unix(int64(i), 0).UTC()}
	}
	if _, err := Exec(ctx, db, Insert(M).Rows(rows...)); err != nil {
		t.Fatal(err)
	}
	typed := Select10(M.ID, M.Name, M.Title, M.Fax, M.Web, M.Age, M.Flag, M.Counter, M.Score, M.CreatedAt).From(M)
	untyped := typed.Query()
	rowsAllocs := testing.AllocsPerRun(20, func() {
		if _, err := Rows(ctx, db, typed); err != nil {
			t.Fatal(err)
		}
	})
	allAllocs := testing.AllocsPerRun(20, func() {
		if _, err := All[bench10](ctx, db, untyped); err != nil {
			t.Fatal(err)
		}
	})
	if rowsAllocs != allAllocs {
		t.Fatalf("Rows: %v allocs per call, All[struct]: %v", rowsAllocs, allAllocs)
	}
}
