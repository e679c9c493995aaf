package tests

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"maps"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/matryer/is"

	"github.com/wrensql/wren"
)

// writerEnv names the SQLite file TestFaultSQLiteWriterChild writes to; the
// test binary re-run with it set is the writer process.
const writerEnv = "WREN_FAULT_SQLITE_WRITER"

// writerBatch is how many rows one of the writer's transactions adds: five
// single-row INSERTs, then one INSERT of the rest.
const writerBatch = 25

// TestFaultSQLiteWriterChild is the writer process of
// TestFaultSQLiteKilledWriter, which starts it; run directly it skips. It
// commits numbered batches in a loop, from the number in
// WREN_FAULT_SQLITE_WRITER_START on, and prints "ACK n" once batch n's
// commit has returned.
func TestFaultSQLiteWriterChild(t *testing.T) {
	path := os.Getenv(writerEnv)
	if path == "" {
		t.Skip("the writer process of TestFaultSQLiteKilledWriter: it runs only when that test starts it")
	}
	n, err := strconv.ParseInt(os.Getenv(writerEnv+"_START"), 10, 64)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	db, err := wren.Open(ctx, "sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	// A parent that died leaves no writer running for long.
	for stop := time.Now().Add(time.Minute); time.Now().Before(stop); n++ {
		rows := faultBatch(n, writerBatch)
		err := db.Atomic(ctx, func(tx *wren.Tx) error {
			for _, r := range rows[:5] {
				if err := wren.Create(ctx, tx, FaultRows, r); err != nil {
					return err
				}
			}
			return wren.Create(ctx, tx, FaultRows, rows[5:]...)
		})
		if err != nil {
			t.Fatalf("batch %d: %v", n, err)
		}
		if _, err := fmt.Fprintf(os.Stdout, "ACK %d\n", n); err != nil {
			return // the parent is gone
		}
	}
}

// TestFaultSQLiteKilledWriter kills a process that writes to a SQLite file
// with SIGKILL at a random moment, twenty times over, each time while it
// commits batches of rows in transactions and acknowledges each committed
// batch on its standard output. After each kill the file opens, every
// acknowledged batch is there whole, no batch is there in part, and PRAGMA
// integrity_check says ok; a reader open in this process all along never
// sees a batch in part, while the writer writes or after it was killed.
func TestFaultSQLiteKilledWriter(t *testing.T) {
	t.Parallel()
	is := is.New(t)
	ctx := ctxT(t)
	path := filepath.Join(t.TempDir(), "killed.db")
	db, err := wren.Open(ctx, "sqlite", path)
	is.NoErr(err)
	is.NoErr(wren.CreateTables(ctx, db, FaultRows))
	is.NoErr(db.Close())
	// A reader in this process, open all along: while the writer runs it
	// must never see a batch in part.
	reader, err := wren.Open(ctx, "sqlite", path)
	is.NoErr(err)
	defer reader.Close()
	var reads, partialReads int

	const kills = 20
	var next int64
	var acked, hot, unackedCommitted int
	var waited []time.Duration
	for round := range kills {
		cmd := exec.Command(os.Args[0], "-test.run=^TestFaultSQLiteWriterChild$")
		cmd.Env = append(os.Environ(), writerEnv+"="+path, fmt.Sprintf("%s_START=%d", writerEnv, next))
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		out, err := cmd.StdoutPipe()
		is.NoErr(err)
		is.NoErr(cmd.Start())
		acks := make(chan int64, 1024)
		go func() {
			defer close(acks)
			sc := bufio.NewScanner(out)
			for sc.Scan() {
				if s, ok := strings.CutPrefix(sc.Text(), "ACK "); ok {
					if n, err := strconv.ParseInt(s, 10, 64); err == nil {
						acks <- n
					}
				}
			}
		}()
		// Kill at a random moment once the writer is writing.
		var got []int64
		select {
		case n, ok := <-acks:
			if !ok {
				cmd.Wait()
				t.Fatalf("round %d: the writer ended before its first commit: %s", round, stderr.String())
			}
			got = append(got, n)
		case <-time.After(60 * time.Second):
			cmd.Process.Kill()
			cmd.Wait()
			t.Fatalf("round %d: no commit from the writer within 60 s: %s", round, stderr.String())
		}
		wait := time.Duration(rand.Int64N(int64(300 * time.Millisecond)))
		waited = append(waited, wait)
		for until := time.Now().Add(wait); time.Now().Before(until); time.Sleep(10 * time.Millisecond) {
			counts, err := batchCounts(ctx, reader)
			if err != nil {
				t.Errorf("round %d: reading while the writer writes: %v", round, err)
				break
			}
			reads++
			for b, c := range counts {
				if c != writerBatch {
					partialReads++
					t.Errorf("round %d: a reader saw batch %d in part: %d of %d rows", round, b, c, writerBatch)
				}
			}
		}
		is.NoErr(cmd.Process.Kill()) // SIGKILL
		cmd.Wait()
		for n := range acks {
			got = append(got, n)
		}
		if fi, err := os.Stat(path + "-journal"); err == nil && fi.Size() > 0 {
			hot++ // killed inside a write transaction (rollback-journal mode)
		}

		db, err := wren.Open(ctx, "sqlite", path)
		is.NoErr(err)
		counts, err := batchCounts(ctx, db)
		is.NoErr(err)
		seen, err := batchCounts(ctx, reader) // the handle open across the kill
		is.NoErr(err)
		if !maps.Equal(seen, counts) {
			t.Errorf("round %d: the reader open across the kill sees %d batches, a new handle %d", round, len(seen), len(counts))
		}
		for _, n := range got {
			if counts[n] != writerBatch {
				t.Errorf("round %d: batch %d was acknowledged, %d of its %d rows are stored", round, n, counts[n], writerBatch)
			}
		}
		isAcked := map[int64]bool{}
		for _, n := range got {
			isAcked[n] = true
		}
		for b, c := range counts {
			if c != writerBatch {
				t.Errorf("round %d: batch %d is stored in part: %d of %d rows", round, b, c, writerBatch)
			}
			if b >= next && !isAcked[b] {
				unackedCommitted++ // committed, killed before it said so
			}
			next = max(next, b+1)
		}
		ic, err := wren.One[string](ctx, db, wren.RawStmt("PRAGMA integrity_check"))
		is.NoErr(err)
		is.Equal(ic, "ok")
		is.NoErr(db.Close())
		acked += len(got)
	}
	t.Logf("%d kills after %v: %d batches acknowledged, all stored; %d committed but killed before acknowledging; %d kills left a hot journal (inside a write transaction); %d batches in the file; %d reads during the writes, %d saw a batch in part",
		kills, waited, acked, unackedCommitted, hot, next, reads, partialReads)
}
