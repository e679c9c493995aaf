package tests

import (
	"context"
	"database/sql/driver"
	"errors"
	"fmt"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/matryer/is"
	"modernc.org/sqlite"

	"github.com/wrensql/wren"
)

// mysqlHandles returns, on MySQL/MariaDB, the DB that Open made (statements
// cached per connection) and the same pool given to OpenDB (one cache of
// database/sql statements for the pool).
func mysqlHandles(t *testing.T, db *wren.DB) map[string]*wren.DB {
	if !db.Dialect().IsMySQLFamily() {
		t.Skip("this is about MySQL's and MariaDB's prepared statements")
	}
	return map[string]*wren.DB{"Open": db, "OpenDB": wren.OpenDB(db.SQLDB(), db.Dialect())}
}

// TestSlowStatementDoesNotStallOthers: evicting a prepared statement used to
// close it under the cache's lock, and sql.Stmt.Close waits for the
// statement's running queries: one slow query stalled every query.
func TestSlowStatementDoesNotStallOthers(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *wren.DB) {
		for name, h := range mysqlHandles(t, db) {
			t.Run(name, func(t *testing.T) {
				is := is.New(t)
				ctx := ctxT(t)
				h.SetMaxOpenConns(4)
				sleep := func(c context.Context, s float64) error {
					_, err := wren.One[int64](c, h, wren.RawStmt("SELECT SLEEP(?)", s))
					return err
				}
				other := wren.RawStmt("SELECT ? + 1", 1)
				is.NoErr(sleep(ctx, 0))
				_, err := wren.One[int64](ctx, h, other)
				is.NoErr(err)
				for i := range 510 { // fill the cache (512): the sleep is the oldest entry
					_, err := wren.One[int64](ctx, h, wren.RawStmt(fmt.Sprintf("SELECT ? + %d", i+2), 1))
					is.NoErr(err)
				}
				var wg sync.WaitGroup
				wg.Add(1)
				go func() { defer wg.Done(); sleep(ctx, 2) }()
				time.Sleep(200 * time.Millisecond)
				wg.Add(1)
				go func() { // a new text evicts the sleeping statement
					defer wg.Done()
					wren.One[int64](ctx, h, wren.RawStmt("SELECT ? + 100000", 1))
				}()
				time.Sleep(100 * time.Millisecond)
				c, cancel := context.WithTimeout(ctx, time.Second)
				start := time.Now()
				_, err = wren.One[int64](c, h, other)
				cancel()
				is.NoErr(err)
				is.True(time.Since(start) < 500*time.Millisecond)
				wg.Wait()
			})
		}
	})
}

// TestHotStatementStaysPrepared: the cache used to evict in insertion
// order, so the busiest statement was prepared again after every 512 new
// texts. Counted on the server, on one connection.
func TestHotStatementStaysPrepared(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *wren.DB) {
		for name, h := range mysqlHandles(t, db) {
			t.Run(name, func(t *testing.T) {
				is := is.New(t)
				ctx := ctxT(t)
				h.SetMaxOpenConns(1)
				prepares := func() int64 {
					var row struct {
						VariableName string `db:"Variable_name"`
						Value        int64  `db:"Value"`
					}
					row, err := wren.One[struct {
						VariableName string `db:"Variable_name"`
						Value        int64  `db:"Value"`
					}](ctx, h, wren.RawStmt("SHOW SESSION STATUS LIKE 'Com_stmt_prepare'"))
					is.NoErr(err)
					return row.Value
				}
				hot := wren.RawStmt("SELECT ? * 2", 1)
				_, err := wren.One[int64](ctx, h, hot)
				is.NoErr(err)
				prepares() // prepared once itself, if at all
				before := prepares()
				const fresh = 1100
				for i := range fresh {
					_, err := wren.One[int64](ctx, h, wren.RawStmt(fmt.Sprintf("SELECT ? * %d", i+3), 1))
					is.NoErr(err)
					_, err = wren.One[int64](ctx, h, hot)
					is.NoErr(err)
				}
				got := prepares() - before
				t.Logf("%d statements prepared for %d new texts", got, fresh)
				is.True(got <= fresh+1) // the new texts (and the status query), never the hot one again
			})
		}
	})
}

// TestCancelStopsTheServerQuery: on MySQL/MariaDB a cancelled statement
// used to run on to its end on the server (20 of 20 cancelled SLEEP(5)s
// were still running 0.5 s later).
func TestCancelStopsTheServerQuery(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *wren.DB) {
		if !db.Dialect().IsMySQLFamily() {
			t.Skip("pgx cancels on PostgreSQL; SQLite is embedded (the fault suite covers both)")
		}
		is := is.New(t)
		ctx := ctxT(t)
		db.SetMaxOpenConns(8)
		tag := fmt.Sprintf("wren_cancel_%d", time.Now().UnixNano())
		var wg sync.WaitGroup
		for i := range 20 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				c, cancel := context.WithTimeout(ctx, 150*time.Millisecond)
				defer cancel()
				start := time.Now()
				_, err := wren.One[int64](c, db, wren.RawStmt(fmt.Sprintf("SELECT SLEEP(5) /* %s %d */", tag, i)))
				if !errors.Is(err, context.DeadlineExceeded) || time.Since(start) > 2*time.Second {
					t.Errorf("cancelled after %v: %v", time.Since(start), err)
				}
			}()
		}
		wg.Wait()
		// Gone well before the 5 s sleeps would end (the kills run on
		// connections of their own; allow for a loaded machine).
		var running int64
		for start := time.Now(); time.Since(start) < 3*time.Second; time.Sleep(100 * time.Millisecond) {
			var err error
			running, err = wren.One[int64](ctx, db, wren.RawStmt(
				"SELECT COUNT(*) FROM information_schema.processlist WHERE info LIKE ? AND info NOT LIKE '%processlist%'", "%"+tag+"%"))
			is.NoErr(err)
			if running == 0 {
				break
			}
		}
		is.Equal(running, int64(0))
		// Every connection comes back (closing the killed ones can lag the
		// calls' return under -race).
		for start := time.Now(); db.SQLDB().Stats().InUse > 0 && time.Since(start) < 5*time.Second; {
			time.Sleep(50 * time.Millisecond)
		}
		is.Equal(db.SQLDB().Stats().InUse, 0)
		_, err := wren.One[int64](ctx, db, wren.RawStmt("SELECT 1")) // the pool works
		is.NoErr(err)
	})
}

// TestSQLiteStatementsStayCompiled: a SQLite pool made by Open used to
// prepare nothing, and modernc.org/sqlite compiled every statement again on
// every run (v1.61.1 keeps a prepared statement's program). SQLite calls
// the authorizer when it compiles a statement: run one text 20 times on one
// connection and count the compilations.
func TestSQLiteStatementsStayCompiled(t *testing.T) {
	is := is.New(t)
	ctx := ctxT(t)
	db, err := wren.Open(ctx, "sqlite", filepath.Join(t.TempDir(), "compiled.db"))
	is.NoErr(err)
	defer db.Close()
	db.SetMaxOpenConns(1)
	compiled := countCompilations(t, db)
	for i := range 20 {
		got, err := wren.One[int64](ctx, db, wren.RawStmt("SELECT ? * 2", i))
		is.NoErr(err)
		is.Equal(got, int64(2*i))
	}
	t.Logf("compiled %d times for 20 runs", compiled.Load())
	is.Equal(compiled.Load(), int64(1))
	// In transactions, on the same connection: still the one compilation
	// (statements in transactions were compiled on every run).
	for i := range 3 {
		is.NoErr(db.Atomic(ctx, func(tx *wren.Tx) error {
			for j := range 5 {
				got, err := wren.One[int64](ctx, tx, wren.RawStmt("SELECT ? * 2", i+j))
				if err != nil {
					return err
				}
				is.Equal(got, int64(2*(i+j)))
			}
			return nil
		}))
	}
	t.Logf("compiled %d times for 35 runs, 15 of them in transactions", compiled.Load())
	is.Equal(compiled.Load(), int64(1))
	// A query without arguments is kept too (a page of a table: no WHERE,
	// the LIMIT written); BEGIN and the like are not.
	compiled.Store(0)
	for range 20 {
		got, err := wren.One[int64](ctx, db, wren.RawStmt("SELECT 6 * 7"))
		is.NoErr(err)
		is.Equal(got, int64(42))
	}
	t.Logf("compiled %d times for 20 runs without arguments", compiled.Load())
	is.Equal(compiled.Load(), int64(1))
}

// TestSQLitePagesCompileOnce: OFFSET used to be written into the text on
// SQLite, so each page of a query was a statement of its own, compiled
// and kept apart. Bound, every page runs the one program (a bound LIMIT
// would make SQLite compile it again on every run: the LIMIT stays a
// number).
func TestSQLitePagesCompileOnce(t *testing.T) {
	is := is.New(t)
	ctx := ctxT(t)
	db, err := wren.Open(ctx, "sqlite", filepath.Join(t.TempDir(), "pages.db"))
	is.NoErr(err)
	defer db.Close()
	db.SetMaxOpenConns(1)
	compiled := countCompilations(t, db)
	is.NoErr(wren.CreateTables(ctx, db, Counters))
	for i := range 100 {
		is.NoErr(wren.Create(ctx, db, Counters, &Counter{ID: int64(i + 1)}))
	}
	compiled.Store(0)
	for page := 2; page <= 11; page++ {
		got, err := wren.All[int64](ctx, db, wren.Select(Counters.ID).From(Counters).OrderBy(Counters.ID).Paginate(page, 7))
		is.NoErr(err)
		is.Equal(len(got), 7)
		is.Equal(got[0], int64((page-1)*7+1))
	}
	t.Logf("compiled %d times for 10 pages", compiled.Load())
	is.Equal(compiled.Load(), int64(1))
}

// TestSQLiteSameTextWhileRowsOpen: a connection keeps one prepared statement
// per text; the same text run again while the rows of its first run are
// still being read (in a transaction, on one connection) must not reset
// those rows.
func TestSQLiteSameTextWhileRowsOpen(t *testing.T) {
	is := is.New(t)
	ctx := ctxT(t)
	db, err := wren.Open(ctx, "sqlite", filepath.Join(t.TempDir(), "open.db"))
	is.NoErr(err)
	defer db.Close()
	q := func(from int) wren.Statement {
		return wren.RawStmt("WITH RECURSIVE c(x) AS (SELECT ? UNION ALL SELECT x + 1 FROM c WHERE x < 5) SELECT x FROM c", from)
	}
	is.NoErr(db.Atomic(ctx, func(tx *wren.Tx) error {
		var outer, inner []int64
		for x, err := range wren.Iter[int64](ctx, tx, q(1)) {
			if err != nil {
				return err
			}
			outer = append(outer, x)
			got, err := wren.All[int64](ctx, tx, q(int(x)))
			if err != nil {
				return err
			}
			inner = append(inner, int64(len(got)))
		}
		is.Equal(outer, []int64{1, 2, 3, 4, 5})
		is.Equal(inner, []int64{5, 4, 3, 2, 1})
		return nil
	}))
	// And the kept statement still serves the text afterwards.
	got, err := wren.All[int64](ctx, db, q(3))
	is.NoErr(err)
	is.Equal(got, []int64{3, 4, 5})
}

// countCompilations counts the SELECTs SQLite compiles on db's one
// connection (db.SetMaxOpenConns(1)): SQLite calls the authorizer as it
// compiles a statement.
func countCompilations(t *testing.T, db *wren.DB) *atomic.Int64 {
	t.Helper()
	is := is.New(t)
	var compiled atomic.Int64
	c, err := db.SQLDB().Conn(ctxT(t))
	is.NoErr(err)
	is.NoErr(c.Raw(func(dc any) error {
		return dc.(interface{ Unwrap() driver.Conn }).Unwrap().(sqlite.AuthorizerRegisterer).RegisterAuthorizer(
			func(action sqlite.AuthorizerActionCode, _, _, _, _ string) sqlite.AuthorizerReturnCode {
				if action == sqlite.AuthSelect {
					compiled.Add(1)
				}
				return sqlite.AuthorizerOK
			})
	}))
	is.NoErr(c.Close())
	return &compiled
}
