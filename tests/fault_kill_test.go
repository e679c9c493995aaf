package tests

import (
	"context"
	"fmt"
	"math/rand/v2"
	"sort"
	"sync"
	"testing"
	"time"

	"github.com/matryer/is"

	"github.com/wrensql/wren"
	"github.com/wrensql/wren/dialect"
)

// killKinds are the transactions TestFaultKilledTransactions ends from
// another connection.
var killKinds = []string{
	"Create of a large batch on the pool (split into several INSERTs)",
	"Atomic with one multi-row and many single-row INSERTs",
	"Begin, a large Create inside the transaction (a savepoint), Commit",
}

// kindOf is the kind of transaction of a round: one in four is a large
// Create (on the pool, or inside a transaction), which costs the most.
func kindOf(round int) int {
	switch round % 8 {
	case 0:
		return 0
	case 4:
		return 2
	}
	return 1
}

// killOp is one transaction of TestFaultKilledTransactions.
type killOp struct {
	batch int64
	kind  int
	rows  []*FaultRow
	// statementOnly: the kill ends the statement running (pg_cancel_backend,
	// KILL QUERY), not the session; the transaction must still not be
	// committed in part.
	statementOnly bool
	acked         bool // the call returned nil: its rows must all be stored
	err           error
}

// TestFaultKilledTransactions ends the server session of transactions in
// the middle of their work, at random moments, from another connection
// (pg_terminate_backend, KILL CONNECTION; one time in four only the running
// statement: pg_cancel_backend, KILL QUERY), until at least minKilled of
// them have failed: some are Creates large enough to be split into several
// INSERTs. Every transaction writes one numbered batch. Afterwards: every
// batch whose call returned nil is stored whole, no batch is stored in part
// (a failed call may still have committed when the kill hit its COMMIT, but
// then whole), the rows another pool committed meanwhile are all there, and
// both pools answer at the first try with no connection left checked out:
// after every kill, the next transaction begins and runs at once.
func TestFaultKilledTransactions(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *wren.DB) {
		if db.Dialect() == dialect.SQLite {
			t.Skip("SQLite is embedded: there is no server session to end; TestFaultSQLiteKilledWriter kills a writer process instead")
		}
		is := is.New(t)
		// The work is bounded by rounds, not time; this deadline only
		// stops a test that hangs (-race on a loaded machine took 50 s).
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
		defer cancel()
		d := db.Dialect()
		is.NoErr(wren.CreateTables(ctx, db, FaultRows))
		victim := second(t, db, 1) // one connection: its id is the one the next call uses
		const minKilled, maxRounds = 50, 300
		per := d.MaxParams() / 16 // a batch larger than one INSERT of the full parameter limit holds (Create splits it further, at BulkParams)

		// Another pool commits single rows all along; nothing kills it.
		stop := make(chan struct{})
		var bgWG sync.WaitGroup
		var bgAcked []int64
		var bgErr error
		bgWG.Add(1)
		go func() {
			defer bgWG.Done()
			for k := int64(0); ; k++ {
				select {
				case <-stop:
					return
				default:
				}
				if err := wren.Create(ctx, db, FaultRows, faultBatch(1_000_000+k, 1)...); err != nil {
					bgErr = err
					return
				}
				bgAcked = append(bgAcked, k)
				time.Sleep(5 * time.Millisecond)
			}
		}()

		// run performs op; it calls started with the id of the connection
		// the transaction runs on once that is known.
		run := func(op *killOp, started func(id int64)) error {
			switch op.kind {
			case 0:
				id, err := connID(ctx, victim)
				if err != nil {
					return fmt.Errorf("connection id before Create: %w", err)
				}
				started(id)
				return wren.Create(ctx, victim, FaultRows, op.rows...)
			case 1:
				return victim.Atomic(ctx, func(tx *wren.Tx) error {
					id, err := connID(ctx, tx)
					if err != nil {
						return err
					}
					started(id)
					if err := wren.Create(ctx, tx, FaultRows, op.rows[:200]...); err != nil {
						return err
					}
					for _, r := range op.rows[200:] {
						if err := wren.Create(ctx, tx, FaultRows, r); err != nil {
							return err
						}
					}
					return nil
				})
			default:
				tx, err := victim.Begin(ctx)
				if err != nil {
					return err
				}
				defer tx.Rollback(ctx)
				id, err := connID(ctx, tx)
				if err != nil {
					return err
				}
				started(id)
				if err := wren.Create(ctx, tx, FaultRows, op.rows...); err != nil {
					return err
				}
				return tx.Commit(ctx)
			}
		}
		newOp := func(b int64, kind int) *killOp {
			n := 240
			if kind != 1 {
				n = per + 1 + rand.IntN(per/8) // several INSERTs (a COPY on PostgreSQL)
			}
			return &killOp{batch: b, kind: kind, rows: faultBatch(b, n)}
		}

		// Unkilled runs of each kind measure how long it takes (the faster
		// of two: the first run of a shape prepares its statements); kills
		// then land at a uniformly random moment inside that time, which
		// every acknowledged run moves towards its own duration.
		var ops []*killOp
		took := make([]time.Duration, len(killKinds))
		for range 2 {
			for k := range killKinds {
				op := newOp(int64(len(ops)), k)
				start := time.Now()
				op.err = run(op, func(int64) {})
				if d := time.Since(start); took[k] == 0 || d < took[k] {
					took[k] = d
				}
				is.NoErr(op.err)
				op.acked = true
				ops = append(ops, op)
			}
		}
		warm := len(ops)

		var killed, statementKilled, afterKillFailures int
		killedBy := make([]int, len(killKinds))
		errSamples := map[string]int{}
		for round := 0; round < maxRounds && killed < minKilled; round++ {
			op := newOp(int64(len(ops)), kindOf(round))
			op.statementOnly = round%4 == 3
			ops = append(ops, op)
			ids := make(chan int64, 1)
			done := make(chan struct{})
			var killWG sync.WaitGroup
			killWG.Add(1)
			start := time.Now()
			go func() {
				defer killWG.Done()
				select {
				case id := <-ids:
					// Between a twentieth and six tenths of an unkilled
					// run: after the work has started, well before it is
					// done even when the machine is slower than measured.
					delay := took[op.kind]/20 + time.Duration(rand.Int64N(int64(took[op.kind])*11/20+1))
					if wait := delay - time.Since(start); wait > 0 {
						time.Sleep(wait)
					}
					if err := killConn(context.WithoutCancel(ctx), d, id, op.statementOnly); err != nil {
						t.Errorf("kill %d: %v", id, err)
					}
				case <-done:
				}
			}()
			op.err = run(op, func(id int64) { ids <- id })
			close(done)
			killWG.Wait()
			op.acked = op.err == nil
			if op.acked {
				took[op.kind] = (took[op.kind] + time.Since(start)) / 2
			}
			if !op.acked {
				killed++
				killedBy[op.kind]++
				if op.statementOnly {
					statementKilled++
				}
				errSamples[fmt.Sprintf("%s (%s): %v", killKinds[op.kind], killMode(op.statementOnly), trimErr(op.err))]++
			}
			// The pool must hand out a working transaction at once, even
			// when the kill hit the connection idle in the pool after the
			// call returned: a Begin that finds its connection dead is
			// tried on another. (A statement outside a transaction is not:
			// on PostgreSQL it may have reached the server; see
			// docs/reliability.md.)
			if err := probe(ctx, victim); err != nil {
				afterKillFailures++
				if afterKillFailures <= 3 {
					t.Errorf("round %d: the first transaction after a kill (%s; the call returned %v) failed: %v", round, killMode(op.statementOnly), op.err, err)
				}
			}
		}
		close(stop)
		bgWG.Wait()
		is.NoErr(bgErr) // the other pool never failed
		t.Logf("%s: %d transactions, %d killed mid-way (per kind %v; %d of them by ending the statement only), %d first transactions after a kill failed; unkilled runs took %v",
			d, len(ops)-warm, killed, killedBy, statementKilled, afterKillFailures, took)
		for _, s := range sortedKeys(errSamples) {
			t.Logf("  %dx %s", errSamples[s], s)
		}
		if killed < minKilled {
			t.Errorf("only %d of %d transactions were killed mid-way (want >= %d)", killed, len(ops)-warm, minKilled)
		}
		if afterKillFailures > 0 {
			t.Errorf("%d times the first transaction on the pool after a kill failed", afterKillFailures)
		}

		// Nothing acknowledged is lost, nothing is half-written.
		counts, err := batchCounts(ctx, db)
		is.NoErr(err)
		var lost, half, committedAfterError int
		for _, op := range ops {
			got, want := counts[op.batch], int64(len(op.rows))
			delete(counts, op.batch)
			switch {
			case got != 0 && got != want:
				half++
				t.Errorf("batch %d (%s): %d of its %d rows stored; the call returned %v", op.batch, killKinds[op.kind], got, want, op.err)
			case op.acked && got == 0:
				lost++
				t.Errorf("batch %d (%s): acknowledged, but none of its %d rows is stored", op.batch, killKinds[op.kind], want)
			case !op.acked && got == want:
				committedAfterError++ // the kill hit COMMIT after the server had committed
			}
			if op.acked && op.kind != 1 && got == want {
				checkKeys(t, db, op)
			}
		}
		for _, k := range bgAcked {
			if counts[1_000_000+k] != 1 {
				lost++
				t.Errorf("row %d committed by the other pool is missing", k)
			}
			delete(counts, 1_000_000+k)
		}
		for b, n := range counts {
			if b >= 1_000_000 && n == 1 {
				continue // the other pool's last insert, stopped before its call returned
			}
			t.Errorf("batch %d: %d rows stored that no call wrote", b, n)
		}
		t.Logf("%s: %d batches lost, %d half-written, %d failed calls whose commit had gone through, %d rows committed by the other pool meanwhile",
			d, lost, half, committedAfterError, len(bgAcked))

		// Both pools work at the first try, and give every connection back.
		for _, h := range []*wren.DB{victim, db} {
			is.NoErr(h.Atomic(ctx, func(tx *wren.Tx) error {
				return wren.Create(ctx, tx, FaultRows, faultBatch(-1, 3)...)
			}))
			_, err := connID(ctx, h)
			is.NoErr(err)
			is.Equal(poolInUse(h), 0)
		}
		n, err := wren.Count(ctx, db, wren.Select(FaultRows.ID).From(FaultRows).Where(FaultRows.Batch.Eq(-1)))
		is.NoErr(err)
		is.Equal(n, int64(6))
	})
}

// probe begins a transaction on db and runs a statement in it.
func probe(ctx context.Context, db *wren.DB) error {
	return db.Atomic(ctx, func(tx *wren.Tx) error {
		_, err := connID(ctx, tx)
		return err
	})
}

// checkKeys compares the keys Create gave op's rows with the stored rows.
func checkKeys(t *testing.T, db *wren.DB, op *killOp) {
	t.Helper()
	got, err := wren.All[FaultRow](ctxT(t), db, wren.Select(FaultRows).From(FaultRows).
		Where(FaultRows.Batch.Eq(op.batch)).OrderBy(FaultRows.Seq))
	if err != nil {
		t.Fatal(err)
	}
	for i, r := range op.rows {
		if i >= len(got) || *r != got[i] {
			t.Errorf("batch %d: row %d was given key %d, stored as %+v", op.batch, i, r.ID, got[min(i, len(got)-1)])
			return
		}
	}
}

// trimErr shortens an error's text for a log line.
func trimErr(err error) string {
	s := err.Error()
	if len(s) > 160 {
		s = s[:160] + "…"
	}
	return s
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

func killMode(statementOnly bool) string {
	if statementOnly {
		return "statement ended"
	}
	return "session ended"
}
