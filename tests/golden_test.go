package tests

import (
	"context"
	"testing"

	"github.com/wrensql/wren"
	"github.com/wrensql/wren/dialect"
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
			want, ok := c.For(d)
			if !ok && d == dialect.MariaDB {
				want = c.MySQL
			}
			text, _, err := c.Stmt.SQL(d)
			if want.Err != "" {
				if err == nil {
					t.Errorf("%s: rendered for %s, but the golden case expects %q", c.Name, d, want.Err)
				}
				continue
			}
			if err != nil {
				t.Errorf("%s: %v", c.Name, err)
				continue
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
