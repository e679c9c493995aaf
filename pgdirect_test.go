package wren

import (
	"context"
	"fmt"
	"math"
	"net/url"
	"os"
	"strings"
	"testing"
	"time"
)

// directHas reports whether some idle connection of db's pool holds a
// statement of wren's for raw, as rendered for PostgreSQL.
func directHas(t *testing.T, db *DB, raw string) bool {
	t.Helper()
	args := make([]any, strings.Count(raw, "?"))
	text, _, err := RawStmt(raw, args...).SQL(db.Dialect())
	if err != nil {
		t.Fatal(err)
	}
	conns := db.Pool().AcquireAllIdle(context.Background())
	defer func() {
		for _, c := range conns {
			c.Release()
		}
	}()
	for _, c := range conns {
		if stmtsOf(c.Conn().PgConn()).m[text] != nil {
			return true
		}
	}
	return false
}

// TestDirectEncodesAsPgx: values bound by wren's own encoding (pools
// made by Open) are stored exactly as pgx stores them (a pool with an
// AfterConnect hook, where pgx encodes every value): every Go type and
// column type encoded, edge values, NULLs, times in other locations into
// timestamp (their wall clock) and timestamptz (their instant); values
// wren does not encode go through pgx, errors included.
func TestDirectEncodesAsPgx(t *testing.T) {
	wire, plain := wireDBs(t)
	if !wire.pgDirect || plain.pgDirect {
		t.Fatalf("direct: Open %v, OpenPool with AfterConnect %v", wire.pgDirect, plain.pgDirect)
	}
	ctx := context.Background()
	tbl := fmt.Sprintf("direct_enc_%d", time.Now().UnixNano())
	if _, err := Exec(ctx, wire, RawStmt(`CREATE TABLE `+tbl+` (id serial PRIMARY KEY, src text, i8 int8, i4 int4, i2 int2,
		t text, vc varchar(50), bp char(3), f8 float8, f4 float4, b bool, tstz timestamptz, ts timestamp, by bytea, u uuid)`)); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { Exec(context.Background(), wire, RawStmt(`DROP TABLE `+tbl)) })
	ins := `INSERT INTO ` + tbl + ` (src, i8, i4, i2, t, vc, bp, f8, f4, b, tstz, ts, by, u) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`
	east, west := time.FixedZone("E", 3600+1800), time.FixedZone("W", -7*3600)
	for i, vals := range [][]any{
		{int64(1), int64(2), int64(3), "t", "vc", "bp", 1.5, float32(2.5), true,
			time.Date(2024, 5, 6, 7, 8, 9, 123456789, east), time.Date(1999, 12, 31, 23, 59, 59, 999999999, west),
			[]byte{0, 1, 255}, [16]byte{0xa0, 0xee, 0xbc, 0x99, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12}},
		{int64(math.MinInt64), int64(math.MinInt32), int64(math.MinInt16), "", "", "", math.Inf(-1), float32(math.NaN()), false,
			time.Date(1969, 7, 20, 20, 17, 40, 500000001, time.UTC), time.Date(1900, 2, 28, 12, 0, 0, 1000, time.Local),
			[]byte{}, [16]byte{}},
		{int64(math.MaxInt64), int(math.MaxInt32), int16(math.MaxInt16), "été ✓ 日本", strings.Repeat("x", 50), "abc", -0.0, float32(-1e-30), true,
			time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC),
			[]byte("\x00\x00"), [16]byte{255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255}},
		{int32(-5), int32(-6), int16(-7), "a", "b", "c", math.SmallestNonzeroFloat64, float32(math.MaxFloat32), false,
			time.Date(1, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(9999, 12, 31, 23, 59, 59, 999999000, east),
			[]byte("bytes"), [16]byte{1}},
		{nil, nil, nil, nil, nil, nil, nil, nil, nil, nil, nil, nil, nil},
	} {
		for _, db := range []*DB{wire, plain} {
			src := "plain"
			if db == wire {
				src = "wire"
			}
			if _, err := Exec(ctx, db, RawStmt(ins, append([]any{fmt.Sprint(src, i)}, vals...)...)); err != nil {
				t.Fatalf("row %d, %s: %v", i, src, err)
			}
		}
	}
	if !directHas(t, wire, ins) {
		t.Fatal("the INSERT did not run directly")
	}
	if directHas(t, plain, ins) {
		t.Fatal("a pool with AfterConnect ran the INSERT directly")
	}
	type stored struct{ Src, Row string }
	rows, err := All[stored](ctx, plain, RawStmt(`SELECT src, (i8, i4, i2, t, vc, bp, f8, f4, b, tstz, ts, by, u)::text AS row FROM `+tbl+` ORDER BY id`))
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 10 {
		t.Fatalf("%d rows", len(rows))
	}
	for i := 0; i < len(rows); i += 2 {
		if w, p := rows[i], rows[i+1]; w.Row != p.Row {
			t.Fatalf("%s: %s\n%s: %s", w.Src, w.Row, p.Src, p.Row)
		}
	}

	// Values wren leaves to pgx: out of range for the column (pgx's error),
	// a string for a uuid, a pointer, a float for an integer.
	for _, args := range [][]any{
		{"r", int64(3000000000), 0, nil},
		{"r", 0, int64(40000), nil},
		{"r", math.MinInt32 - 1, math.MinInt16 - 1, nil},
		{"r", 0, 0, "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11"},
		{"r", new(int64), 1, nil},
		{"r", 2.0, 1, nil},
	} {
		q := `INSERT INTO ` + tbl + ` (src, i4, i2, u) VALUES (?, ?, ?, ?)`
		_, werr := Exec(ctx, wire, RawStmt(q, args...))
		_, perr := Exec(ctx, plain, RawStmt(q, args...))
		if fmt.Sprint(werr) != fmt.Sprint(perr) {
			t.Fatalf("%v:\nwren: %v\npgx:  %v", args, werr, perr)
		}
	}
}

// onePGConn opens PostgreSQL through Open with a pool of one connection.
func onePGConn(t *testing.T) *DB {
	t.Helper()
	wireDBs(t) // skips without a server
	u, err := url.Parse(os.Getenv("WREN_POSTGRES_DSN"))
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	q.Set("pool_max_conns", "1")
	u.RawQuery = q.Encode()
	db, err := Open(context.Background(), "postgres", u.String())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// TestDirectStatementsRecover: a statement wren prepared that no longer
// fits its table (another column: "cached plan must not change result
// type") or that the session dropped (DEALLOCATE ALL) fails once, as
// pgx's own cached statements do, and is prepared again for the next
// run (after DEALLOCATE ALL, the others too, without failing); a connection holds at most maxDirectStmts of wren's statements,
// and runs the others through pgx.
func TestDirectStatementsRecover(t *testing.T) {
	db := onePGConn(t)
	ctx := context.Background()
	tbl := fmt.Sprintf("direct_rec_%d", time.Now().UnixNano())
	mustRun := func(text string) {
		t.Helper()
		if _, err := Exec(ctx, db, RawStmt(text)); err != nil {
			t.Fatal(err)
		}
	}
	mustRun(`CREATE TABLE ` + tbl + ` (id int8 PRIMARY KEY, a text)`)
	t.Cleanup(func() { Exec(context.Background(), db, RawStmt(`DROP TABLE `+tbl)) })
	mustRun(`INSERT INTO ` + tbl + ` VALUES (1, 'x')`)
	sel := `SELECT * FROM ` + tbl + ` WHERE id = ?`
	read := func() (map[string]any, error) {
		ms, err := AllMaps(ctx, db, RawStmt(sel, int64(1)))
		if err != nil || len(ms) != 1 {
			return nil, fmt.Errorf("%d rows: %w", len(ms), err)
		}
		return ms[0], nil
	}
	// atMostOnce runs read until it succeeds, allowing one failure that
	// says what changed.
	atMostOnce := func(want int, says string) {
		t.Helper()
		m, err := read()
		if err != nil {
			if !strings.Contains(err.Error(), says) {
				t.Fatalf("first read: %v", err)
			}
			m, err = read()
		}
		if err != nil || len(m) != want {
			t.Fatalf("read: %v %v", m, err)
		}
	}
	atMostOnce(2, "-")
	if !directHas(t, db, sel) {
		t.Fatal("the SELECT did not run directly")
	}
	mustRun(`ALTER TABLE ` + tbl + ` ADD COLUMN b int8 DEFAULT 5`)
	atMostOnce(3, "cached plan must not change result type")
	other := `SELECT a FROM ` + tbl + ` WHERE id = ?`
	if _, err := One[string](ctx, db, RawStmt(other, int64(1))); err != nil {
		t.Fatal(err)
	}
	mustRun(`DEALLOCATE ALL`)
	atMostOnce(3, "does not exist")
	// One failure tells that every statement of the session is gone.
	if a, err := One[string](ctx, db, RawStmt(other, int64(1))); err != nil || a != "x" {
		t.Fatalf("another statement after DEALLOCATE ALL: %q %v", a, err)
	}

	// The bound: the connection's statements stop at maxDirectStmts.
	for i := range maxDirectStmts + 5 {
		n, err := One[int64](ctx, db, RawStmt(fmt.Sprintf("SELECT ?::int8 + %d", i), int64(1)))
		if err != nil || n != int64(i+1) {
			t.Fatalf("statement %d: %d %v", i, n, err)
		}
	}
	c, err := db.Pool().Acquire(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if n := len(stmtsOf(c.Conn().PgConn()).m); n != maxDirectStmts {
		t.Fatalf("%d statements of wren's on the connection", n)
	}
	c.Release()
}

// TestDirectInTransaction: statements of a transaction run directly on
// its connection, see its writes, and go when it rolls back.
func TestDirectInTransaction(t *testing.T) {
	db := onePGConn(t)
	ctx := context.Background()
	tx, err := db.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback(ctx)
	if _, err := Exec(ctx, tx, RawStmt(`CREATE TEMP TABLE direct_tx (id int8, a text)`)); err != nil {
		t.Fatal(err)
	}
	ins := `INSERT INTO direct_tx VALUES (?, ?)`
	for i := range 3 {
		if _, err := Exec(ctx, tx, RawStmt(ins, int64(i), fmt.Sprint("v", i))); err != nil {
			t.Fatal(err)
		}
	}
	got, err := All[string](ctx, tx, RawStmt(`SELECT a FROM direct_tx WHERE id >= ? ORDER BY id`, int64(1)))
	if err != nil || fmt.Sprint(got) != "[v1 v2]" {
		t.Fatalf("%v %v", got, err)
	}
	if err := tx.Rollback(ctx); err != nil {
		t.Fatal(err)
	}
	if !directHas(t, db, ins) {
		t.Fatal("the INSERT in the transaction did not run directly")
	}
	if _, err := All[string](ctx, db, RawStmt(`SELECT a FROM direct_tx WHERE id >= ?`, int64(0))); err == nil {
		t.Fatal("the temporary table outlived its transaction's rollback")
	}
}

// TestDirectErrorsAsPgx: a statement the server refuses when wren
// prepares it, and one that fails after some rows, report what they report
// through pgx; the pool's connection is usable afterwards.
func TestDirectErrorsAsPgx(t *testing.T) {
	wire, plain := wireDBs(t)
	ctx := context.Background()
	for _, text := range []string{
		`SELEC ?::int8`,
		`SELECT no_such_column FROM generate_series(1, ?::int8)`,
		`SELECT 10 / (5 - i) AS v FROM generate_series(1, ?::int8) AS i`,
		`SELECT ?::int8 AS v`,
	} {
		_, werr := All[int64](ctx, wire, RawStmt(text, int64(7)))
		_, perr := All[int64](ctx, plain, RawStmt(text, int64(7)))
		if fmt.Sprint(werr) != fmt.Sprint(perr) {
			t.Fatalf("%s:\nwren: %v\npgx:  %v", text, werr, perr)
		}
		_, werr = Exec(ctx, wire, RawStmt(text, int64(7)))
		_, perr = Exec(ctx, plain, RawStmt(text, int64(7)))
		if fmt.Sprint(werr) != fmt.Sprint(perr) {
			t.Fatalf("Exec %s:\nwren: %v\npgx:  %v", text, werr, perr)
		}
	}
	if n, err := One[int64](ctx, wire, RawStmt(`SELECT ?::int8 + 1`, int64(1))); err != nil || n != 2 {
		t.Fatalf("after the errors: %d %v", n, err)
	}
}
