package tests

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/matryer/is"

	"github.com/wrensql/wren"
)

// TestFaultSQLiteMemory opens ":memory:" SQLite with a pool of 10: every
// pooled connection must see the one database of that handle (tables made
// on one connection, rows written on others), a second handle opened on
// ":memory:" is another database, and 8 goroutines incrementing a counter
// through Atomic with MaxAttempts (reading it back in read-only
// transactions) all succeed, the counter exact.
func TestFaultSQLiteMemory(t *testing.T) {
	t.Parallel()
	is := is.New(t)
	ctx := ctxT(t)
	db, err := wren.Open(ctx, "sqlite", ":memory:")
	is.NoErr(err)
	defer db.Close()
	db.SetMaxOpenConns(10)
	other, err := wren.Open(ctx, "sqlite", ":memory:")
	is.NoErr(err)
	defer other.Close()

	is.NoErr(wren.CreateTables(ctx, db, Counters, Events))
	is.NoErr(wren.Create(ctx, db, Counters, &Counter{ID: 1}))
	_, err = wren.Count(ctx, other, wren.Select(Counters.ID).From(Counters))
	is.True(err != nil) // the other handle's database has no such table

	const goroutines, each = 8, 50
	var wg sync.WaitGroup
	var mu sync.Mutex
	var errs []error
	incFailed := 0
	attempts := map[int]int{}
	for g := range goroutines {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range each {
				n := 0
				err := db.Atomic(ctx, func(tx *wren.Tx) error {
					n++
					if _, err := wren.Exec(ctx, tx, wren.Update(Counters).
						Set(wren.SetExpr(Counters.N, Counters.N.Add(1))).Where(Counters.ID.Eq(1))); err != nil {
						return err
					}
					return wren.Create(ctx, tx, Events, &Event{Kind: eventCounter, Worker: int64(g)})
				}, wren.TxOptions{MaxAttempts: 50})
				mu.Lock()
				attempts[n]++
				if err != nil {
					incFailed++
					errs = append(errs, err)
				}
				mu.Unlock()
				if err == nil {
					err = db.Atomic(ctx, func(tx *wren.Tx) error {
						_, err := wren.Count(ctx, tx, wren.Select(Events.ID).From(Events))
						return err
					}, wren.TxOptions{ReadOnly: true, MaxAttempts: 50})
					if err != nil {
						mu.Lock()
						errs = append(errs, err)
						mu.Unlock()
					}
				}
			}
		}()
	}
	wg.Wait()
	t.Logf(":memory: with a pool of 10: %d increments, %d failed, %d failed calls in all; increments by attempts taken %v", goroutines*each, incFailed, len(errs), attempts)
	if len(errs) > 0 {
		t.Errorf("%d calls failed (%d of %d increments), the first: %v", len(errs), incFailed, goroutines*each, errors.Join(errs[:min(3, len(errs))]...))
	}
	n, err := wren.One[int64](ctx, db, wren.Select(Counters.N).From(Counters).Where(Counters.ID.Eq(1)))
	is.NoErr(err)
	is.Equal(n, int64(goroutines*each-incFailed))
	events, err := wren.Count(ctx, db, wren.Select(Events.ID).From(Events))
	is.NoErr(err)
	is.Equal(fmt.Sprint(events), fmt.Sprint(n))
}

// TestSQLiteMemoryPoolOfOne: the connection that keeps a ":memory:"
// database alive used to count against SetMaxOpenConns, so a pool of one
// had no connection left and the first query waited forever.
func TestSQLiteMemoryPoolOfOne(t *testing.T) {
	is := is.New(t)
	ctx, cancel := context.WithTimeout(ctxT(t), 5*time.Second)
	defer cancel()
	db, err := wren.Open(ctx, "sqlite", ":memory:")
	is.NoErr(err)
	defer db.Close()
	db.SetMaxOpenConns(1)
	is.NoErr(wren.CreateTables(ctx, db, Counters))
	is.NoErr(wren.Create(ctx, db, Counters, &Counter{ID: 1}))
	n, err := wren.Count(ctx, db, wren.Select(Counters.ID).From(Counters))
	is.NoErr(err)
	is.Equal(n, int64(1))
	is.Equal(db.SQLDB().Stats().MaxOpenConnections, 2) // the kept connection and one for queries
}
