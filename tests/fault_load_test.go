package tests

import (
	"context"
	"database/sql"
	"fmt"
	"math/rand/v2"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/matryer/is"

	"github.com/wrensql/wren"
	"github.com/wrensql/wren/dialect"
)

// AccountTable holds the balances TestFaultLoad moves between accounts.
type AccountTable struct {
	wren.Table
	ID      wren.Column[int64] `wren:",pk,noauto"`
	Balance wren.Column[int64]
}

// Account is a row of Accounts.
type Account struct {
	ID      int64
	Balance int64
}

// CounterTable holds the counter TestFaultLoad increments.
type CounterTable struct {
	wren.Table
	ID wren.Column[int64] `wren:",pk,noauto"`
	N  wren.Column[int64]
}

// Counter is a row of Counters.
type Counter struct {
	ID int64
	N  int64
}

// EventTable records TestFaultLoad's writes, one row each.
type EventTable struct {
	wren.Table
	ID     wren.Column[int64] `wren:",pk"`
	Kind   wren.Column[int64]
	Worker wren.Column[int64]
}

// Event is a row of Events.
type Event struct {
	ID     int64
	Kind   int64
	Worker int64
}

// The tables of TestFaultLoad.
var (
	Accounts = wren.NewTable[AccountTable]("fault_accounts")
	Counters = wren.NewTable[CounterTable]("fault_counters")
	Events   = wren.NewTable[EventTable]("fault_events")
)

const (
	eventWrite   = 1 // a plain INSERT, outside any transaction
	eventCounter = 2 // written with the counter's increment, in its transaction
)

// loadTally is what one worker of TestFaultLoad did; workers merge theirs
// at the end, so they share nothing while they run.
type loadTally struct {
	reads, writes, increments, transfers, noFunds int
	atomics                                       int         // Atomic calls
	attempts                                      map[int]int // Atomic calls by attempts they took
	failures                                      map[string]int
	sumMismatch                                   int
	plainRetries                                  int // statements outside transactions run again
}

func (a *loadTally) add(b *loadTally) {
	a.reads += b.reads
	a.writes += b.writes
	a.increments += b.increments
	a.transfers += b.transfers
	a.noFunds += b.noFunds
	a.atomics += b.atomics
	a.sumMismatch += b.sumMismatch
	a.plainRetries += b.plainRetries
	for k, v := range b.attempts {
		a.attempts[k] += v
	}
	for k, v := range b.failures {
		a.failures[k] += v
	}
}

func (a *loadTally) fail(what string, err error) {
	msg := err.Error()
	if i := strings.IndexByte(msg, '\n'); i >= 0 {
		msg = msg[:i]
	}
	if len(msg) > 140 {
		msg = msg[:140] + "…"
	}
	a.failures[what+": "+msg]++
}

// TestFaultLoad runs 1,000 goroutines on a pool of 10 connections for a
// bounded time: reads (one balance; the sum of all balances, which must
// always be the total, alone or twice in a read-only transaction), plain writes, counter increments in a transaction
// with an event row, and bank transfers that read two balances and write
// both — half of them in SERIALIZABLE transactions with plain reads (they
// conflict and are retried), half with FOR UPDATE in random order (they
// deadlock and are retried; SQLite, which has no row locks, relies on its
// write transactions taking the lock up front). Every transaction goes
// through Atomic with MaxAttempts; a statement outside a transaction is run
// again when IsRetryable says so. Afterwards: no call failed, the balances
// add up to the total and none is negative, the counter equals the
// increments acknowledged and the rows written with them, the plain writes
// are all there, the pool never held more than 10 connections and has all
// of them back. Run it under -race.
func TestFaultLoad(t *testing.T) {
	t.Parallel()
	for _, name := range []string{"sqlite", "postgres", "mysql"} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			faultLoad(t, openSized(t, name, 10))
		})
	}
}

func faultLoad(t *testing.T, db *wren.DB) {
	is := is.New(t)
	ctx := ctxT(t)
	d := db.Dialect()
	const (
		workers, accounts, opening = 1000, 50, 1000
		total                      = accounts * opening
		runFor                     = 5 * time.Second
		maxAttempts                = 50
	)
	is.NoErr(wren.CreateTables(ctx, db, Accounts, Counters, Events))
	var accs []*Account
	for i := range accounts {
		accs = append(accs, &Account{ID: int64(i + 1), Balance: opening})
	}
	is.NoErr(wren.Create(ctx, db, Accounts, accs...))
	is.NoErr(wren.Create(ctx, db, Counters, &Counter{ID: 1, N: 0}))

	// Nothing may take longer than this; a stuck pool fails the test
	// instead of hanging it.
	loadCtx, cancel := context.WithTimeout(ctx, runFor+60*time.Second)
	defer cancel()
	stopAt := time.Now().Add(runFor)

	// The pool's size, sampled while the load runs.
	var maxOpen int
	sampleDone := make(chan struct{})
	var sampleWG sync.WaitGroup
	sampleWG.Add(1)
	go func() {
		defer sampleWG.Done()
		tick := time.NewTicker(5 * time.Millisecond)
		defer tick.Stop()
		for {
			select {
			case <-sampleDone:
				return
			case <-tick.C:
				maxOpen = max(maxOpen, poolOpen(db))
			}
		}
	}()

	balanceOf := func(tx *wren.Tx, id int64, lock bool) (int64, error) {
		q := wren.Select(Accounts.Balance).From(Accounts).Where(Accounts.ID.Eq(id))
		if lock && d.RowLocks() {
			q = q.ForUpdate()
		}
		return wren.One[int64](loadCtx, tx, q)
	}
	setBalance := func(tx *wren.Tx, id, v int64) error {
		_, err := wren.Exec(loadCtx, tx, wren.Update(Accounts).Set(wren.Set(Accounts.Balance, v)).Where(Accounts.ID.Eq(id)))
		return err
	}
	sumQuery := wren.Select(wren.Sum(Accounts.Balance)).From(Accounts)

	var mu sync.Mutex
	all := &loadTally{attempts: map[int]int{}, failures: map[string]int{}}
	var wg sync.WaitGroup
	start := time.Now()
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			my := &loadTally{attempts: map[int]int{}, failures: map[string]int{}}
			defer func() {
				mu.Lock()
				all.add(my)
				mu.Unlock()
			}()
			rng := rand.New(rand.NewPCG(uint64(w), 42))
			atomic := func(what string, fn func(tx *wren.Tx) error, opts wren.TxOptions) bool {
				attempts := 0
				opts.MaxAttempts = maxAttempts
				err := db.Atomic(loadCtx, func(tx *wren.Tx) error {
					attempts++
					return fn(tx)
				}, opts)
				my.atomics++
				my.attempts[attempts]++
				if err != nil {
					my.fail(what, err)
					return false
				}
				return true
			}
			// plain runs one statement outside a transaction, again while
			// it fails with an error IsRetryable says is worth another try
			// (SQLite's busy timeout can run out while ten connections
			// queue for its one write lock): the statement did not run.
			plain := func(fn func() error) error {
				for a := 1; ; a++ {
					err := fn()
					if err == nil || a == maxAttempts || !wren.IsRetryable(err) {
						return err
					}
					my.plainRetries++
					time.Sleep(time.Duration(rng.Int64N(int64(10 * time.Millisecond))))
				}
			}
			for time.Now().Before(stopAt) && loadCtx.Err() == nil {
				switch p := rng.IntN(100); {
				case p < 15: // read one balance
					id := 1 + rng.Int64N(accounts)
					if err := plain(func() error {
						_, err := wren.One[int64](loadCtx, db, wren.Select(Accounts.Balance).From(Accounts).Where(Accounts.ID.Eq(id)))
						return err
					}); err != nil {
						my.fail("read a balance", err)
						continue
					}
					my.reads++
				case p < 23: // read the sum: one statement sees one state
					var sum int64
					if err := plain(func() (err error) {
						sum, err = wren.One[int64](loadCtx, db, sumQuery)
						return err
					}); err != nil {
						my.fail("read the sum", err)
						continue
					}
					my.reads++
					if sum != total {
						my.sumMismatch++
					}
				case p < 30: // read the sum twice in a read-only transaction
					var sums [2]int64
					if atomic("read-only transaction", func(tx *wren.Tx) error {
						for i := range sums {
							var err error
							if sums[i], err = wren.One[int64](loadCtx, tx, sumQuery); err != nil {
								return err
							}
						}
						return nil
					}, wren.TxOptions{ReadOnly: true}) {
						my.reads++
						if sums[0] != total || sums[1] != total {
							my.sumMismatch++
						}
					}
				case p < 50: // a plain write
					if err := plain(func() error {
						return wren.Create(loadCtx, db, Events, &Event{Kind: eventWrite, Worker: int64(w)})
					}); err != nil {
						my.fail("plain write", err)
						continue
					}
					my.writes++
				case p < 70: // increment the counter and record it
					if atomic("increment", func(tx *wren.Tx) error {
						if _, err := wren.Exec(loadCtx, tx, wren.Update(Counters).
							Set(wren.SetExpr(Counters.N, Counters.N.Add(1))).Where(Counters.ID.Eq(1))); err != nil {
							return err
						}
						return wren.Create(loadCtx, tx, Events, &Event{Kind: eventCounter, Worker: int64(w)})
					}, wren.TxOptions{}) {
						my.increments++
					}
				default: // transfer: read two balances, write both
					from := 1 + rng.Int64N(accounts)
					to := 1 + rng.Int64N(accounts-1)
					if to >= from {
						to++
					}
					amount := 1 + rng.Int64N(100)
					lock := p%2 == 0
					opts := wren.TxOptions{}
					what := "transfer with FOR UPDATE"
					if !lock {
						opts.Isolation = sql.LevelSerializable
						what = "serializable transfer"
					}
					funds := true
					if atomic(what, func(tx *wren.Tx) error {
						a, err := balanceOf(tx, from, lock)
						if err != nil {
							return err
						}
						b, err := balanceOf(tx, to, lock)
						if err != nil {
							return err
						}
						if funds = a >= amount; !funds {
							return nil
						}
						if err := setBalance(tx, from, a-amount); err != nil {
							return err
						}
						return setBalance(tx, to, b+amount)
					}, opts) {
						if funds {
							my.transfers++
						} else {
							my.noFunds++
						}
					}
				}
			}
		}()
	}
	wg.Wait()
	elapsed := time.Since(start)
	close(sampleDone)
	sampleWG.Wait()

	// Figures.
	var failed int
	for _, n := range all.failures {
		failed += n
	}
	retried, maxAtt := 0, 0
	for k, v := range all.attempts {
		if k > 1 {
			retried += v
		}
		maxAtt = max(maxAtt, k)
	}
	var hist []string
	for _, k := range sortedInts(all.attempts) {
		hist = append(hist, fmt.Sprintf("%d:%d", k, all.attempts[k]))
	}
	ops := all.reads + all.writes + all.atomics
	t.Logf("%s: %d workers, pool of 10, %v: %d calls (%.0f/s): %d reads, %d writes, %d increments, %d transfers (+%d refused for funds); %d failed",
		d, workers, elapsed.Round(time.Millisecond), ops, float64(ops)/elapsed.Seconds(), all.reads, all.writes, all.increments, all.transfers, all.noFunds, failed)
	t.Logf("%s: Atomic calls by attempts taken {attempts:calls} %v; %d of %d retried, at most %d attempts; %d statements outside transactions run again; pool held at most %d connections",
		d, strings.Join(hist, " "), retried, all.atomics, maxAtt, all.plainRetries, maxOpen)
	for _, s := range sortedKeys(all.failures) {
		t.Logf("  %dx %s", all.failures[s], s)
	}

	// Assertions.
	if failed > 0 {
		t.Errorf("%d calls failed (want none with MaxAttempts %d)", failed, maxAttempts)
	}
	if all.sumMismatch > 0 {
		t.Errorf("%d reads of the sum of balances saw another total than %d", all.sumMismatch, total)
	}
	if maxOpen > 10 {
		t.Errorf("the pool held %d connections, more than its 10", maxOpen)
	}
	is.True(poolReturns(db, 5*time.Second)) // no connection leaked
	is.True(all.transfers > 0 && all.increments > 0 && all.writes > 0 && all.reads > 0)

	final, err := wren.All[Account](ctx, db, wren.Select(Accounts).From(Accounts))
	is.NoErr(err)
	var sum int64
	for _, a := range final {
		sum += a.Balance
		if a.Balance < 0 {
			t.Errorf("account %d has a negative balance %d", a.ID, a.Balance)
		}
	}
	is.Equal(len(final), accounts)
	is.Equal(sum, int64(total)) // money is neither made nor lost
	c, err := wren.One[int64](ctx, db, wren.Select(Counters.N).From(Counters).Where(Counters.ID.Eq(1)))
	is.NoErr(err)
	is.Equal(c, int64(all.increments)) // the counter is exactly the acknowledged increments
	type kn struct {
		Kind int64
		N    int64
	}
	kinds, err := wren.All[kn](ctx, db, wren.Select(Events.Kind, wren.CountAll().As("n")).From(Events).GroupBy(Events.Kind))
	is.NoErr(err)
	got := map[int64]int64{}
	for _, k := range kinds {
		got[k.Kind] = k.N
	}
	is.Equal(got[eventCounter], int64(all.increments)) // rows written with the increments
	is.Equal(got[eventWrite], int64(all.writes))       // every acknowledged plain write
	if d == dialect.SQLite {
		var ic string
		ic, err = wren.One[string](ctx, db, wren.RawStmt("PRAGMA integrity_check"))
		is.NoErr(err)
		is.Equal(ic, "ok")
	}
}

func sortedInts[V any](m map[int]V) []int {
	keys := make([]int, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Ints(keys)
	return keys
}
