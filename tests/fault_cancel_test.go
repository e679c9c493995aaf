package tests

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/matryer/is"

	"github.com/wrensql/wren"
	"github.com/wrensql/wren/dialect"
)

// slowQuery returns a statement that runs for seconds unless stopped, marked
// with tag in a comment so that the server's list of running statements can
// be searched for it: pg_sleep / SLEEP for 5 s, and on SQLite a recursive
// CTE counting to two billion.
func slowQuery(d *dialect.Dialect, tag string) wren.Statement {
	switch {
	case d == dialect.Postgres:
		return wren.RawStmt("SELECT 1 FROM pg_sleep(5) /* " + tag + " */")
	case d.IsMySQLFamily():
		return wren.RawStmt("SELECT SLEEP(5) /* " + tag + " */")
	}
	return wren.RawStmt("WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 2000000000) SELECT count(*) FROM c /* " + tag + " */")
}

// TestFaultCancelMidQuery cancels, 20 times per database, a statement that
// would run for 5 s, 150 ms after it started: by cancelling its context, or
// by its context's deadline, on the pool or inside Atomic (in turn). Each
// call must return promptly with an error that errors.Is the context's
// error and names the statement (and no failed rollback), the server must
// no longer run the statement within 2 s (pg_stat_activity,
// information_schema.processlist, searched for the statement's unique
// comment), and the pool must have every connection back.
func TestFaultCancelMidQuery(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *wren.DB) {
		is := is.New(t)
		ctx := ctxT(t)
		d := db.Dialect()
		server := d != dialect.SQLite
		if server {
			if d == dialect.Postgres {
				adminPG(t, needServer(t, "WREN_POSTGRES_DSN", "PostgreSQL"))
			} else {
				adminMy(t)
			}
		}
		const rounds, after = 20, 150 * time.Millisecond
		// Generous for -race on a loaded machine: a statement still running
		// or a connection still out after this is not slowness.
		const prompt, goneWithin, returnWithin = 2 * time.Second, 2 * time.Second, 5 * time.Second
		base := randName()
		var slow, wrongErr, running, leaked int
		var maxTook, maxGone, maxReturn time.Duration
		samples := map[[2]bool]string{} // an error per (in Atomic, by deadline)
		for i := range rounds {
			tag := fmt.Sprintf("%s_cancel_%d", base, i)
			want := context.Canceled
			c, cancel := context.WithCancel(ctx)
			if i%2 == 1 {
				want = context.DeadlineExceeded
				c, cancel = context.WithTimeout(ctx, after)
			} else {
				time.AfterFunc(after, cancel)
			}
			inTx := (i/2)%2 == 1
			start := time.Now()
			var err error
			if inTx {
				err = db.Atomic(c, func(tx *wren.Tx) error {
					_, err := wren.One[int64](c, tx, slowQuery(d, tag))
					return err
				})
			} else {
				_, err = wren.One[int64](c, db, slowQuery(d, tag))
			}
			took := time.Since(start)
			if samples[[2]bool{inTx, i%2 == 1}] == "" && err != nil {
				samples[[2]bool{inTx, i%2 == 1}] = err.Error()
			}
			cancel()
			maxTook = max(maxTook, took)
			if took > prompt {
				slow++
				t.Errorf("round %d: the cancelled call returned after %v", i, took)
			}
			if !errors.Is(err, want) {
				wrongErr++
				t.Errorf("round %d: want an error that errors.Is %v, got %v", i, want, err)
			} else if !strings.Contains(err.Error(), "SELECT") && !strings.Contains(err.Error(), "begin") {
				// The statement, or the BEGIN when it was the one waiting
				// (for a connection: a cancelled one is replaced).
				wrongErr++
				t.Errorf("round %d: the cancellation's message does not say what was running: %v", i, err)
			} else if strings.Contains(err.Error(), "already been committed or rolled back") {
				// The rollback after a cancelled statement is wren's
				// business, not a second failure to report.
				wrongErr++
				t.Errorf("round %d: the cancellation is reported with a failed rollback: %v", i, err)
			}
			// The server stops the statement, and the pool gets its
			// connection back: both timed from the call's return.
			ended := time.Now()
			gone, back := !server, false
			for {
				el := time.Since(ended)
				if !gone {
					n, err := serverRunning(ctx, d, tag)
					is.NoErr(err)
					if gone = n == 0; gone {
						maxGone = max(maxGone, el)
						if el > goneWithin {
							running++
							t.Errorf("round %d (in Atomic %v, by deadline %v): the statement ran on the server %v after the call returned", i, inTx, i%2 == 1, el)
						}
					}
				}
				if !back {
					if back = poolInUse(db) == 0; back {
						maxReturn = max(maxReturn, el)
					}
				}
				if gone && back || el > returnWithin {
					break
				}
				time.Sleep(10 * time.Millisecond)
			}
			if !gone {
				running++
				t.Errorf("round %d (in Atomic %v, by deadline %v): the statement still runs on the server %v after the call returned", i, inTx, i%2 == 1, returnWithin)
			}
			if !back {
				leaked++
				t.Errorf("round %d: %d connections still checked out %v after the call returned", i, poolInUse(db), returnWithin)
			}
		}
		t.Logf("%s: %d cancelled calls: slowest returned after %v; every connection back in the pool %v after the call at the latest; %d slow, %d wrong errors, %d leaked",
			d, rounds, maxTook, maxReturn, slow, wrongErr, leaked)
		if server {
			t.Logf("%s: server-side statements: %d still running %v after the call returned; the others gone %v after it at the latest",
				d, running, goneWithin, maxGone)
		}
		for k, msg := range samples {
			t.Logf("  in Atomic %v, by deadline %v: %s", k[0], k[1], msg)
		}
		if running > 0 {
			t.Errorf("%d of %d cancelled statements were still running on the server %v after the call returned", running, rounds, goneWithin)
		}
		// The pool still answers.
		v, err := wren.One[int64](ctx, db, wren.RawStmt("SELECT 7"))
		is.NoErr(err)
		is.Equal(v, int64(7))
		is.Equal(poolInUse(db), 0)
	})
}

// PoisonTable is the table of TestFaultTimeoutDoesNotPoison; its row type is
// used nowhere else, so that the statements the test times out are the
// first of their shape in the process.
type PoisonTable struct {
	wren.Table
	ID   wren.Column[int64] `wren:",pk"`
	Name wren.Column[string]
	N    wren.Column[int64]
}

// PoisonRow is a row of Poison.
type PoisonRow struct {
	ID   int64
	Name string
	N    int64
}

// Poison is the table of TestFaultTimeoutDoesNotPoison.
var Poison = wren.NewTable[PoisonTable]("fault_poison")

// TestFaultTimeoutDoesNotPoison times out the first run of a statement
// shape, then runs the same shape again: the later runs must succeed
// (nothing derived from the failed run — scan plan, prepared statement — is
// kept). On PostgreSQL and MySQL/MariaDB the first run waits for a row lock
// another transaction holds (SELECT … FOR UPDATE); SQLite has no row locks,
// so there the statement carries a recursive-CTE condition that is slow for
// the first run's argument and instant for the later ones'. The timeout must
// be reported as such (errors.Is DeadlineExceeded) with a message that names
// what was running. Shapes: One of a struct, One of a scalar, All of a
// scalar, Count, Exists.
func TestFaultTimeoutDoesNotPoison(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *wren.DB) {
		is := is.New(t)
		ctx := ctxT(t)
		d := db.Dialect()
		is.NoErr(wren.CreateTables(ctx, db, Poison))
		is.NoErr(wren.Create(ctx, db, Poison, &PoisonRow{ID: 1, Name: "one", N: 7}, &PoisonRow{ID: 2, Name: "two", N: 8}))
		locks := d.RowLocks()
		// sel is the shape under test: row 1, locked for update where the
		// database has row locks, else behind a condition whose cost is
		// the argument.
		sel := func(slow bool, items ...wren.Selectable) wren.SelectQuery {
			q := wren.Select(items...).From(Poison).Where(Poison.ID.Eq(1))
			if locks {
				return q.ForUpdate()
			}
			limit := int64(1)
			if slow {
				limit = 2_000_000_000
			}
			return q.Where(wren.Raw("(WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < ?) SELECT count(*) FROM c) > 0", limit))
		}
		cases := []struct {
			name string
			run  func(ctx context.Context, slow bool) (any, error)
			want any
		}{
			{"One of a struct", func(ctx context.Context, slow bool) (any, error) {
				return wren.One[PoisonRow](ctx, db, sel(slow, Poison))
			}, PoisonRow{ID: 1, Name: "one", N: 7}},
			{"One of a scalar", func(ctx context.Context, slow bool) (any, error) {
				return wren.One[int64](ctx, db, sel(slow, Poison.N))
			}, int64(7)},
			{"All of a scalar", func(ctx context.Context, slow bool) (any, error) {
				return wren.All[string](ctx, db, sel(slow, Poison.Name))
			}, []string{"one"}},
			{"Count", func(ctx context.Context, slow bool) (any, error) {
				return wren.Count(ctx, db, sel(slow, Poison.ID))
			}, int64(1)},
			{"Exists", func(ctx context.Context, slow bool) (any, error) {
				return wren.Exists(ctx, db, sel(slow, Poison.ID, Poison.Name))
			}, true},
		}
		for _, c := range cases {
			var holder *wren.Tx
			if locks {
				var err error
				holder, err = db.Begin(ctx)
				is.NoErr(err)
				_, err = wren.All[int64](ctx, holder, wren.Select(Poison.ID).From(Poison).Where(Poison.ID.Eq(1)).ForUpdate())
				is.NoErr(err)
			}
			tc, cancel := context.WithTimeout(ctx, 200*time.Millisecond)
			start := time.Now()
			_, err := c.run(tc, true)
			took := time.Since(start)
			cancel()
			if holder != nil {
				is.NoErr(holder.Rollback(ctx))
			}
			if !errors.Is(err, context.DeadlineExceeded) {
				t.Errorf("%s: first run timed out after %v; want an error that errors.Is context.DeadlineExceeded, got %v", c.name, took, err)
			} else if msg := err.Error(); !strings.Contains(msg, "fault_poison") && !strings.Contains(strings.ToUpper(msg), "SELECT") {
				t.Errorf("%s: the timeout's message does not say what was running: %v", c.name, err)
			}
			if took > 2*time.Second {
				t.Errorf("%s: the timed-out call returned after %v", c.name, took)
			}
			for i := range 3 {
				got, err := c.run(ctx, false)
				if err != nil {
					t.Errorf("%s: run %d after the timeout: %v", c.name, i+2, err)
					continue
				}
				if fmt.Sprint(got) != fmt.Sprint(c.want) {
					t.Errorf("%s: run %d after the timeout returned %v, want %v", c.name, i+2, got, c.want)
				}
			}
		}
		is.True(poolReturns(db, 5*time.Second)) // every connection is back in the pool
	})
}

// poolReturns waits up to within for db's pool to have every connection
// back, and reports whether it has.
func poolReturns(db *wren.DB, within time.Duration) bool {
	for w := time.Now(); time.Since(w) < within; time.Sleep(10 * time.Millisecond) {
		if poolInUse(db) == 0 {
			return true
		}
	}
	return poolInUse(db) == 0
}
