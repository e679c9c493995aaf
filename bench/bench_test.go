package bench

import (
	"context"
	"database/sql"
	"slices"
	"strconv"
	"sync/atomic"
	"testing"

	"github.com/wrensql/wren"
)

// Each Benchmark runs every contender on every database as sub-benchmarks
// named <database>/<contender> (or <database>/<size>/<contender>), so that
// one run of the test binary measures every contender once, and run.sh's
// rounds alternate them. Every timed loop reports cpu-ns/op beside ns/op.

// extra, when not nil, adds a workload's own contenders (another form of
// wren's) to the database's list, so that they take their turn among the
// others in every round rather than running after them.
func eachContender(b *testing.B, extra func(e *env) []contender, fn func(b *testing.B, e *env, r runner)) {
	for _, e := range envs {
		cs, err := e.contenders()
		if err != nil {
			b.Fatalf("%s: %v", e.name, err)
		}
		if extra != nil {
			cs = append(slices.Clip(cs), extra(e)...)
		}
		for _, c := range inRoundOrder(cs) {
			b.Run(e.name+"/"+c.name, func(b *testing.B) {
				b.ReportAllocs()
				fn(b, e, c.r)
				checkIdle(b, e)
			})
		}
	}
}

func BenchmarkInsert(b *testing.B) {
	ctx := context.Background()
	eachContender(b, nil, func(b *testing.B, e *env, r runner) {
		m := newModel(1)
		cpu := startCPU(b)
		for i := 0; i < b.N; i++ {
			m.ID = 0
			if err := r.insert(ctx, m); err != nil {
				b.Fatal(err)
			}
		}
		cpu.report()
		if m.ID == 0 {
			b.Fatal("no key returned")
		}
	})
}

func BenchmarkInsertMulti(b *testing.B) {
	ctx := context.Background()
	// wren's other form, wren-rows: Insert(…).Rows(…), keys given to the
	// rows by hand as the raw code does: RETURNING, or the last-insert id
	// on MySQL.
	rows := func(e *env) []contender { return []contender{{"wren-rows", wrenRows{wrenRunner{e}}}} }
	eachContender(b, rows, func(b *testing.B, e *env, r runner) {
		insertMultiLoop(b, func(ms []*Model) error { return r.insertMulti(ctx, ms) })
	})
}

// wrenRows inserts several rows with Insert(…).Rows(…) (insertRows).
type wrenRows struct{ wrenRunner }

func (r wrenRows) insertMulti(ctx context.Context, ms []*Model) error {
	return insertRows(ctx, r.e, ms)
}

// insertMultiLoop times insert of 100 new rows per operation and checks
// their keys.
func insertMultiLoop(b *testing.B, insert func([]*Model) error) {
	ms := make([]*Model, 100)
	for i := range ms {
		ms[i] = newModel(i)
	}
	cpu := startCPU(b)
	for i := 0; i < b.N; i++ {
		for _, m := range ms {
			m.ID = 0
		}
		if err := insert(ms); err != nil {
			b.Fatal(err)
		}
	}
	cpu.report()
	checkKeys(b, ms)
}

// insertRows inserts ms with one wren.Insert(…).Rows(…) statement and sets
// their keys as the raw code does: from RETURNING, or on MySQL and MariaDB
// from the first row's last-insert id (consecutive keys, which the setup
// checks: innodb_autoinc_lock_mode 0 or 1).
func insertRows(ctx context.Context, e *env, ms []*Model) error {
	rows := make([]any, len(ms))
	for i, m := range ms {
		rows[i] = m
	}
	q := wren.Insert(Models).Rows(rows...)
	if e.returning() {
		ids, err := wren.All[int64](ctx, e.wdb, q.Returning(Models.ID))
		if err != nil {
			return err
		}
		slices.Sort(ids)
		for i, m := range ms {
			m.ID = ids[i]
		}
		return nil
	}
	res, err := wren.Exec(ctx, e.wdb, q)
	if err != nil {
		return err
	}
	for i, m := range ms {
		m.ID = res.LastInsertID + int64(i)
	}
	return nil
}

// checkIdle fails b if a contender left a connection busy (rows not
// closed): it would hold a connection, and on SQLite a lock, for good.
func checkIdle(b *testing.B, e *env) {
	for _, db := range []*sql.DB{e.sqlDB, e.bunDB, e.wdb.SQLDB()} {
		if db != nil && db.Stats().InUse > 0 {
			b.Fatalf("%s: %d connections still in use", e.name, db.Stats().InUse)
		}
	}
	if e.pool != nil && e.pool.Stat().AcquiredConns() > 0 {
		b.Fatalf("%s: %d pgx connections still acquired", e.name, e.pool.Stat().AcquiredConns())
	}
}

// checkKeys fails b unless ms have consecutive keys, in order.
func checkKeys(b *testing.B, ms []*Model) {
	n := len(ms)
	if ms[0].ID == 0 || ms[n-1].ID != ms[0].ID+int64(n-1) {
		b.Fatalf("keys not returned in order: %d … %d", ms[0].ID, ms[n-1].ID)
	}
}

// updates numbers the benchmark's updates across contenders and runs.
var updates atomic.Int64

// BenchmarkUpdate sets every column of a real row, a different one each
// time, and every update changes its row: Counter takes a value no update
// gave before. (With Counter = i, every contender after the first in a
// round would set rows to the values they already held, which MySQL and
// MariaDB do not write, nor flush at commit: a run of cheaper statements.)
func BenchmarkUpdate(b *testing.B) {
	ctx := context.Background()
	eachContender(b, nil, func(b *testing.B, e *env, r runner) {
		m := newModel(7)
		cpu := startCPU(b)
		for i := 0; i < b.N; i++ {
			m.ID = int64(1 + i%seedRows)
			m.Counter = updates.Add(1)
			if err := r.update(ctx, m); err != nil {
				b.Fatal(err)
			}
		}
		cpu.report()
	})
}

func BenchmarkRead(b *testing.B) {
	ctx := context.Background()
	// wren's hot-path form, wren-prepared: the query built and rendered
	// once (Prepare), the key bound per run.
	id := wren.NewParam[int64]("id")
	q := wren.Prepare[Model](wren.Select(Models).From(Models).Where(Models.ID.EqExpr(id)))
	prepared := func(e *env) []contender { return []contender{{"wren-prepared", wrenPrepared{wrenRunner{e}, q, id}}} }
	eachContender(b, prepared, func(b *testing.B, e *env, r runner) {
		readLoop(b, func(id int64) (Model, error) { return r.read(ctx, id) })
	})
}

// wrenPrepared reads one row with a prepared query and a bound key.
type wrenPrepared struct {
	wrenRunner
	q  *wren.Prepared[Model]
	id wren.Param[int64]
}

func (r wrenPrepared) read(ctx context.Context, id int64) (Model, error) {
	return r.q.One(ctx, r.e.wdb, wren.Bind(r.id, id))
}

// readLoop times read of one row by key per operation, a different row
// each time, and checks what it read.
func readLoop(b *testing.B, read func(id int64) (Model, error)) {
	cpu := startCPU(b)
	for i := 0; i < b.N; i++ {
		id := int64(1 + i%seedRows)
		m, err := read(id)
		if err != nil {
			b.Fatal(err)
		}
		if m.ID != id {
			b.Fatalf("read id %d, want %d", m.ID, id)
		}
	}
	cpu.report()
}

// readRows runs r's readSlice of n rows b.N times.
func readRows(b *testing.B, r sliceReader, n int) {
	ctx := context.Background()
	b.ReportAllocs()
	cpu := startCPU(b)
	for i := 0; i < b.N; i++ {
		ms, err := r.readSlice(ctx, n)
		if err != nil {
			b.Fatal(err)
		}
		if len(ms) != n {
			b.Fatalf("%d rows, want %d", len(ms), n)
		}
		if ms[n-1].ID != int64(n) {
			b.Fatalf("last row's id %d, want %d", ms[n-1].ID, n)
		}
	}
	cpu.report()
}

// BenchmarkReadSlice reads 100 rows into a slice with every contender, and
// with the hand-written loops that scan into the slice's elements.
func BenchmarkReadSlice(b *testing.B) {
	for _, e := range envs {
		cs, err := e.sliceContenders(true)
		if err != nil {
			b.Fatalf("%s: %v", e.name, err)
		}
		for _, c := range inRoundOrder(cs) {
			b.Run(e.name+"/"+c.name, func(b *testing.B) {
				readRows(b, c.r, 100)
				checkIdle(b, e)
			})
		}
	}
}

// readSizes are the sizes of BenchmarkReadRows.
var readSizes = []int{10, 100, 1000, 10000}

// BenchmarkReadRows reads 10, 100, 1,000 and 10,000 rows into a slice:
// the hand-written loops (appending; scanning into the elements; on pgx
// also through reused destinations) against wren.All.
func BenchmarkReadRows(b *testing.B) {
	for _, e := range envs {
		cs, err := e.sliceContenders(false)
		if err != nil {
			b.Fatalf("%s: %v", e.name, err)
		}
		for _, n := range readSizes {
			for _, c := range inRoundOrder(cs) {
				b.Run(e.name+"/"+strconv.Itoa(n)+"/"+c.name, func(b *testing.B) {
					readRows(b, c.r, n)
					checkIdle(b, e)
				})
			}
		}
	}
}
