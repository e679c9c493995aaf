package tests

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/wrensql/wren"
)

// TestCreateBulkCopyServerKeys (PostgreSQL): a COPY leaves the key to the
// sequence and Create works out which keys the rows got — from the values
// drawn before and after when nobody else drew in between, from the table
// when someone did (or, inside a transaction, by drawing the keys first
// after rolling the COPY back). Sequences that count by 3 and downwards
// by 2 give the keys they should; rows always get the keys they were
// stored under, in order, and only they are stored.
func TestCreateBulkCopyServerKeys(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *wren.DB) {
		if !db.Dialect().CopyRows() {
			t.Skip("COPY is PostgreSQL's")
		}
		ctx := ctxT(t)
		// A new table's keys start at 1: no value is wasted.
		mustExec(t, db, "DROP TABLE IF EXISTS copy_keys")
		if err := wren.CreateTables(ctx, db, CopyKeys); err != nil {
			t.Fatal(err)
		}
		fresh := make([]*CopyKeyRow, 2500)
		for i := range fresh {
			fresh[i] = &CopyKeyRow{Note: fmt.Sprint(i)}
		}
		if err := wren.Create(ctx, db, CopyKeys, fresh...); err != nil {
			t.Fatal(err)
		}
		if fresh[0].ID != 1 || fresh[2499].ID != 2500 {
			t.Fatalf("a new table's keys: %d to %d, want 1 to 2500", fresh[0].ID, fresh[2499].ID)
		}
		for _, inc := range []int{1, 3, -2} {
			for _, inTx := range []bool{false, true} {
				for _, contended := range []bool{false, true} {
					name := fmt.Sprintf("inc=%d/tx=%v/contended=%v", inc, inTx, contended)
					t.Run(name, func(t *testing.T) {
						checkServerKeys(t, ctx, db, inc, inTx, contended)
					})
				}
			}
		}
	})
}

func checkServerKeys(t *testing.T, ctx context.Context, db *wren.DB, inc int, inTx, contended bool) {
	mustExec(t, db, "DROP TABLE IF EXISTS copy_keys")
	mustExec(t, db, "CREATE TABLE copy_keys (id BIGSERIAL PRIMARY KEY, note TEXT NOT NULL)")
	switch {
	case inc < 0:
		mustExec(t, db, fmt.Sprintf("ALTER SEQUENCE copy_keys_id_seq INCREMENT BY %d MINVALUE -1000000000 MAXVALUE -1 START WITH -1 RESTART", inc))
	case inc == 3:
		// A sequence whose sessions keep values of their own: the value
		// below the keys is drawn, not read.
		mustExec(t, db, "ALTER SEQUENCE copy_keys_id_seq INCREMENT BY 3 CACHE 20")
	default:
		mustExec(t, db, fmt.Sprintf("ALTER SEQUENCE copy_keys_id_seq INCREMENT BY %d", inc))
	}
	var mu sync.Mutex
	var stmts []string
	db.SetHook(beforeFunc(func(e *wren.QueryEvent) {
		mu.Lock()
		stmts = append(stmts, e.SQL)
		mu.Unlock()
		if contended && strings.HasPrefix(e.SQL, "COPY ") && !strings.Contains(e.SQL, `"id"`) {
			// Someone else draws while the COPY runs: on another
			// connection (the hook's statement is not reported).
			if _, err := db.Pool().Exec(context.Background(), "SELECT nextval('copy_keys_id_seq')"); err != nil {
				t.Error(err)
			}
		}
	}))
	rows := make([]*CopyKeyRow, 2500)
	for i := range rows {
		rows[i] = &CopyKeyRow{Note: fmt.Sprint("row ", i)}
	}
	var err error
	if inTx {
		err = db.Atomic(ctx, func(tx *wren.Tx) error { return wren.Create(ctx, tx, CopyKeys, rows...) })
	} else {
		err = wren.Create(ctx, db, CopyKeys, rows...)
	}
	db.SetHook(nil)
	if err != nil {
		t.Fatal(err)
	}
	checkKeyRows(t, ctx, db, rows)
	for i, r := range rows {
		if i > 0 && (r.ID-rows[i-1].ID)*int64(inc) <= 0 {
			t.Fatalf("keys out of the sequence's order: row %d has %d, row %d has %d", i-1, rows[i-1].ID, i, r.ID)
		}
	}
	// How the keys were found.
	d := db.Dialect()
	switch {
	case !contended:
		if !slices.Contains(stmts, d.CurrvalSQL()) || slices.Contains(stmts, d.ReserveKeysSQL()) {
			t.Fatalf("statements %q: want the keys from the values drawn around the COPY", stmts)
		}
	case !inTx:
		if !slices.Contains(stmts, d.OwnKeysSQL(`"copy_keys"`, `"id"`, inc > 0)) {
			t.Fatalf("statements %q: want the keys read back from the table", stmts)
		}
	default:
		if !slices.Contains(stmts, d.ReserveKeysSQL()) {
			t.Fatalf("statements %q: want the COPY rolled back and the keys drawn first", stmts)
		}
	}
}

type CopyLegacyTable struct {
	wren.Table
	ID wren.Column[int64] `wren:",pk"`
	N  wren.Column[int64]
	T  wren.Column[time.Time]
	V  wren.Column[string]
	C  wren.Column[string]
}

type CopyLegacyRow struct {
	ID   int64
	N    int64
	T    time.Time
	V, C string
}

// TestCreateBulkCopyColumnTypes (PostgreSQL): a COPY goes in the binary
// format only when every column's type takes its field's binary form
// exactly — varchar and char do for a string; an INTEGER column for an
// int64 field, or a TIMESTAMP without time zone, does not, and the COPY
// goes as text. Both store what a single-row INSERT stores, and a value
// out of an INTEGER column's range is refused by the server, naming it.
func TestCreateBulkCopyColumnTypes(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *wren.DB) {
		if !db.Dialect().CopyRows() {
			t.Skip("COPY is PostgreSQL's")
		}
		ctx := ctxT(t)
		at := time.Date(2024, 2, 29, 13, 14, 15, 123456789, time.FixedZone("X", 2*3600))
		for k, c := range []struct {
			ddl    string
			binary bool
		}{
			{"CREATE TABLE copy_legacy (id BIGSERIAL PRIMARY KEY, n BIGINT NOT NULL, t TIMESTAMPTZ NOT NULL, v VARCHAR(20) NOT NULL, c CHAR(3) NOT NULL)", true},
			{"CREATE TABLE copy_legacy (id BIGSERIAL PRIMARY KEY, n INTEGER NOT NULL, t TIMESTAMPTZ NOT NULL, v VARCHAR(20) NOT NULL, c CHAR(3) NOT NULL)", false},
			{"CREATE TABLE copy_legacy (id BIGSERIAL PRIMARY KEY, n BIGINT NOT NULL, t TIMESTAMP NOT NULL, v TEXT NOT NULL, c TEXT NOT NULL)", false},
		} {
			// A table of its own each time: pgx's cached statements keep
			// the result types of the last one.
			name := fmt.Sprintf("copy_legacy_%d", k)
			CopyLegacy := wren.NewTable[CopyLegacyTable](name)
			mustExec(t, db, "DROP TABLE IF EXISTS "+name)
			mustExec(t, db, strings.Replace(c.ddl, "copy_legacy", name, 1))
			rows := make([]*CopyLegacyRow, 1200)
			for i := range rows {
				rows[i] = &CopyLegacyRow{N: int64(i) - 600, T: at.Add(time.Duration(i) * time.Second), V: fmt.Sprint("v", i), C: "ab"}
			}
			var stmts []string
			db.SetHook(hookFunc(func(e *wren.QueryEvent) { stmts = append(stmts, e.SQL) }))
			err := wren.Create(ctx, db, CopyLegacy, rows...)
			db.SetHook(nil)
			if err != nil {
				t.Fatalf("%s: %v", c.ddl, err)
			}
			var copyStmt string
			for _, s := range stmts {
				if strings.HasPrefix(s, "COPY ") {
					copyStmt = s
				}
			}
			if got := strings.HasSuffix(copyStmt, "(FORMAT binary)"); got != c.binary {
				t.Fatalf("%s: COPY %q, want binary %v", c.ddl, copyStmt, c.binary)
			}
			one := &CopyLegacyRow{N: 7, T: at, V: "single", C: "ab"}
			if err := wren.Create(ctx, db, CopyLegacy, one); err != nil {
				t.Fatal(err)
			}
			want, err := wren.One[CopyLegacyRow](ctx, db, wren.Select(CopyLegacy).From(CopyLegacy).Where(CopyLegacy.ID.Eq(one.ID)))
			if err != nil {
				t.Fatal(err)
			}
			got, err := wren.All[CopyLegacyRow](ctx, db, wren.Select(CopyLegacy).From(CopyLegacy).Where(CopyLegacy.ID.Ne(one.ID)).OrderBy(CopyLegacy.ID))
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != len(rows) {
				t.Fatalf("%s: %d rows, want %d", c.ddl, len(got), len(rows))
			}
			for i, g := range got {
				r := rows[i]
				if g.ID != r.ID || g.N != r.N || g.V != r.V || g.C != want.C || !g.T.Equal(want.T.Add(time.Duration(i)*time.Second)) {
					t.Fatalf("%s: row %d reads back %+v; sent %+v, a single INSERT stores %+v", c.ddl, i, g, *r, want)
				}
			}
			if !c.binary && strings.Contains(c.ddl, "INTEGER") {
				big := make([]*CopyLegacyRow, 1200)
				for i := range big {
					big[i] = &CopyLegacyRow{N: 1 << 40, T: at, V: "v", C: "c"}
				}
				err := wren.Create(ctx, db, CopyLegacy, big...)
				if err == nil || !strings.Contains(err.Error(), "out of range") || big[0].ID != 0 {
					t.Fatalf("an int64 past an INTEGER column: %v (key %d), want the server's range error and no keys", err, big[0].ID)
				}
			}
		}
	})
}

// TestCreateBulkCopyConcurrent: four bulk Creates into one table at once,
// each of 3,000 rows, on PostgreSQL with the server's keys; every row gets
// the key it was stored under.
func TestCreateBulkCopyConcurrent(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *wren.DB) {
		ctx := ctxT(t)
		mustExec(t, db, "DROP TABLE IF EXISTS copy_keys")
		if err := wren.CreateTables(ctx, db, CopyKeys); err != nil {
			t.Fatal(err)
		}
		const writers, each = 4, 3000
		batches := make([][]*CopyKeyRow, writers)
		errs := make([]error, writers)
		var wg sync.WaitGroup
		for w := range batches {
			batches[w] = make([]*CopyKeyRow, each)
			for i := range batches[w] {
				batches[w][i] = &CopyKeyRow{Note: fmt.Sprintf("writer %d row %d", w, i)}
			}
			wg.Add(1)
			go func() {
				defer wg.Done()
				errs[w] = wren.Create(ctx, db, CopyKeys, batches[w]...)
			}()
		}
		wg.Wait()
		for _, err := range errs {
			if err != nil {
				t.Fatal(err)
			}
		}
		got, err := wren.All[CopyKeyRow](ctx, db, wren.Select(CopyKeys).From(CopyKeys))
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != writers*each {
			t.Fatalf("%d rows, want %d", len(got), writers*each)
		}
		byKey := map[int64]string{}
		for _, g := range got {
			byKey[g.ID] = g.Note
		}
		for w, b := range batches {
			for i, r := range b {
				if byKey[r.ID] != r.Note {
					t.Fatalf("writer %d row %d got key %d, which holds %q", w, i, r.ID, byKey[r.ID])
				}
			}
		}
	})
}

// TestCreateBulkCopyUpdateOnlySequence (PostgreSQL): a role that may draw
// from the key's sequence (UPDATE) but not read it (no SELECT or USAGE)
// cannot have the server's keys worked out; Create draws them first, inside
// the caller's transaction, and the rows still get their keys.
func TestCreateBulkCopyUpdateOnlySequence(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *wren.DB) {
		if !db.Dialect().CopyRows() {
			t.Skip("COPY is PostgreSQL's")
		}
		ctx := ctxT(t)
		mustExec(t, db, "DROP TABLE IF EXISTS copy_keys")
		mustExec(t, db, "CREATE TABLE copy_keys (id BIGSERIAL PRIMARY KEY, note TEXT NOT NULL)")
		mustExec(t, db, "DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'wren_seq_update_only') THEN CREATE ROLE wren_seq_update_only; END IF; END $$")
		t.Cleanup(func() {
			// The role is the server's, not the test database's: leave none.
			mustExec(t, db, "DROP TABLE IF EXISTS copy_keys")
			mustExec(t, db, "DROP OWNED BY wren_seq_update_only")
			mustExec(t, db, "DROP ROLE IF EXISTS wren_seq_update_only")
		})
		mustExec(t, db, "DO $$ BEGIN EXECUTE format('GRANT USAGE ON SCHEMA %I TO wren_seq_update_only', current_schema()); END $$")
		mustExec(t, db, "GRANT SELECT, INSERT ON copy_keys TO wren_seq_update_only")
		mustExec(t, db, "GRANT UPDATE ON SEQUENCE copy_keys_id_seq TO wren_seq_update_only")
		rows := make([]*CopyKeyRow, 2500)
		for i := range rows {
			rows[i] = &CopyKeyRow{Note: fmt.Sprint("row ", i)}
		}
		var stmts []string
		db.SetHook(hookFunc(func(e *wren.QueryEvent) { stmts = append(stmts, e.SQL) }))
		err := db.Atomic(ctx, func(tx *wren.Tx) error {
			if _, err := wren.Exec(ctx, tx, wren.RawStmt("SET LOCAL ROLE wren_seq_update_only")); err != nil {
				return err
			}
			return wren.Create(ctx, tx, CopyKeys, rows...)
		})
		db.SetHook(nil)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Contains(stmts, db.Dialect().ReserveKeysSQL()) {
			t.Fatalf("statements %q: want the keys drawn first", stmts)
		}
		checkKeyRows(t, ctx, db, rows)
	})
}

// checkKeyRows fails t unless copy_keys holds exactly rows, each under the
// key it was given.
func checkKeyRows(t *testing.T, ctx context.Context, db *wren.DB, rows []*CopyKeyRow) {
	t.Helper()
	got, err := wren.All[CopyKeyRow](ctx, db, wren.Select(CopyKeys).From(CopyKeys))
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != len(rows) {
		t.Fatalf("%d rows stored, want %d", len(got), len(rows))
	}
	byKey := map[int64]string{}
	for _, g := range got {
		byKey[g.ID] = g.Note
	}
	for i, r := range rows {
		if byKey[r.ID] != r.Note {
			t.Fatalf("row %d got key %d, which holds %q", i, r.ID, byKey[r.ID])
		}
	}
}
