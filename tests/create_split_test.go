package tests

import (
	"strings"
	"testing"

	"github.com/matryer/is"

	"github.com/wrensql/wren"
)

// TestCreateOneInsertBoundByText: on MySQL/MariaDB rows that fit in one
// INSERT's parameters go in one, unless their text passes 4 MiB, which
// could take the statement over the server's max_allowed_packet (16 MiB by
// default on MariaDB): then they are split at BulkParams, in a transaction.
// Either way every row is written, with its key. PostgreSQL binds arrays
// and SQLite always splits at 2,000 parameters: the rule is MySQL's.
func TestCreateOneInsertBoundByText(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *wren.DB) {
		d := db.Dialect()
		if d.SplitParams() == d.BulkParams() {
			t.Skipf("%s: SplitParams is BulkParams (%d parameters), so no INSERT binds more than BulkParams (PostgreSQL binds arrays instead; SQLite splits at 2,000)", d, d.BulkParams())
		}
		is := is.New(t)
		ctx := ctxT(t)
		is.NoErr(wren.CreateTables(ctx, db, CopyKeys))
		const n = 2500 // more rows than BulkParams (2,000) allows for 2 columns
		is.True(n*2 > d.BulkParams() && n*2 <= d.SplitParams())
		for _, tc := range []struct {
			body    string
			inserts int
		}{
			{"short", 1}, // 2,500 × 5 bytes: one INSERT
			{strings.Repeat("x", 2048), n/(d.BulkParams()/2) + 1}, // 5 MB: split
		} {
			var stmts []string
			db.SetHook(hookFunc(func(e *wren.QueryEvent) { stmts = append(stmts, e.SQL) }))
			rows := make([]*CopyKeyRow, n)
			for i := range rows {
				rows[i] = &CopyKeyRow{Note: tc.body}
			}
			err := wren.Create(ctx, db, CopyKeys, rows...)
			db.SetHook(nil)
			is.NoErr(err)
			inserts := 0
			for _, s := range stmts {
				if strings.HasPrefix(s, "INSERT") {
					inserts++
				}
			}
			if inserts != tc.inserts {
				t.Fatalf("%d rows of %d bytes: %d INSERTs, want %d", n, len(tc.body), inserts, tc.inserts)
			}
			for i := 1; i < n; i++ {
				if rows[i].ID <= rows[i-1].ID {
					t.Fatalf("keys out of order: row %d has %d, row %d has %d", i-1, rows[i-1].ID, i, rows[i].ID)
				}
			}
			got, err := wren.One[int64](ctx, db, wren.Select(wren.CountAll()).From(CopyKeys).Where(CopyKeys.Note.Eq(tc.body)))
			is.NoErr(err)
			is.Equal(got, int64(n))
		}
	})
}
