package tests

import (
	"context"
	"testing"

	"github.com/wrensql/wren"
	"github.com/wrensql/wren/internal/golden"
)

// TestGoldenPrepares prepares every golden statement on the real servers,
// so that no golden SQL is only believed to be valid.
func TestGoldenPrepares(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *wren.DB) {
		ctx := ctxT(t)
		d := db.Dialect()
		for _, s := range golden.Schema(d) {
			mustExec(t, db, s)
		}
		for _, c := range golden.Cases {
			if c.NoPrepare {
				continue
			}
			text, _, err := c.Stmt.SQL(d)
			if err != nil {
				continue // recorded as an expected error in the golden file
			}
			if err := prepare(ctx, db, text); err != nil {
				t.Errorf("%s: %s rejects\n  %s\n  %v", c.Name, d, text, err)
			}
		}
	})
}

// prepare asks the server to parse and plan text without running it.
func prepare(ctx context.Context, db *wren.DB, text string) error {
	if p := db.Pool(); p != nil {
		c, err := p.Acquire(ctx)
		if err != nil {
			return err
		}
		defer c.Release()
		_, err = c.Conn().PgConn().Prepare(ctx, "", text, nil)
		return err
	}
	st, err := db.SQLDB().PrepareContext(ctx, text)
	if err == nil {
		st.Close()
	}
	return err
}

// TestGoldenDDLRuns runs the golden DDL on the real servers.
func TestGoldenDDLRuns(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *wren.DB) {
		ctx := ctxT(t)
		for _, s := range golden.Schema(db.Dialect()) {
			mustExec(t, db, s)
		}
		if err := wren.CreateTables(ctx, db, golden.Everything, golden.Pair); err != nil {
			t.Fatal(err)
		}
		if err := wren.CreateTablesIfNotExists(ctx, db, golden.Everything, golden.Pair); err != nil {
			t.Fatal(err)
		}
		if err := wren.DropTables(ctx, db, golden.Pair, golden.Everything); err != nil {
			t.Fatal(err)
		}
	})
}
