package wren

import (
	"context"
	"path/filepath"
	"testing"
	"time"
)

// TestAllAllocsMatchHandLoop: All of a 2,000-row LIMIT on SQLite allocates
// no more per call than the leanest hand-written database/sql loop (a
// statement prepared once, rows scanned into the elements of a slice made
// with the LIMIT's capacity), give or take a fixed few for building and
// rendering the query: its result slice is made once, to size, and its
// scan adds nothing per row (the time column included).
func TestAllAllocsMatchHandLoop(t *testing.T) {
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
	const n = 2000
	now := time.Date(2024, 5, 6, 7, 8, 9, 0, time.UTC)
	for start := 0; start < n; start += 200 {
		rows := make([]any, 200)
		for i := range rows {
			rows[i] = bench10{Name: "n", Title: "t", Fax: "f", Web: "w", Age: int64(start + i), CreatedAt: now}
		}
		if _, err := Exec(ctx, db, Insert(M).Rows(rows...)); err != nil {
			t.Fatal(err)
		}
	}
	q := Select(M).From(M).Where(M.ID.Gt(0)).OrderBy(M.ID).Limit(n)
	text, _, err := q.SQL(db.Dialect())
	if err != nil {
		t.Fatal(err)
	}
	st, err := db.SQLDB().PrepareContext(ctx, text)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	hand := func() []bench10 {
		rs, err := st.QueryContext(ctx, int64(0), int64(n))
		if err != nil {
			t.Fatal(err)
		}
		defer rs.Close()
		out := make([]bench10, 0, n)
		for i := 0; rs.Next(); i++ {
			out = out[:i+1]
			m := &out[i]
			if err := rs.Scan(&m.ID, &m.Name, &m.Title, &m.Fax, &m.Web, &m.Age, &m.Flag, &m.Counter, &m.Score, &m.CreatedAt); err != nil {
				t.Fatal(err)
			}
		}
		if err := rs.Err(); err != nil {
			t.Fatal(err)
		}
		return out
	}
	got, err := All[bench10](ctx, db, q)
	if err != nil {
		t.Fatal(err)
	}
	want := hand()
	if len(got) != n || cap(got) != n {
		t.Fatalf("All: %d rows, capacity %d; want %d and %d", len(got), cap(got), n, n)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("row %d: All %+v, hand-written %+v", i, got[i], want[i])
		}
	}
	handAllocs := testing.AllocsPerRun(5, func() { hand() })
	allAllocs := testing.AllocsPerRun(5, func() {
		if _, err := All[bench10](ctx, db, q); err != nil {
			t.Fatal(err)
		}
	})
	// The fixed few: the query's Where and OrderBy slices and its boxing
	// as a Statement.
	t.Logf("All: %v allocs per call, hand-written: %v", allAllocs, handAllocs)
	const fixed = 4
	if allAllocs > handAllocs+fixed {
		t.Fatalf("All: %v allocs per call of %d rows; the hand-written loop %v (+%d allowed)", allAllocs, n, handAllocs, fixed)
	}
}
