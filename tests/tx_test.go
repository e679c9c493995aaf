package tests

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/matryer/is"

	"github.com/wrensql/wren"
	"github.com/wrensql/wren/dialect"
)

func countUsers(t *testing.T, db wren.Querier) int64 {
	t.Helper()
	n, err := wren.Count(ctxT(t), db, wren.Select(U.ID).From(U))
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func addUser(ctx context.Context, db wren.Querier, name string) error {
	return wren.Create(ctx, db, U, &NewUser{Username: name, CreatedAt: time.Now()})
}

func TestTransactions(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *wren.DB) {
		is := is.New(t)
		ctx := ctxT(t)
		schemaOnly(t, db)
		boom := errors.New("boom")

		// An error rolls everything back.
		err := db.Atomic(ctx, func(tx *wren.Tx) error {
			is.NoErr(addUser(ctx, tx, "a"))
			is.Equal(countUsers(t, tx), int64(1)) // visible inside
			return boom
		})
		is.True(errors.Is(err, boom))
		is.Equal(countUsers(t, db), int64(0))

		// Success commits.
		is.NoErr(db.Atomic(ctx, func(tx *wren.Tx) error { return addUser(ctx, tx, "b") }))
		is.Equal(countUsers(t, db), int64(1))

		// An inner failure undoes only the inner work.
		err = db.Atomic(ctx, func(tx *wren.Tx) error {
			is.NoErr(addUser(ctx, tx, "outer"))
			inner := tx.Atomic(ctx, func(tx *wren.Tx) error {
				is.NoErr(addUser(ctx, tx, "inner"))
				return boom
			})
			is.True(errors.Is(inner, boom))
			return tx.Atomic(ctx, func(tx *wren.Tx) error { return addUser(ctx, tx, "inner2") })
		})
		is.NoErr(err)
		names, err := wren.All[string](ctx, db, wren.Select(U.Username).From(U).OrderBy(U.Username))
		is.NoErr(err)
		is.Equal(names, []string{"b", "inner2", "outer"})

		// A panic rolls back and panics again; the pool stays usable.
		func() {
			defer func() {
				is.Equal(recover(), "kaboom")
			}()
			db.Atomic(ctx, func(tx *wren.Tx) error {
				is.NoErr(addUser(ctx, tx, "panicky"))
				panic("kaboom")
			})
		}()
		is.Equal(countUsers(t, db), int64(3))

		// Manual form.
		tx, err := db.Begin(ctx)
		is.NoErr(err)
		is.NoErr(addUser(ctx, tx, "manual"))
		is.NoErr(tx.Rollback(ctx))
		is.Equal(countUsers(t, db), int64(3))
		tx, err = db.Begin(ctx)
		is.NoErr(err)
		is.NoErr(addUser(ctx, tx, "manual"))
		is.NoErr(tx.Commit(ctx))
		is.True(tx.Commit(ctx) != nil) // a finished transaction says so
		is.Equal(countUsers(t, db), int64(4))

		// Read-only transactions refuse writes where the database has them.
		if db.Dialect() != dialect.SQLite {
			err = db.Atomic(ctx, func(tx *wren.Tx) error { return addUser(ctx, tx, "ro") }, wren.TxOptions{ReadOnly: true})
			is.True(err != nil)
			is.Equal(countUsers(t, db), int64(4))
		}
	})
}

func TestBrokenConnectionInTransaction(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *wren.DB) {
		is := is.New(t)
		ctx := ctxT(t)
		schemaOnly(t, db)
		is.NoErr(addUser(ctx, db, "committed"))
		var killQuery string
		switch {
		case db.Dialect() == dialect.Postgres:
			killQuery = "SELECT pg_terminate_backend(pg_backend_pid())"
		case db.Dialect().IsMySQLFamily():
			killQuery = "KILL CONNECTION_ID()"
		default:
			t.Skip("SQLite is embedded: there is no connection to break")
		}
		err := db.Atomic(ctx, func(tx *wren.Tx) error {
			is.NoErr(addUser(ctx, tx, "lost"))
			_, err := wren.Exec(ctx, tx, wren.RawStmt(killQuery)) // the server drops this connection
			if err == nil {
				err = addUser(ctx, tx, "after")
			}
			return err
		})
		is.True(err != nil)
		// The committed row survives; the transaction's rows do not.
		names, err := wren.All[string](ctx, db, wren.Select(U.Username).From(U))
		is.NoErr(err)
		is.Equal(names, []string{"committed"})
	})
}

func TestRowLocks(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *wren.DB) {
		is := is.New(t)
		ctx := ctxT(t)
		seed(t, db)
		q := wren.Select(U.ID).From(U).Where(U.ID.Eq(1))
		if db.Dialect() == dialect.SQLite {
			_, err := wren.All[int64](ctx, db, q.ForUpdate())
			is.True(errors.Is(err, wren.ErrUnsupported))
			return
		}
		holder, err := db.Begin(ctx)
		is.NoErr(err)
		defer holder.Rollback(ctx)
		ids, err := wren.All[int64](ctx, holder, q.ForUpdate())
		is.NoErr(err)
		is.Equal(ids, []int64{1})

		other, err := db.Begin(ctx)
		is.NoErr(err)
		defer other.Rollback(ctx)
		// NOWAIT fails at once on the locked row.
		_, err = wren.All[int64](ctx, other, q.ForUpdate().NoWait())
		is.True(err != nil)
		other.Rollback(ctx)

		other, err = db.Begin(ctx)
		is.NoErr(err)
		defer other.Rollback(ctx)
		// SKIP LOCKED passes over it.
		ids, err = wren.All[int64](ctx, other, wren.Select(U.ID).From(U).OrderBy(U.ID).ForUpdate().SkipLocked())
		is.NoErr(err)
		is.Equal(ids, []int64{2})
		// A shared lock waits for the holder, then gets the row.
		var wg sync.WaitGroup
		wg.Add(1)
		var shared []int64
		var sharedErr error
		go func() {
			defer wg.Done()
			shared, sharedErr = wren.All[int64](ctx, other, wren.Select(U.ID).From(U).Where(U.ID.Eq(1)).ForShare())
		}()
		time.Sleep(200 * time.Millisecond)
		is.NoErr(holder.Commit(ctx))
		wg.Wait()
		is.NoErr(sharedErr)
		is.Equal(shared, []int64{1})
	})
}
