package wren

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgproto3"
)

// TestDirectBatchAsPgx: a Batch on a pool made by Open runs on wren's own
// prepared statements (one pipeline, one Sync); every statement's result
// and error, Run's error, and what the batch leaves in the table are
// those of the same batch through pgx's batch (a pool with an
// AfterConnect hook): values, no row, a statement the server cannot
// prepare, one that fails after some rows, a write that fails (the
// statements after a failure fail with it, and the whole batch is one
// implicit transaction; an exec after a failed query fails too, where
// pgx's batch alone would report it done), and an argument wren does not
// encode.
func TestDirectBatchAsPgx(t *testing.T) {
	wire, plain := wireDBs(t)
	ctx := context.Background()
	// Each pool writes to a table of its own; summaries name it TBL.
	base := fmt.Sprintf("direct_batch_%d", time.Now().UnixNano())
	tables := []string{base + "_w", base + "_p"}
	for _, tbl := range tables {
		if _, err := Exec(ctx, wire, RawStmt(`CREATE TABLE `+tbl+` (id int8 PRIMARY KEY, a text)`)); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { Exec(context.Background(), wire, RawStmt(`DROP TABLE `+tbl)) })
	}
	type texts struct{ ins, sel, count string }
	textsFor := func(tbl string) texts {
		return texts{`INSERT INTO ` + tbl + ` VALUES (?, ?)`, `SELECT a FROM ` + tbl + ` WHERE id >= ? ORDER BY id`, `SELECT count(*) FROM ` + tbl}
	}
	// Each case queues its statements on b; the summary lists each
	// statement's result and error.
	type queued func() string
	cases := []struct {
		name  string
		queue func(b *Batch, x texts, key int64) []queued
	}{
		{"values", func(b *Batch, x texts, key int64) []queued {
			w := QueueExec(b, RawStmt(x.ins, key, "v"))
			r := QueueAll[string](b, RawStmt(x.sel, key))
			n := QueueOne[int64](b, RawStmt(x.count))
			none := QueueOne[string](b, RawStmt(x.sel, key+1000))
			return []queued{res(w), res(r), res(n), res(none)}
		}},
		{"not prepared", func(b *Batch, x texts, key int64) []queued {
			w := QueueExec(b, RawStmt(x.ins, key, "lost"))
			bad := QueueAll[int64](b, RawStmt(`SELEC ?::int8`, key))
			n := QueueOne[int64](b, RawStmt(x.count))
			return []queued{res(w), res(bad), res(n)}
		}},
		{"fails after rows", func(b *Batch, x texts, key int64) []queued {
			w := QueueExec(b, RawStmt(x.ins, key, "lost"))
			bad := QueueAll[int64](b, RawStmt(`SELECT 10 / (5 - i) AS v FROM generate_series(1, ?::int8) AS i`, int64(7)))
			n := QueueOne[int64](b, RawStmt(x.count))
			return []queued{res(w), res(bad), res(n)}
		}},
		{"exec after failed rows", func(b *Batch, x texts, key int64) []queued {
			bad := QueueAll[int64](b, RawStmt(`SELECT 10 / (5 - i) AS v FROM generate_series(1, ?::int8) AS i`, int64(7)))
			w := QueueExec(b, RawStmt(x.ins, key, "skipped"))
			return []queued{res(bad), res(w)}
		}},
		{"a write queued as a query", func(b *Batch, x texts, key int64) []queued {
			w := QueueAll[int64](b, RawStmt(x.ins, key, "written"))
			n := QueueOne[int64](b, RawStmt(x.count))
			return []queued{res(w), res(n)}
		}},
		{"write fails", func(b *Batch, x texts, key int64) []queued {
			w := QueueExec(b, RawStmt(x.ins, key, "lost"))
			dup := QueueExec(b, RawStmt(x.ins, key, "again"))
			r := QueueAll[string](b, RawStmt(x.sel, key))
			return []queued{res(w), res(dup), res(r)}
		}},
		{"left to pgx", func(b *Batch, x texts, key int64) []queued {
			k := key
			w := QueueExec(b, RawStmt(x.ins, &k, "pointer"))
			r := QueueAll[string](b, RawStmt(x.sel, key))
			return []queued{res(w), res(r)}
		}},
	}
	for i, c := range cases {
		var got [2]string
		for j, db := range []*DB{wire, plain} {
			b := NewBatch()
			qs := c.queue(b, textsFor(tables[j]), int64(i+1))
			err := b.Run(ctx, db)
			var sum []string
			for _, q := range qs {
				sum = append(sum, q())
			}
			got[j] = strings.ReplaceAll(fmt.Sprintf("run: %v\n%s", err, strings.Join(sum, "\n")), tables[j], "TBL")
			if testing.Verbose() {
				t.Logf("%s:\n%s", c.name, got[j])
			}
		}
		if got[0] != got[1] {
			t.Fatalf("%s:\nwren:\n%s\npgx:\n%s", c.name, got[0], got[1])
		}
	}
	w, p := textsFor(tables[0]), textsFor(tables[1])
	for k, text := range []string{w.ins, w.sel, w.count} {
		if !directHas(t, wire, text) {
			t.Fatalf("%s did not run directly", text)
		}
		if other := []string{p.ins, p.sel, p.count}[k]; directHas(t, plain, other) {
			t.Fatalf("a pool with AfterConnect ran %s directly", other)
		}
	}
	// Nothing of the failed batches stayed: the table holds the rows of
	// "values", "a write queued as a query" (it ran; reading it failed, as
	// All's reading of it would) and "left to pgx" only.
	n, err := One[int64](ctx, wire, RawStmt(w.count))
	if err != nil || n != 3 {
		t.Fatalf("%d rows, %v", n, err)
	}
	// The connections are usable after the failures.
	b := NewBatch()
	one := QueueOne[int64](b, RawStmt(`SELECT ?::int8 + 1`, int64(1)))
	if err := b.Run(ctx, wire); err != nil || one.Value() != 2 {
		t.Fatalf("after the failures: %d %v", one.Value(), err)
	}
}

// res summarises a Pending's result and error.
func res[T any](p *Pending[T]) func() string {
	return func() string {
		v, err := p.Result()
		return fmt.Sprintf("%v | %v", v, err)
	}
}

// TestDirectBatchRecovers: a batch statement wren prepared that no longer
// fits its table fails once, as a single statement does, and is prepared
// again for the next batch; in a transaction, the batch runs on the
// transaction's connection and sees its writes.
func TestDirectBatchRecovers(t *testing.T) {
	db := onePGConn(t)
	ctx := context.Background()
	tbl := fmt.Sprintf("direct_batch_rec_%d", time.Now().UnixNano())
	for _, text := range []string{`CREATE TABLE ` + tbl + ` (id int8 PRIMARY KEY, a text)`, `INSERT INTO ` + tbl + ` VALUES (1, 'x')`} {
		if _, err := Exec(ctx, db, RawStmt(text)); err != nil {
			t.Fatal(err)
		}
	}
	t.Cleanup(func() { Exec(context.Background(), db, RawStmt(`DROP TABLE `+tbl)) })
	sel := `SELECT a FROM ` + tbl + ` WHERE id = ?`
	read := func() (string, error) {
		b := NewBatch()
		p := QueueOne[string](b, RawStmt(sel, int64(1)))
		err := b.Run(ctx, db)
		return p.Value(), err
	}
	if a, err := read(); err != nil || a != "x" {
		t.Fatalf("%q, %v", a, err)
	}
	if !directHas(t, db, sel) {
		t.Fatal("the batch did not run directly")
	}
	// Another result type: the prepared statement no longer fits.
	if _, err := Exec(ctx, db, RawStmt(`ALTER TABLE `+tbl+` ALTER COLUMN a TYPE varchar(10)`)); err != nil {
		t.Fatal(err)
	}
	a, err := read()
	if err != nil {
		if !strings.Contains(err.Error(), "cached plan must not change result type") {
			t.Fatalf("first read after ALTER: %v", err)
		}
		a, err = read()
	}
	if err != nil || a != "x" {
		t.Fatalf("%q, %v", a, err)
	}

	err = db.Atomic(ctx, func(tx *Tx) error {
		if _, err := Exec(ctx, tx, RawStmt(`INSERT INTO `+tbl+` (id, a) VALUES (?, ?)`, int64(2), "y")); err != nil {
			return err
		}
		b := NewBatch()
		p := QueueAll[string](b, RawStmt(`SELECT a FROM `+tbl+` WHERE id >= ? ORDER BY id`, int64(1)))
		if err := b.Run(ctx, tx); err != nil {
			return err
		}
		if got := fmt.Sprint(p.Value()); got != "[x y]" {
			return fmt.Errorf("in the transaction: %s", got)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// TestDirectBatchCancelled: a batch whose context ends while the server
// runs it returns promptly with the context's error in every statement,
// and the pool (of one connection) runs the next batch at once.
func TestDirectBatchCancelled(t *testing.T) {
	db := onePGConn(t)
	ctx := context.Background()
	c, cancel := context.WithTimeout(ctx, 150*time.Millisecond)
	defer cancel()
	b := NewBatch()
	slow := QueueOne[int64](b, RawStmt(`SELECT 1 FROM pg_sleep(?::float8)`, 5.0))
	n := QueueOne[int64](b, RawStmt(`SELECT ?::int8 + 1`, int64(1)))
	start := time.Now()
	err := b.Run(c, db)
	if took := time.Since(start); took > 3*time.Second {
		t.Fatalf("Run returned after %v", took)
	}
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("Run: %v", err)
	}
	for i, err := range []error{pendingErr(slow), pendingErr(n)} {
		if !errors.Is(err, context.DeadlineExceeded) {
			t.Fatalf("statement %d: %v", i+1, err)
		}
	}
	b = NewBatch()
	again := QueueOne[int64](b, RawStmt(`SELECT ?::int8 + 1`, int64(41)))
	c2, cancel2 := context.WithTimeout(ctx, 3*time.Second)
	defer cancel2()
	if err := b.Run(c2, db); err != nil || again.Value() != 42 {
		t.Fatalf("the next batch: %d %v", again.Value(), err)
	}
}

// pendingErr is p's error.
func pendingErr[T any](p *Pending[T]) error {
	_, err := p.Result()
	return err
}

// TestDirectBatchPreparesInOneTrip: the texts of a batch new to the
// connection are prepared together, then run together: two round trips
// (two Syncs), as pgx's batch takes; the next run of the batch takes one.
// A text the server refuses fails the batch, and none of that trip's
// statements is kept.
func TestDirectBatchPreparesInOneTrip(t *testing.T) {
	db := onePGConn(t)
	ctx := context.Background()
	var trace strings.Builder
	setTrace := func(on bool) {
		t.Helper()
		c, err := db.Pool().Acquire(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if on {
			c.Conn().PgConn().Frontend().Trace(&trace, pgproto3.TracerOptions{SuppressTimestamps: true})
		} else {
			c.Conn().PgConn().Frontend().Untrace()
		}
		c.Release()
	}
	syncs := func() int {
		n := strings.Count(trace.String(), "F\tSync")
		trace.Reset()
		return n
	}
	texts := []string{`SELECT ?::int8 + 1`, `SELECT ?::int8 + 2`, `SELECT ?::int8 + 3`}
	run := func(extra ...string) (string, error) {
		b := NewBatch()
		var ps []*Pending[int64]
		for _, text := range append(texts, extra...) {
			ps = append(ps, QueueOne[int64](b, RawStmt(text, int64(10))))
		}
		err := b.Run(ctx, db)
		var got []string
		for _, p := range ps {
			got = append(got, fmt.Sprint(p.Value()))
		}
		return strings.Join(got, " "), err
	}
	setTrace(true)
	defer setTrace(false)
	if got, err := run(); err != nil || got != "11 12 13" {
		t.Fatalf("%s %v", got, err)
	}
	if n := syncs(); n != 2 {
		t.Fatalf("first run: %d Syncs, want 2", n)
	}
	if got, err := run(); err != nil || got != "11 12 13" {
		t.Fatalf("%s %v", got, err)
	}
	if n := syncs(); n != 1 {
		t.Fatalf("second run: %d Syncs, want 1", n)
	}
	// Two new texts, one of them refused.
	if _, err := run(`SELECT ?::int8 + 4`, `SELEC ?::int8`); err == nil || !strings.Contains(err.Error(), "syntax error") {
		t.Fatalf("a text the server refuses: %v", err)
	}
	syncs()
	if directHas(t, db, `SELECT ?::int8 + 4`) {
		t.Fatal("a statement of the failed trip was kept")
	}
	if got, err := run(`SELECT ?::int8 + 4`); err != nil || got != "11 12 13 14" {
		t.Fatalf("after the failure: %s %v", got, err)
	}
}

// recordHook records the events a hook is given.
type recordHook struct{ events []string }

func (h *recordHook) BeforeQuery(ctx context.Context, e *QueryEvent) context.Context {
	return context.WithValue(ctx, recordKey{}, e.SQL)
}

func (h *recordHook) AfterQuery(ctx context.Context, e *QueryEvent) {
	ok := ctx.Value(recordKey{}) == e.SQL // the context BeforeQuery returned
	h.events = append(h.events, fmt.Sprintf("%s %s rows=%d err=%v ctx=%v", e.Op, e.SQL, e.Rows, e.Err != nil, ok))
}

type recordKey struct{}

// TestDirectBatchHooked: with a Hook, a batch still goes in one round trip
// (it used to run statement by statement), and every statement is
// reported once, as it would be alone: its rows or rows affected, its
// error, and the context BeforeQuery returned.
func TestDirectBatchHooked(t *testing.T) {
	db := onePGConn(t)
	h := &recordHook{}
	db.SetHook(h)
	ctx := context.Background()
	tbl := fmt.Sprintf("direct_batch_hook_%d", time.Now().UnixNano())
	if _, err := Exec(ctx, db, RawStmt(`CREATE TABLE `+tbl+` (id int8 PRIMARY KEY)`)); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { Exec(context.Background(), db, RawStmt(`DROP TABLE `+tbl)) })
	var trace strings.Builder
	c, err := db.Pool().Acquire(ctx)
	if err != nil {
		t.Fatal(err)
	}
	c.Conn().PgConn().Frontend().Trace(&trace, pgproto3.TracerOptions{SuppressTimestamps: true})
	c.Release()
	run := func(ins, sel string) error {
		h.events = nil
		trace.Reset()
		b := NewBatch()
		QueueExec(b, RawStmt(ins, int64(1), int64(1)))
		QueueAll[int64](b, RawStmt(sel, int64(0)))
		return b.Run(ctx, db)
	}
	ins := `INSERT INTO ` + tbl + ` VALUES (?), (? + 1)`
	sel := `SELECT id FROM ` + tbl + ` WHERE id > ? ORDER BY id`
	for round := range 2 {
		if err := run(ins, sel); err != nil {
			t.Fatal(err)
		}
		if n := strings.Count(trace.String(), "F\tSync"); round == 1 && n != 1 {
			t.Fatalf("%d Syncs, want 1", n)
		}
		want := []string{"exec INSERT INTO " + tbl + " VALUES ($1), ($2 + 1) rows=2 err=false ctx=true",
			"query SELECT id FROM " + tbl + " WHERE id > $1 ORDER BY id rows=2 err=false ctx=true"}
		if got := strings.Join(h.events, "\n"); got != strings.Join(want, "\n") {
			t.Fatalf("round %d:\n%s\nwant\n%s", round, got, strings.Join(want, "\n"))
		}
		if _, err := Exec(ctx, db, RawStmt(`DELETE FROM `+tbl)); err != nil {
			t.Fatal(err)
		}
	}
	// A failing statement and the one after it are reported with errors.
	if err := run(`INSERT INTO `+tbl+` VALUES (?), (?)`, sel); err == nil {
		t.Fatal("a duplicate key did not fail")
	}
	if len(h.events) != 2 || !strings.Contains(h.events[0], "err=true") || !strings.Contains(h.events[1], "err=true") {
		t.Fatalf("events after a failure: %q", h.events)
	}
}

// TestBatchHookedThroughPgx: a batch that runs as pgx's batch (a pool with
// an AfterConnect hook) reports its statements to a Hook as the direct
// path does.
func TestBatchHookedThroughPgx(t *testing.T) {
	_, plain := wireDBs(t)
	h := &recordHook{}
	plain.SetHook(h)
	defer plain.SetHook(nil)
	ctx := context.Background()
	b := NewBatch()
	n := QueueOne[int64](b, RawStmt(`SELECT ?::int8 + 1`, int64(1)))
	bad := QueueAll[int64](b, RawStmt(`SELECT 10 / (2 - i) FROM generate_series(1, ?::int8) AS i`, int64(3)))
	w := QueueExec(b, RawStmt(`SELECT ?::int8`, int64(1)))
	if err := b.Run(ctx, plain); err == nil || n.Value() != 2 || pendingErr(bad) == nil || pendingErr(w) == nil {
		t.Fatalf("run: %v; %d %v %v", err, n.Value(), pendingErr(bad), pendingErr(w))
	}
	want := "query SELECT $1::int8 + 1 rows=1 err=false ctx=true\n" +
		"query SELECT 10 / (2 - i) FROM generate_series(1, $1::int8) AS i rows=1 err=true ctx=true\n" +
		"exec SELECT $1::int8 rows=0 err=true ctx=true"
	if got := strings.Join(h.events, "\n"); got != want {
		t.Fatalf("events:\n%s\nwant\n%s", got, want)
	}
}
