package tests

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/matryer/is"

	"github.com/wrensql/wren"
	"github.com/wrensql/wren/dialect"
)

// slowPredicate is a condition that takes about three seconds to evaluate
// on d, for tests that cancel statements while they run.
func slowPredicate(d *dialect.Dialect) wren.Predicate {
	switch {
	case d == dialect.Postgres:
		return wren.Raw("(SELECT 1 FROM pg_sleep(3)) = 1")
	case d.IsMySQLFamily():
		return wren.Raw("SLEEP(3) = 0")
	}
	return wren.Raw("(WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 100000000) SELECT COUNT(*) FROM c) > 0")
}

func usernames(t *testing.T, db wren.Querier) []string {
	t.Helper()
	names, err := wren.All[string](ctxT(t), db, wren.Select(U.Username).From(U).OrderBy(U.Username))
	if err != nil {
		t.Fatal(err)
	}
	return names
}

// TestSavepointsAreNamedPerTransaction: two savepoints taken from one Tx
// used to share a name, so rolling back the first undid the wrong work
// (PostgreSQL, SQLite) or failed (MariaDB).
func TestSavepointsAreNamedPerTransaction(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *wren.DB) {
		is := is.New(t)
		ctx := ctxT(t)
		schemaOnly(t, db)
		tx, err := db.Begin(ctx)
		is.NoErr(err)
		defer tx.Rollback(ctx)
		is.NoErr(addUser(ctx, tx, "before"))
		sp1, err := tx.Savepoint(ctx)
		is.NoErr(err)
		is.NoErr(addUser(ctx, sp1, "a"))
		sp2, err := tx.Savepoint(ctx)
		is.NoErr(err)
		is.NoErr(addUser(ctx, sp2, "b"))
		// Rolling back to sp1 undoes everything since it, b included, and
		// ends sp2, which was taken inside it.
		is.NoErr(sp1.Rollback(ctx))
		err = sp2.Commit(ctx)
		is.True(errors.Is(err, wren.ErrTxDone))
		is.True(errors.Is(addUser(ctx, sp1, "late"), wren.ErrTxDone))
		is.Equal(usernames(t, tx), []string{"before"})

		// Siblings taken one after the other keep their own work.
		sp3, err := tx.Savepoint(ctx)
		is.NoErr(err)
		is.NoErr(addUser(ctx, sp3, "c"))
		is.NoErr(sp3.Commit(ctx))
		sp4, err := tx.Savepoint(ctx)
		is.NoErr(err)
		is.NoErr(addUser(ctx, sp4, "d"))
		is.NoErr(sp4.Rollback(ctx))
		is.NoErr(tx.Commit(ctx))
		is.Equal(usernames(t, db), []string{"before", "c"})
	})
}

// TestFinishedTxRefusesStatements: a savepoint kept running statements
// after its Commit (they landed in the parent); a finished transaction must
// refuse every statement.
func TestFinishedTxRefusesStatements(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *wren.DB) {
		is := is.New(t)
		ctx := ctxT(t)
		schemaOnly(t, db)
		tx, err := db.Begin(ctx)
		is.NoErr(err)
		sp, err := tx.Savepoint(ctx)
		is.NoErr(err)
		is.NoErr(sp.Commit(ctx))
		err = addUser(ctx, sp, "after-release")
		is.True(errors.Is(err, wren.ErrTxDone))
		_, err = sp.Savepoint(ctx)
		is.True(errors.Is(err, wren.ErrTxDone))
		is.NoErr(tx.Rollback(ctx))
		is.True(errors.Is(addUser(ctx, tx, "after-rollback"), wren.ErrTxDone))
		is.True(errors.Is(tx.Commit(ctx), wren.ErrTxDone))
		is.Equal(countUsers(t, db), int64(0))
	})
}

// TestSQLiteFailedCommitRollsBack: when COMMIT fails with SQLITE_BUSY, the
// connection used to go back to the pool still inside its transaction,
// holding its lock, and every later write of the process failed.
func TestSQLiteFailedCommitRollsBack(t *testing.T) {
	t.Parallel()
	is := is.New(t)
	ctx := ctxT(t)
	path := filepath.Join(t.TempDir(), "busy.db")
	// A rollback journal (not WAL): a reader's lock blocks a COMMIT.
	writer, err := wren.Open(ctx, "sqlite", "file:"+path+"?_pragma=busy_timeout(200)&_pragma=journal_mode(delete)")
	is.NoErr(err)
	defer writer.Close()
	writer.SetMaxOpenConns(1) // the connection whose COMMIT fails is the one used next
	reader, err := wren.Open(ctx, "sqlite", "file:"+path+"?_pragma=journal_mode(delete)")
	is.NoErr(err)
	defer reader.Close()
	schemaOnly(t, writer)

	rtx, err := reader.Begin(ctx, wren.TxOptions{ReadOnly: true})
	is.NoErr(err)
	is.Equal(countUsers(t, rtx), int64(0)) // holds a SHARED lock until it ends

	wtx, err := writer.Begin(ctx)
	is.NoErr(err)
	is.NoErr(addUser(ctx, wtx, "lost"))
	err = wtx.Commit(ctx)
	is.True(err != nil) // BUSY: the reader's lock blocks the COMMIT
	is.True(wren.IsRetryable(err))
	is.NoErr(rtx.Rollback(ctx))

	// The writer's pool works again, and what it writes is committed.
	is.NoErr(addUser(ctx, writer, "kept"))
	is.NoErr(writer.Atomic(ctx, func(tx *wren.Tx) error { return addUser(ctx, tx, "kept2") }))
	is.Equal(usernames(t, reader), []string{"kept", "kept2"})
}

// TestSQLiteReadThenWriteTransactions: transactions that read and then
// write used to begin DEFERRED and fail with SQLITE_BUSY under concurrent
// writers; they begin IMMEDIATE now and wait for the lock instead.
func TestSQLiteReadThenWriteTransactions(t *testing.T) {
	t.Parallel()
	is := is.New(t)
	ctx := ctxT(t)
	path := filepath.Join(t.TempDir(), "rw.db")
	var dbs []*wren.DB
	for range 3 { // three handles, as three processes would have
		db, err := wren.Open(ctx, "sqlite", path)
		is.NoErr(err)
		defer db.Close()
		dbs = append(dbs, db)
	}
	schemaOnly(t, dbs[0])
	is.NoErr(addUser(ctx, dbs[0], "counter"))
	const workers, each = 6, 15
	var wg sync.WaitGroup
	errs := make(chan error, workers*each)
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			db := dbs[w%len(dbs)]
			for range each {
				errs <- db.Atomic(ctx, func(tx *wren.Tx) error {
					age, err := wren.One[int64](ctx, tx, wren.Select(U.Age).From(U).Where(U.Username.Eq("counter")))
					if err != nil {
						return err
					}
					_, err = wren.Exec(ctx, tx, wren.Update(U).Set(wren.Set(U.Age, age+1)).Where(U.Username.Eq("counter")))
					return err
				})
			}
		}()
	}
	wg.Wait()
	close(errs)
	failed := 0
	for err := range errs {
		if err != nil {
			failed++
			t.Log(err)
		}
	}
	is.Equal(failed, 0)
	age, err := wren.One[int64](ctx, dbs[1], wren.Select(U.Age).From(U).Where(U.Username.Eq("counter")))
	is.NoErr(err)
	is.Equal(age, int64(workers*each))
}

// TestMemorySQLiteIsOneDatabase: ":memory:" used to give each pooled
// connection an empty database of its own.
func TestMemorySQLiteIsOneDatabase(t *testing.T) {
	t.Parallel()
	is := is.New(t)
	ctx := ctxT(t)
	db, err := wren.Open(ctx, "sqlite", ":memory:")
	is.NoErr(err)
	defer db.Close()
	other, err := wren.Open(ctx, "sqlite", ":memory:")
	is.NoErr(err)
	defer other.Close()
	schemaOnly(t, db)
	var wg sync.WaitGroup
	errs := make(chan error, 8*10)
	for g := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 10 {
				errs <- addUser(ctx, db, fmt.Sprintf("u%d-%d", g, i))
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		is.NoErr(err)
	}
	is.Equal(countUsers(t, db), int64(80))
	// Another Open is another database.
	_, err = wren.Count(ctx, other, wren.Select(U.ID).From(U))
	is.True(err != nil && strings.Contains(err.Error(), "no such table"))
}

// TestTimeoutsKeepTheirCause: a timeout used to surface as a scan error
// ("int64 is scanned from one column, but the query selects 0") on
// PostgreSQL, or as "transaction has already been committed or rolled back"
// inside Atomic on SQLite and MariaDB.
func TestTimeoutsKeepTheirCause(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *wren.DB) {
		is := is.New(t)
		ctx := ctxT(t)
		schemaOnly(t, db)
		is.NoErr(addUser(ctx, db, "x"))
		slow := wren.Select(U.ID).From(U).Where(slowPredicate(db.Dialect()))
		check := func(what string, err error) {
			t.Helper()
			if !errors.Is(err, context.DeadlineExceeded) {
				t.Fatalf("%s: want context.DeadlineExceeded, got %v", what, err)
			}
			if strings.Contains(err.Error(), "scan") || !strings.Contains(err.Error(), "SELECT") {
				t.Fatalf("%s: the message should name the statement, not a scan: %v", what, err)
			}
		}
		for range 2 { // the second run must not find a poisoned cache
			c, cancel := context.WithTimeout(ctx, 150*time.Millisecond)
			_, err := wren.Count(c, db, slow)
			check("Count", err)
			_, err = wren.Exists(c, db, slow)
			check("Exists", err)
			cancel()
			c, cancel = context.WithTimeout(ctx, 150*time.Millisecond)
			_, err = wren.One[int64](c, db, slow)
			check("One[int64]", err)
			cancel()
			c, cancel = context.WithTimeout(ctx, 150*time.Millisecond)
			_, err = wren.All[NewUser](c, db, wren.Select(U).From(U).Where(slowPredicate(db.Dialect())))
			check("All[struct]", err)
			cancel()
		}
		n, err := wren.Count(ctx, db, wren.Select(U.ID).From(U))
		is.NoErr(err)
		is.Equal(n, int64(1))

		// A deadline inside Atomic.
		c, cancel := context.WithTimeout(ctx, 150*time.Millisecond)
		defer cancel()
		err = db.Atomic(c, func(tx *wren.Tx) error {
			if err := addUser(c, tx, "in-tx"); err != nil {
				return err
			}
			_, err := wren.All[int64](c, tx, slow)
			return err
		})
		check("Atomic", err)
		// The deadline passes between statements.
		c2, cancel2 := context.WithTimeout(ctx, 100*time.Millisecond)
		defer cancel2()
		err = db.Atomic(c2, func(tx *wren.Tx) error {
			if err := addUser(c2, tx, "in-tx2"); err != nil {
				return err
			}
			time.Sleep(200 * time.Millisecond)
			return addUser(c2, tx, "in-tx3")
		})
		is.True(errors.Is(err, context.DeadlineExceeded))
		is.Equal(usernames(t, db), []string{"x"})
	})
}

// TestAtomicRetriesDeadlocks: two transactions that lock two rows in
// opposite orders deadlock; the server rolls one back, and with
// MaxAttempts Atomic runs it again, so both commit.
func TestAtomicRetriesDeadlocks(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *wren.DB) {
		if db.Dialect() == dialect.SQLite {
			t.Skip("SQLite write transactions take the database lock up front: they wait, never deadlock")
		}
		is := is.New(t)
		ctx := ctxT(t)
		schemaOnly(t, db)
		is.NoErr(addUser(ctx, db, "a"))
		is.NoErr(addUser(ctx, db, "b"))
		bump := func(tx *wren.Tx, name string) error {
			_, err := wren.Exec(ctx, tx, wren.Update(U).Set(wren.SetExpr(U.Age, U.Age.Add(1))).Where(U.Username.Eq(name)))
			return err
		}
		run := func(attempts int) []error {
			var wg sync.WaitGroup
			var ready sync.WaitGroup
			ready.Add(2)
			errs := make([]error, 2)
			for i, order := range [][2]string{{"a", "b"}, {"b", "a"}} {
				wg.Add(1)
				go func() {
					defer wg.Done()
					first := true
					errs[i] = db.Atomic(ctx, func(tx *wren.Tx) error {
						if err := bump(tx, order[0]); err != nil {
							return err
						}
						if first { // both hold their first lock before either asks for its second
							first = false
							ready.Done()
							ready.Wait()
						}
						return bump(tx, order[1])
					}, wren.TxOptions{MaxAttempts: attempts})
				}()
			}
			wg.Wait()
			return errs
		}
		errs := run(1)
		failed := 0
		for _, err := range errs {
			if err != nil {
				failed++
				is.True(wren.IsRetryable(err)) // a deadlock victim
			}
		}
		is.Equal(failed, 1)
		errs = run(3)
		is.NoErr(errs[0])
		is.NoErr(errs[1])
		ages, err := wren.All[int64](ctx, db, wren.Select(U.Age).From(U).OrderBy(U.Username))
		is.NoErr(err)
		is.Equal(ages, []int64{3, 3}) // one of the first pair's transactions, then both of the second
	})
}

// TestCreateKeysFollowTheSessionStep: the step between keys used to be read
// once at Open, so a session with another auto_increment_increment (as
// Galera sets) got keys that belonged to other rows.
func TestCreateKeysFollowTheSessionStep(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *wren.DB) {
		if !db.Dialect().IsMySQLFamily() {
			t.Skip("auto_increment_increment is MySQL's and MariaDB's")
		}
		is := is.New(t)
		ctx := ctxT(t)
		schemaOnly(t, db)
		for hi, h := range handles(db) {
			err := h.Atomic(ctx, func(tx *wren.Tx) error {
				if _, err := wren.Exec(ctx, tx, wren.RawStmt("SET SESSION auto_increment_increment = 5")); err != nil {
					return err
				}
				defer wren.Exec(context.WithoutCancel(ctx), tx, wren.RawStmt("SET SESSION auto_increment_increment = 1"))
				rows := []*NewUser{{Username: fmt.Sprintf("s%d-1", hi)}, {Username: fmt.Sprintf("s%d-2", hi)}, {Username: fmt.Sprintf("s%d-3", hi)}}
				for _, r := range rows {
					r.CreatedAt = time.Now()
				}
				if err := wren.Create(ctx, tx, U, rows...); err != nil {
					return err
				}
				for _, r := range rows {
					name, err := wren.One[string](ctx, tx, wren.Select(U.Username).From(U).Where(U.ID.Eq(r.ID)))
					if err != nil {
						return fmt.Errorf("key %d of %s: %w", r.ID, r.Username, err)
					}
					if name != r.Username {
						return fmt.Errorf("key %d was given to %s but belongs to %s", r.ID, r.Username, name)
					}
				}
				return nil
			})
			is.NoErr(err)
		}
	})
}

// TestBeginAfterIdleSessionEnded: a server session ended while its
// connection sat idle in the pool used to make the next Begin fail.
func TestBeginAfterIdleSessionEnded(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *wren.DB) {
		var killQuery string
		switch {
		case db.Dialect() == dialect.Postgres:
			killQuery = "SELECT pg_terminate_backend(?)"
		case db.Dialect().IsMySQLFamily():
			killQuery = "KILL CONNECTION ?"
		default:
			t.Skip("SQLite is embedded: there is no server session to end")
		}
		is := is.New(t)
		ctx := ctxT(t)
		schemaOnly(t, db)
		for range 3 {
			// Hold every pooled connection in transactions, note their
			// sessions, and give them back idle.
			var txs []*wren.Tx
			var ids []int64
			for range 4 { // the harness's pool size
				tx, err := db.Begin(ctx)
				is.NoErr(err)
				id, err := wren.One[int64](ctx, tx, wren.RawStmt(map[bool]string{true: "SELECT pg_backend_pid()", false: "SELECT CONNECTION_ID()"}[db.Dialect() == dialect.Postgres]))
				is.NoErr(err)
				txs, ids = append(txs, tx), append(ids, id)
			}
			for _, tx := range txs {
				is.NoErr(tx.Rollback(ctx))
			}
			killer := openTestDB(t, map[bool]string{true: "postgres", false: "mysql"}[db.Dialect() == dialect.Postgres])
			for _, id := range ids {
				// database/sql may have closed some idle connections itself
				// (MySQL: "Unknown thread id").
				if _, err := wren.Exec(ctx, killer, wren.RawStmt(killQuery, id)); err != nil && !strings.Contains(err.Error(), "Unknown thread") {
					t.Fatal(err)
				}
			}
			time.Sleep(50 * time.Millisecond)
			err := db.Atomic(ctx, func(tx *wren.Tx) error { return addUser(ctx, tx, fmt.Sprint(time.Now().UnixNano())) })
			is.NoErr(err)
		}
		is.Equal(countUsers(t, db), int64(3))
	})
}
