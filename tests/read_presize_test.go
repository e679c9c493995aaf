package tests

import (
	"testing"
	"time"

	"github.com/matryer/is"

	"github.com/wrensql/wren"
)

// The result slice of All is made once from the LIMIT (issue 19): these
// check that the rows it returns are the same whatever the LIMIT, past the
// byte bound on pre-sizing, and in a compound query; and that time fields,
// plain and pointers, get each row's own value.

type presizeTable struct {
	wren.Table
	ID    wren.Column[int64] `wren:",pk"`
	N     wren.Column[int64]
	At    wren.Column[time.Time]
	Maybe wren.Column[*time.Time]
}

type presizeRow struct {
	ID    int64
	N     int64
	At    time.Time
	Maybe *time.Time
}

// presizeBig is a row of 8 KiB: the byte bound on pre-sizing (4 MiB) lets
// All make room for 512 of them before the first row.
type presizeBig struct {
	ID  int64
	N   int64
	Pad [8<<10 - 16]byte `db:"-"`
}

func presizeAt(i int) time.Time {
	return time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC).Add(time.Duration(i) * time.Minute)
}

func TestAllPresizedFromLimit(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *wren.DB) {
		is := is.New(t)
		ctx := ctxT(t)
		P := wren.NewTable[presizeTable]("presize")
		is.NoErr(wren.CreateTables(ctx, db, P))
		const rows = 1500
		for start := 0; start < rows; start += 250 {
			batch := make([]any, 250)
			for i := range batch {
				k := start + i
				r := presizeRow{N: int64(k), At: presizeAt(k)}
				if k%3 == 0 {
					at := presizeAt(-k)
					r.Maybe = &at
				}
				batch[i] = r
			}
			_, err := wren.Exec(ctx, db, wren.Insert(P).Rows(batch...))
			is.NoErr(err)
		}
		check := func(got []presizeRow, from, n int) {
			t.Helper()
			if len(got) != n {
				t.Fatalf("%d rows, want %d", len(got), n)
			}
			for i, r := range got {
				k := from + i
				if r.N != int64(k) || !r.At.Equal(presizeAt(k)) {
					t.Fatalf("row %d: %+v, want n %d at %v", i, r, k, presizeAt(k))
				}
				switch {
				case k%3 != 0 && r.Maybe != nil:
					t.Fatalf("row %d: maybe %v, want NULL", i, *r.Maybe)
				case k%3 == 0 && (r.Maybe == nil || !r.Maybe.Equal(presizeAt(-k))):
					t.Fatalf("row %d: maybe %v, want %v", i, r.Maybe, presizeAt(-k))
				}
				if i > 0 && r.Maybe != nil && got[i-1].Maybe == r.Maybe {
					t.Fatalf("rows %d and %d share one *time.Time", i-1, i)
				}
			}
		}
		base := wren.Select(P.N, P.At, P.Maybe).From(P).OrderBy(P.N)

		// No LIMIT: grown by append.
		all, err := wren.All[presizeRow](ctx, db, base)
		is.NoErr(err)
		check(all, 0, rows)

		// A LIMIT below, at and above the row count: room for the LIMIT.
		for _, limit := range []int{1, 7, 1024, 1025, rows, 4000} {
			got, err := wren.All[presizeRow](ctx, db, base.Limit(limit))
			is.NoErr(err)
			check(got, 0, min(limit, rows))
			if cap(got) != limit {
				t.Fatalf("LIMIT %d: capacity %d, want %d", limit, cap(got), limit)
			}
		}

		// With an OFFSET, and through a typed select.
		got, err := wren.All[presizeRow](ctx, db, base.Limit(100).Offset(1450))
		is.NoErr(err)
		check(got, 1450, 50)
		typed, err := wren.Rows(ctx, db, wren.Select2(P.N, P.Maybe).From(P).OrderBy(P.N).Limit(3))
		is.NoErr(err)
		is.Equal(len(typed), 3)
		is.Equal(cap(typed), 3)
		is.True(typed[0].V2 != nil && typed[0].V2.Equal(presizeAt(0)))
		is.True(typed[1].V2 == nil)

		// A compound query's LIMIT on the whole.
		low := wren.Select(P.N, P.At, P.Maybe).From(P).Where(P.N.Lt(600))
		high := wren.Select(P.N, P.At, P.Maybe).From(P).Where(P.N.Gte(600))
		got, err = wren.All[presizeRow](ctx, db, low.UnionAll(high).OrderBy(P.N).Limit(1200))
		is.NoErr(err)
		check(got, 0, 1200)
		is.Equal(cap(got), 1200)

		// Rows of 8 KiB: room for 512 made up front, the rest by append.
		big, err := wren.All[presizeBig](ctx, db, wren.Select(P.ID, P.N).From(P).OrderBy(P.N).Limit(rows))
		is.NoErr(err)
		is.Equal(len(big), rows)
		for i, r := range big {
			if r.N != int64(i) {
				t.Fatalf("big row %d: n %d", i, r.N)
			}
		}
		first, err := wren.All[presizeBig](ctx, db, wren.Select(P.ID, P.N).From(P).OrderBy(P.N).Limit(rows).Where(P.N.Lt(10)))
		is.NoErr(err)
		is.Equal(len(first), 10)
		is.Equal(cap(first), 512)
	})
}
