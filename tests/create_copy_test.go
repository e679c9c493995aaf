package tests

import (
	"context"
	"errors"
	"fmt"
	"math"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/matryer/is"

	"github.com/wrensql/wren"
)

// Create of many rows streams them with COPY on PostgreSQL (issue 19); these
// tests hold it to what the bound forms do, on every database.

type CopyTypesTable struct {
	wren.Table
	ID    wren.Column[int64] `wren:",pk"`
	S     wren.Column[string]
	SP    wren.Column[*string]
	I32   wren.Column[int32]
	I16   wren.Column[int16]
	I     wren.Column[int]
	IP    wren.Column[*int64]
	F     wren.Column[float64]
	F32   wren.Column[float32]
	FP    wren.Column[*float64]
	B     wren.Column[bool]
	BP    wren.Column[*bool]
	T     wren.Column[time.Time]
	TP    wren.Column[*time.Time]
	Bytes wren.Column[[]byte] `wren:",null"`
}

var CopyTypes = wren.NewTable[CopyTypesTable]("copy_types")

type CopyRow struct {
	ID    int64
	S     string
	SP    *string
	I32   int32
	I16   int16
	I     int
	IP    *int64
	F     float64
	F32   float32
	FP    *float64
	B     bool
	BP    *bool
	T     time.Time
	TP    *time.Time
	Bytes []byte
}

// bulkRows makes n rows whose values cover what COPY's text format must
// escape or spell specially: tabs, newlines, carriage returns and
// backslashes in strings, \N and \. as text, NULLs, float infinities and
// extremes, times in zones with odd offsets, nil and empty byte slices.
func copyRows(db *wren.DB, n int) []*CopyRow {
	strs := []string{"plain", "tab\there", "line\nbreak", "cr\rhere", `back\slash`, `\N`, `\.`, "", "üñí©ødé ✓", "ends with backslash\\", "\t\n\r\\"}
	floats := []float64{0, -0.5, math.MaxFloat64, 1e-300, 1.0 / 3, 123456789.123456789}
	if db.Dialect().Name() != "mysql" && db.Dialect().Name() != "mariadb" {
		floats = append(floats, math.Inf(1), math.Inf(-1)) // MySQL's DOUBLE has no infinities
	}
	zones := []*time.Location{time.UTC, time.FixedZone("odd", 5*3600+45*60), time.FixedZone("west", -11*3600)}
	if db.Dialect().CopyRows() {
		// An offset in seconds (local mean time); SQLite's driver keeps
		// whole minutes.
		zones = append(zones, time.FixedZone("lmt", -(9*60+21)))
	}
	base := time.Date(2026, 3, 4, 5, 6, 7, 891234567, time.UTC)
	rows := make([]*CopyRow, n)
	for i := range rows {
		s := strs[i%len(strs)]
		r := &CopyRow{
			S: fmt.Sprintf("%d:%s", i, s), I32: int32(i) - 1<<30, I16: int16(i % 30000), I: i * 7,
			F: floats[i%len(floats)], F32: float32(i) / 4, B: i%2 == 0,
			T: base.Add(time.Duration(i) * time.Minute).In(zones[i%len(zones)]),
		}
		if i%3 != 0 {
			r.SP = &strs[(i+1)%len(strs)]
			v := int64(i) << 33
			r.IP = &v
			f := -float64(i) / 7
			r.FP = &f
			b := i%4 == 1
			r.BP = &b
			tp := base.AddDate(-50, 0, i).In(zones[(i+1)%len(zones)])
			r.TP = &tp
			r.Bytes = []byte{0, 1, 2, byte(i), '\\', '\t', '\n'}
		} else if i%2 == 0 && db.Dialect().CopyRows() {
			r.Bytes = []byte{} // empty, not NULL (SQLite's driver reads an empty BLOB as nil)
		}
		rows[i] = r
	}
	return rows
}

// TestCreateBulkCopyRoundTrip: 2,500 rows (COPY on PostgreSQL, arrays or
// VALUES elsewhere) read back exactly as given, with their keys, in order;
// then 1,500 rows that set their own keys.
func TestCreateBulkCopyRoundTrip(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *wren.DB) {
		is := is.New(t)
		ctx := ctxT(t)
		is.NoErr(wren.CreateTables(ctx, db, CopyTypes))
		rows := copyRows(db, 2500)
		var mu sync.Mutex
		var stmts []string
		maxArgs := 0
		db.SetHook(hookFunc(func(e *wren.QueryEvent) {
			mu.Lock()
			stmts = append(stmts, e.SQL)
			maxArgs = max(maxArgs, len(e.Args))
			mu.Unlock()
		}))
		is.NoErr(wren.Create(ctx, db, CopyTypes, rows...))
		db.SetHook(nil)
		if db.Dialect().CopyRows() {
			// The sequence's last value, one COPY that leaves the key to
			// the sequence, currval: nothing else drew in between.
			is.Equal(len(stmts), 3)
			is.Equal(stmts[0], db.Dialect().SequenceStartSQL())
			is.True(strings.HasPrefix(stmts[1], "COPY "))
			is.True(!strings.Contains(stmts[1], `"id"`))
			is.True(strings.HasSuffix(stmts[1], "(FORMAT binary)")) // every column takes its binary form
			is.Equal(stmts[2], db.Dialect().CurrvalSQL())
		} else if d := db.Dialect(); len(rows)*15 <= d.SplitParams() {
			// 15 columns: the rows fit in one INSERT within SplitParams
			// (65,535 on MySQL and MariaDB), and go in one.
			inserts := 0
			for _, s := range stmts {
				if strings.HasPrefix(s, "INSERT") {
					inserts++
				}
			}
			is.Equal(inserts, 1)
			is.Equal(maxArgs, len(rows)*14) // every column but the key
		} else if maxArgs > d.BulkParams() {
			// Split into INSERTs of at most BulkParams parameters (500 on
			// SQLite, whose driver binds in quadratic time).
			t.Fatalf("an INSERT bound %d parameters; BulkParams is %d", maxArgs, d.BulkParams())
		}
		for i := 1; i < len(rows); i++ {
			if rows[i].ID <= rows[i-1].ID {
				t.Fatalf("keys out of order: row %d has %d, row %d has %d", i-1, rows[i-1].ID, i, rows[i].ID)
			}
		}
		checkCopyRows(t, db, rows)

		given := copyRows(db, 1500)
		for i, r := range given {
			r.ID = int64(1_000_000 + i)
		}
		is.NoErr(wren.Create(ctx, db, CopyTypes, given...))
		is.Equal(given[0].ID, int64(1_000_000))
		checkCopyRows(t, db, append(rows, given...))
	})
}

// checkCopyRows reads the table back and compares every row with want.
func checkCopyRows(t *testing.T, db *wren.DB, want []*CopyRow) {
	t.Helper()
	got, err := wren.All[CopyRow](ctxT(t), db, wren.Select(CopyTypes).From(CopyTypes).OrderBy(CopyTypes.ID))
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != len(want) {
		t.Fatalf("%d rows read back, want %d", len(got), len(want))
	}
	for i, g := range got {
		w := want[i]
		if msg := copyRowDiff(&g, w); msg != "" {
			t.Fatalf("row %d (key %d): %s", i, w.ID, msg)
		}
	}
}

func copyRowDiff(g, w *CopyRow) string {
	eqTime := func(a, b time.Time) bool {
		// Microseconds everywhere (the servers' resolution; SQLite keeps
		// what the driver writes).
		return a.Truncate(time.Microsecond).Equal(b.Truncate(time.Microsecond))
	}
	floatEq := func(a, b float64) bool { return a == b || (math.IsNaN(a) && math.IsNaN(b)) }
	switch {
	case g.ID != w.ID:
		return fmt.Sprintf("id %d", g.ID)
	case g.S != w.S:
		return fmt.Sprintf("S %q, want %q", g.S, w.S)
	case (g.SP == nil) != (w.SP == nil) || (g.SP != nil && *g.SP != *w.SP):
		return "SP differs"
	case g.I32 != w.I32 || g.I16 != w.I16 || g.I != w.I:
		return fmt.Sprintf("ints %d %d %d", g.I32, g.I16, g.I)
	case (g.IP == nil) != (w.IP == nil) || (g.IP != nil && *g.IP != *w.IP):
		return "IP differs"
	case !floatEq(g.F, w.F):
		return fmt.Sprintf("F %v, want %v", g.F, w.F)
	case g.F32 != w.F32:
		return fmt.Sprintf("F32 %v, want %v", g.F32, w.F32)
	case (g.FP == nil) != (w.FP == nil) || (g.FP != nil && *g.FP != *w.FP):
		return "FP differs"
	case g.B != w.B || (g.BP == nil) != (w.BP == nil) || (g.BP != nil && *g.BP != *w.BP):
		return "bools differ"
	case !eqTime(g.T, w.T):
		return fmt.Sprintf("T %v, want %v", g.T, w.T)
	case (g.TP == nil) != (w.TP == nil) || (g.TP != nil && !eqTime(*g.TP, *w.TP)):
		return fmt.Sprintf("TP %v, want %v", g.TP, w.TP)
	case string(g.Bytes) != string(w.Bytes) || (g.Bytes == nil) != (w.Bytes == nil):
		return fmt.Sprintf("Bytes %q (nil %v), want %q (nil %v)", g.Bytes, g.Bytes == nil, w.Bytes, w.Bytes == nil)
	}
	return ""
}

// hookFunc is a Hook that calls f after each statement.
type hookFunc func(e *wren.QueryEvent)

func (f hookFunc) BeforeQuery(ctx context.Context, e *wren.QueryEvent) context.Context { return ctx }
func (f hookFunc) AfterQuery(ctx context.Context, e *wren.QueryEvent)                  { f(e) }

// TestCreateBulkCopyInTx: in a transaction, COPY's rows are the
// transaction's (gone on rollback, there on commit); a COPY that fails (a
// duplicate key) fails Create with the constraint named, writes nothing,
// and leaves no key on the rows.
func TestCreateBulkCopyInTx(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *wren.DB) {
		is := is.New(t)
		ctx := ctxT(t)
		is.NoErr(wren.CreateTables(ctx, db, CopyTypes))
		tx, err := db.Begin(ctx)
		is.NoErr(err)
		is.NoErr(wren.Create(ctx, tx, CopyTypes, copyRows(db, 1200)...))
		n, err := wren.Count(ctx, tx, wren.Select(CopyTypes.ID).From(CopyTypes))
		is.NoErr(err)
		is.Equal(n, int64(1200))
		is.NoErr(tx.Rollback(ctx))
		n, err = wren.Count(ctx, db, wren.Select(CopyTypes.ID).From(CopyTypes))
		is.NoErr(err)
		is.Equal(n, int64(0))

		is.NoErr(db.Atomic(ctx, func(tx *wren.Tx) error { return wren.Create(ctx, tx, CopyTypes, copyRows(db, 1200)...) }))
		n, err = wren.Count(ctx, db, wren.Select(CopyTypes.ID).From(CopyTypes))
		is.NoErr(err)
		is.Equal(n, int64(1200))

		dup := copyRows(db, 1100)
		for i, r := range dup {
			r.ID = int64(5_000_000 + i)
		}
		dup[1099].ID = dup[0].ID
		err = wren.Create(ctx, db, CopyTypes, dup...)
		if !errors.Is(err, wren.ErrUniqueViolation) {
			t.Fatalf("duplicate key in a bulk Create: %v, want ErrUniqueViolation", err)
		}
		n, err = wren.Count(ctx, db, wren.Select(CopyTypes.ID).From(CopyTypes))
		is.NoErr(err)
		is.Equal(n, int64(1200)) // nothing of the failed Create

		if !db.Dialect().CopyRows() {
			return // MySQL and SQLite store a NUL byte in text
		}
		fresh := copyRows(db, 1100)
		fresh[1099].S = strings.Repeat("x", 1) + "\x00" // NUL: every server refuses it in text
		err = wren.Create(ctx, db, CopyTypes, fresh...)
		if err == nil {
			t.Fatal("a NUL byte in a text value was accepted")
		}
		for i, r := range fresh {
			if r.ID != 0 {
				t.Fatalf("row %d keeps key %d after a failed Create", i, r.ID)
			}
		}
	})
}

type CopyKeyTable struct {
	wren.Table
	ID   wren.Column[int64] `wren:",pk"`
	Note wren.Column[string]
}

var CopyKeys = wren.NewTable[CopyKeyTable]("copy_keys")

type CopyKeyRow struct {
	ID   int64
	Note string
}

// TestCreateBulkCopyFallback (PostgreSQL): how 2,500 rows get their keys
// when the key column is not a plain serial one. A key GENERATED ALWAYS,
// which refuses given values, is left to its sequence by the COPY. A
// serial key whose default was changed (here dropped, or doubled) gets
// keys drawn from its sequence first, as given values. A key whose default
// is a sequence the column does not own cannot be told from the sequence,
// and Create binds arrays instead. The keys come back in every case.
func TestCreateBulkCopyFallback(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *wren.DB) {
		if !db.Dialect().CopyRows() {
			t.Skip("COPY is PostgreSQL's")
		}
		ctx := ctxT(t)
		d := db.Dialect()
		for _, c := range []struct {
			ddl  string
			want []string // the statements' beginnings
		}{
			{"CREATE TABLE copy_keys (id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY, note TEXT NOT NULL)",
				[]string{d.SequenceStartSQL(), `COPY "copy_keys" ("note")`, d.CurrvalSQL()}},
			{"CREATE TABLE copy_keys (id BIGSERIAL PRIMARY KEY, note TEXT NOT NULL); ALTER TABLE copy_keys ALTER COLUMN id DROP DEFAULT",
				[]string{d.SequenceStartSQL(), d.ReserveKeysSQL(), `COPY "copy_keys" ("id", "note")`}},
			{"CREATE TABLE copy_keys (id BIGSERIAL PRIMARY KEY, note TEXT NOT NULL); ALTER TABLE copy_keys ALTER COLUMN id SET DEFAULT nextval('copy_keys_id_seq') * 2",
				[]string{d.SequenceStartSQL(), d.ReserveKeysSQL(), `COPY "copy_keys" ("id", "note")`}},
			// A sequence the column does not own: pg_get_serial_sequence
			// does not find it.
			{"CREATE TABLE copy_keys (id BIGINT PRIMARY KEY DEFAULT nextval('copy_keys_free'), note TEXT NOT NULL)",
				[]string{d.SequenceStartSQL(), `INSERT INTO "copy_keys"`}},
		} {
			ddl := c.ddl
			mustExec(t, db, "DROP TABLE IF EXISTS copy_keys")
			mustExec(t, db, "CREATE SEQUENCE IF NOT EXISTS copy_keys_free")
			mustExec(t, db, ddl)
			var stmts []string
			db.SetHook(hookFunc(func(e *wren.QueryEvent) { stmts = append(stmts, e.SQL) }))
			rows := make([]*CopyKeyRow, 2500)
			for i := range rows {
				rows[i] = &CopyKeyRow{Note: fmt.Sprint(i)}
			}
			err := wren.Create(ctx, db, CopyKeys, rows...)
			db.SetHook(nil)
			if err != nil {
				t.Fatalf("%s: %v", ddl, err)
			}
			ok := len(stmts) == len(c.want)
			for i := 0; ok && i < len(stmts); i++ {
				ok = strings.HasPrefix(stmts[i], c.want[i])
			}
			if !ok {
				t.Fatalf("%s: statements %q, want %q", ddl, stmts, c.want)
			}
			got, err := wren.All[CopyKeyRow](ctx, db, wren.Select(CopyKeys).From(CopyKeys))
			if err != nil {
				t.Fatal(err)
			}
			byKey := map[int64]string{}
			for _, g := range got {
				byKey[g.ID] = g.Note
			}
			for i, r := range rows {
				if r.ID == 0 || byKey[r.ID] != r.Note {
					t.Fatalf("%s: row %d has key %d, which holds %q", ddl, i, r.ID, byKey[r.ID])
				}
			}
		}
	})
}

// TestCreateBulkCopyCancelled: a context that ends while rows stream stops
// the COPY with the context's error; nothing is written and the pool goes
// on working.
func TestCreateBulkCopyCancelled(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *wren.DB) {
		is := is.New(t)
		ctx := ctxT(t)
		is.NoErr(wren.CreateTables(ctx, db, CopyTypes))
		short, cancel := context.WithCancel(ctx)
		defer cancel()
		// Cancelled 3 ms into the COPY (into the first INSERT elsewhere).
		db.SetHook(beforeFunc(func(e *wren.QueryEvent) {
			if strings.HasPrefix(e.SQL, "COPY ") || strings.HasPrefix(e.SQL, "INSERT ") {
				time.AfterFunc(3*time.Millisecond, cancel)
			}
		}))
		err := wren.Create(short, db, CopyTypes, copyRows(db, 200_000)...)
		db.SetHook(nil)
		if !errors.Is(err, context.Canceled) {
			t.Fatalf("Create with a context that ended: %v, want context.Canceled", err)
		}
		n, err := wren.Count(ctx, db, wren.Select(CopyTypes.ID).From(CopyTypes))
		is.NoErr(err)
		is.Equal(n, int64(0))
		rows := copyRows(db, 1000)
		is.NoErr(wren.Create(ctx, db, CopyTypes, rows...))
		checkCopyRows(t, db, rows)
	})
}

// beforeFunc is a Hook that calls f before each statement.
type beforeFunc func(e *wren.QueryEvent)

func (f beforeFunc) BeforeQuery(ctx context.Context, e *wren.QueryEvent) context.Context {
	f(e)
	return ctx
}
func (f beforeFunc) AfterQuery(ctx context.Context, e *wren.QueryEvent) {}

type CopyLinkTable struct {
	wren.Table `wren:"pk=a+b"`
	A          wren.Column[int64]
	B          wren.Column[int64]
	Note       wren.Column[*string]
}

var CopyLinks = wren.NewTable[CopyLinkTable]("copy_links")

type CopyLink struct {
	A, B int64
	Note *string
}

// TestCreateKeylessBulk: rows of a table without a generated key (a join
// table) need no keys back: on PostgreSQL a few go as arrays and many with
// COPY; everywhere they are stored as given.
func TestCreateKeylessBulk(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *wren.DB) {
		is := is.New(t)
		ctx := ctxT(t)
		is.NoErr(wren.CreateTables(ctx, db, CopyLinks))
		note := "n"
		for _, n := range []int{5, 1500} {
			mustExec(t, db, "DELETE FROM copy_links")
			rows := make([]*CopyLink, n)
			for i := range rows {
				rows[i] = &CopyLink{A: int64(i/10) + 1, B: int64(i%10) + 1}
				if i%2 == 0 {
					rows[i].Note = &note
				}
			}
			var stmts []string
			db.SetHook(hookFunc(func(e *wren.QueryEvent) { stmts = append(stmts, e.SQL) }))
			is.NoErr(wren.Create(ctx, db, CopyLinks, rows...))
			db.SetHook(nil)
			if db.Dialect().CopyRows() {
				if n >= 1000 {
					// The columns' types, then a COPY in the binary format.
					is.Equal(len(stmts), 2)
					is.Equal(stmts[0], db.Dialect().CopyTypesSQL())
					is.True(strings.HasPrefix(stmts[1], "COPY "))
					is.True(strings.HasSuffix(stmts[1], "(FORMAT binary)"))
				} else {
					is.Equal(len(stmts), 1)
					is.True(strings.HasPrefix(stmts[0], "INSERT "))
					is.True(strings.Contains(stmts[0], "unnest"))
				}
			}
			got, err := wren.All[CopyLink](ctx, db, wren.Select(CopyLinks).From(CopyLinks).OrderBy(CopyLinks.A, CopyLinks.B))
			is.NoErr(err)
			is.Equal(len(got), n)
			for i, g := range got {
				if g.A != rows[i].A || g.B != rows[i].B || (g.Note == nil) != (rows[i].Note == nil) {
					t.Fatalf("%d rows: row %d is %+v, want %+v", n, i, g, *rows[i])
				}
			}
			// A zero key column is refused before anything is sent, as for
			// one row.
			mustExec(t, db, "DELETE FROM copy_links")
			rows[n-1].B = 0
			err = wren.Create(ctx, db, CopyLinks, rows...)
			if err == nil || !strings.Contains(err.Error(), "leaves primary key column b zero") {
				t.Fatalf("%d rows, one with a zero key column: %v", n, err)
			}
			left, err := wren.Count(ctx, db, wren.Select(CopyLinks.A).From(CopyLinks))
			is.NoErr(err)
			is.Equal(left, int64(0)) // nothing written half-way
		}
	})
}
