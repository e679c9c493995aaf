package wren

import (
	"context"
	"fmt"
	"os"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

// wireRow has a field of the Go type pgx gives each column type that
// PostgreSQL queries decode themselves (scan.Row.UseWire).
type wireRow struct {
	I8   int64
	I8n  int
	T    string
	VC   string
	BP   string
	NM   string
	UK   string
	I4   int32
	I4w  int64
	I2   int16
	I2m  int32
	I2w  int64
	F8   float64
	F4   float32
	B    bool
	TSTZ time.Time
	TS   time.Time
	D    time.Time
	U    [16]byte
	BY   []byte
}

// wireRows is a result of wireRow's columns, edge values included:
// extremes of each integer, NaN, infinities and -0, empty and multi-byte
// text, times before and after PostgreSQL's epoch (2000-01-01) and
// before the Unix epoch, with and without fractions, and empty bytes.
const wireRows = `SELECT i8, i8n, t, vc, bp, nm, uk, i4::int4 AS i4, i4w::int4 AS i4w, i2::int2 AS i2, i2m::int2 AS i2m, i2w::int2 AS i2w,
 f8, f4::float4 AS f4, b, tstz, ts, d, u, by FROM (VALUES
 (1::int8, 2::int8, 'a'::text, 'vc'::varchar(9), 'bp'::char(5), 'nm'::name, 'uk', 5::int4, 6::int4, 3::int2, 4::int2, 7::int2,
  1.5::float8, 2.5::float4, true, '2024-05-06 07:08:09.123456+02'::timestamptz, '1999-12-31 23:59:59.999999'::timestamp,
  '1970-01-01'::date, 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11'::uuid, '\x0001ff'::bytea),
 (-9223372036854775808, 9223372036854775807, '', '', '', '', '', -2147483648, 2147483647, -32768, 32767, -1,
  'NaN', '-Infinity', false, '1969-07-20 20:17:40.5+00', '1900-02-28 12:00:00.000001', '0001-01-01', '00000000-0000-0000-0000-000000000000', ''::bytea),
 (0, -1, 'été ✓ 日本', repeat('x', 300), 'abcde', 'n', 'u', 0, -7, 0, -2, 0,
  '-0', 'Infinity', true, '0044-03-15 12:00:00 BC', '9999-12-31 23:59:59.999999', '2000-01-01', 'ffffffff-ffff-ffff-ffff-ffffffffffff', '\xdeadbeef'::bytea),
 (42, 43, 't', 'v', 'b', 'n', 'u', 1, 2, 3, 4, 5,
  1e300, 1e-30, false, '2000-01-01 00:00:00+00', '2000-01-01 00:00:00', '1999-12-31', 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', '\x00'::bytea)
) AS v(i8, i8n, t, vc, bp, nm, uk, i4, i4w, i2, i2m, i2w, f8, f4, b, tstz, ts, d, u, by)`

// wireDBs opens the PostgreSQL database twice: through Open, whose
// queries decode wire forms themselves, and through OpenPool on a pool
// whose config has an AfterConnect hook, where pgx decodes everything.
func wireDBs(t *testing.T) (wire, plain *DB) {
	t.Helper()
	dsn := os.Getenv("WREN_POSTGRES_DSN")
	if dsn == "" {
		if os.Getenv("CI") != "" {
			t.Fatal("CI is set but WREN_POSTGRES_DSN is empty")
		}
		t.Skip("WREN_POSTGRES_DSN not set")
	}
	ctx := context.Background()
	wire, err := Open(ctx, "postgres", dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { wire.Close() })
	cfg, err := pgxpool.ParseConfig(dsn)
	if err != nil {
		t.Fatal(err)
	}
	cfg.AfterConnect = func(context.Context, *pgx.Conn) error { return nil }
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(pool.Close)
	return wire, OpenPool(pool)
}

// wired reports whether q's rows, read into T from db, are decoded by
// wren rather than by pgx's Scan.
func wired[T any](t *testing.T, db Querier, q Statement) bool {
	t.Helper()
	rs, plan, err := start[T](context.Background(), db, q, false)
	if err != nil {
		t.Fatal(err)
	}
	defer rs.Close()
	row := plan.NewRow()
	defer row.Release()
	useWire(rs, row)
	return row.Wired()
}

// same fails unless a and b print alike in Go syntax: times with their
// locations, floats to the bit where they differ (NaN, -0).
func same(t *testing.T, what string, a, b any) {
	t.Helper()
	if x, y := fmt.Sprintf("%#v", a), fmt.Sprintf("%#v", b); x != y {
		t.Fatalf("%s: decoded by wren\n%s\nby pgx\n%s", what, x, y)
	}
}

// TestWireDecodesAsPgx: rows decoded by wren from PostgreSQL's wire forms
// equal what pgx's Scan stores, value for value, for every column type
// and field type decoded (One, All with and without text blocks, Iter,
// a transaction); a pool with an AfterConnect hook, a column type not
// decoded, or a field of another type leaves the query to pgx; a NULL
// or an infinite time goes to pgx for its row, which reports its own
// error.
func TestWireDecodesAsPgx(t *testing.T) {
	wire, plain := wireDBs(t)
	ctx := context.Background()
	q := RawStmt(wireRows)
	if !wired[wireRow](t, wire, q) {
		t.Fatal("Open's pool: the rows are not decoded by wren")
	}
	if wired[wireRow](t, plain, q) {
		t.Fatal("a pool with AfterConnect: the rows are decoded by wren")
	}
	got, err := All[wireRow](ctx, wire, q)
	if err != nil {
		t.Fatal(err)
	}
	want, err := All[wireRow](ctx, plain, q)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 4 {
		t.Fatalf("%d rows", len(got))
	}
	same(t, "All", got, want)
	if got[0].TSTZ.Location() != time.Local || got[0].TS.Location() != time.UTC {
		t.Fatalf("locations %v, %v", got[0].TSTZ.Location(), got[0].TS.Location())
	}

	one, err := One[wireRow](ctx, wire, RawStmt(wireRows+" WHERE i8 = 0"))
	if err != nil {
		t.Fatal(err)
	}
	same(t, "One", one, want[2])
	var iterated []wireRow
	for r, err := range Iter[wireRow](ctx, wire, q) {
		if err != nil {
			t.Fatal(err)
		}
		iterated = append(iterated, r)
	}
	same(t, "Iter", iterated, want)

	// Many rows, text in shared blocks (All of an unknown number).
	many := RawStmt(`SELECT i AS i8, i AS i8n, 'text ' || i AS t, repeat('v', i % 300) AS vc, 'b' AS bp, 'n'::name AS nm, 'u' AS uk,
		i::int4 AS i4, -i::int4 AS i4w, (i % 30000)::int2 AS i2, 1::int2 AS i2m, 2::int2 AS i2w, i / 7.0::float8 AS f8, i::float4 AS f4,
		i % 2 = 0 AS b, now() - i * interval '1 hour 1 microsecond' AS tstz, localtimestamp(6) AS ts, current_date - i AS d,
		md5(i::text)::uuid AS u, decode(md5(i::text), 'hex') AS by FROM generate_series(1, 500) AS i`)
	if !wired[wireRow](t, wire, many) {
		t.Fatal("generated rows are not decoded by wren")
	}
	mg, err := All[wireRow](ctx, wire, many)
	if err != nil {
		t.Fatal(err)
	}
	mw, err := All[wireRow](ctx, plain, many)
	if err != nil {
		t.Fatal(err)
	}
	for i := range mg { // now() and localtimestamp differ between the two queries
		mg[i].TSTZ, mg[i].TS, mw[i].TSTZ, mw[i].TS = time.Time{}, time.Time{}, time.Time{}, time.Time{}
	}
	same(t, "500 generated rows", mg, mw)

	// In a transaction.
	tx, err := wire.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if !wired[wireRow](t, tx, q) {
		t.Fatal("in a transaction: the rows are not decoded by wren")
	}
	inTx, err := All[wireRow](ctx, tx, q)
	if err != nil {
		t.Fatal(err)
	}
	same(t, "in a transaction", inTx, want)
	if err := tx.Rollback(ctx); err != nil {
		t.Fatal(err)
	}
}

// wirePtrRow has pointer fields of the types decoded.
type wirePtrRow struct {
	I8   *int64
	T    *string
	I4   *int32
	I2   *int16
	F8   *float64
	F4   *float32
	B    *bool
	TSTZ *time.Time
	D    *time.Time
	U    *[16]byte
	BY   *[]byte
}

// deref prints the values of a slice of structs whose fields are
// pointers, nil as <nil>.
func deref(rows any) string {
	var b strings.Builder
	v := reflect.ValueOf(rows)
	for i := range v.Len() {
		r := v.Index(i)
		for j := range r.NumField() {
			if f := r.Field(j); f.IsNil() {
				b.WriteString("<nil> ")
			} else {
				fmt.Fprintf(&b, "%#v ", f.Elem().Interface())
			}
		}
		b.WriteString("\n")
	}
	return b.String()
}

// TestWirePointers: pointer fields get nil for NULL and a value of their
// own otherwise, as pgx gives them, with and without text blocks.
func TestWirePointers(t *testing.T) {
	wire, plain := wireDBs(t)
	ctx := context.Background()
	q := RawStmt(`SELECT CASE WHEN i % 2 = 0 THEN i END::int8 AS i8, CASE WHEN i % 3 = 0 THEN 't' || i END AS t,
		CASE WHEN i % 5 = 0 THEN i END::int4 AS i4, CASE WHEN i % 4 = 0 THEN i END::int2 AS i2,
		CASE WHEN i % 6 = 0 THEN i / 3.0 END::float8 AS f8, CASE WHEN i % 7 = 0 THEN i END::float4 AS f4,
		CASE WHEN i % 2 = 1 THEN i % 3 = 0 END AS b, CASE WHEN i % 8 = 0 THEN timestamptz '2020-02-02 02:02:02.5+00' + i * interval '1 day' END AS tstz,
		CASE WHEN i % 9 = 0 THEN date '1999-01-01' + i END AS d, CASE WHEN i % 10 = 0 THEN md5(i::text)::uuid END AS u,
		CASE WHEN i % 11 = 0 THEN decode(md5(i::text), 'hex') END AS by FROM generate_series(0, 99) AS i ORDER BY i`)
	if !wired[wirePtrRow](t, wire, q) {
		t.Fatal("pointer fields: not decoded by wren")
	}
	got, err := All[wirePtrRow](ctx, wire, q)
	if err != nil {
		t.Fatal(err)
	}
	want, err := All[wirePtrRow](ctx, plain, q)
	if err != nil {
		t.Fatal(err)
	}
	if g, w := deref(got), deref(want); g != w {
		t.Fatalf("decoded by wren\n%s\nby pgx\n%s", g, w)
	}
	if got[1].I8 != nil || got[2].I8 == nil || *got[2].I8 != 2 || got[3].T == nil || *got[3].T != "t3" {
		t.Fatalf("rows 1-3: %s", deref(got[1:4]))
	}
	one, err := One[wirePtrRow](ctx, wire, RawStmt(`SELECT * FROM (`+q.(rawStmt).x.sql+`) AS q WHERE i8 = 60`))
	if err != nil {
		t.Fatal(err)
	}
	if g, w := deref([]wirePtrRow{one}), deref(want[60:61]); g != w {
		t.Fatalf("One: decoded by wren\n%s\nby pgx\n%s", g, w)
	}
}

// TestWireLeavesTheRestToPgx: columns and fields wren does not decode
// itself, and values it leaves to pgx, read exactly as pgx reads them,
// errors included.
func TestWireLeavesTheRestToPgx(t *testing.T) {
	wire, plain := wireDBs(t)
	ctx := context.Background()

	// A column type not decoded (numeric) beside a field of another type
	// (int8 into int32, which pgx checks for range) and a pointer to int64
	// that gets an int4, or NULL text.
	type other struct {
		N  float64
		I  int32
		P  *int64
		OK int64
	}
	for _, text := range []string{
		`SELECT 1.25::numeric AS n, 7::int8 AS i, 4 AS p, 1::int8 AS ok`,
		`SELECT 1.25::numeric AS n, 9999999999::int8 AS i, NULL AS p, 1::int8 AS ok`,
	} {
		q := RawStmt(text)
		if wired[other](t, wire, q) {
			t.Fatalf("%s: decoded by wren", text)
		}
		a, aerr := One[other](ctx, wire, q)
		b, berr := One[other](ctx, plain, q)
		if a.P != nil && b.P != nil && *a.P == *b.P {
			a.P, b.P = nil, nil
		}
		same(t, text, fmt.Sprint(a, aerr), fmt.Sprint(b, berr))
	}

	// Rows wren hands to pgx one by one: NULL into a field that cannot
	// hold it, infinite times and dates. Each fails as pgx fails it,
	// naming the column and the field.
	type times struct {
		ID int64
		T  time.Time
		S  string
	}
	for _, text := range []string{
		`SELECT 1::int8 AS id, now() AS t, NULL::text AS s`,
		`SELECT 1::int8 AS id, 'infinity'::timestamptz AS t, 's' AS s`,
		`SELECT 1::int8 AS id, '-infinity'::timestamp AS t, 's' AS s`,
		`SELECT 1::int8 AS id, 'infinity'::date AS t, 's' AS s`,
		`SELECT i::int8 AS id, CASE WHEN i = 30 THEN 'infinity' ELSE '2020-01-01' END::date AS t, 's' || i AS s FROM generate_series(1, 40) AS i`,
		`SELECT i::int8 AS id, '2020-01-01'::date AS t, CASE WHEN i = 30 THEN NULL ELSE 's' || i END AS s FROM generate_series(1, 40) AS i`,
	} {
		q := RawStmt(text)
		if !wired[times](t, wire, q) {
			t.Fatalf("%s: not decoded by wren", text)
		}
		_, aerr := All[times](ctx, wire, q)
		_, berr := All[times](ctx, plain, q)
		if aerr == nil || berr == nil || aerr.Error() != berr.Error() {
			t.Fatalf("%s:\nwren: %v\npgx:  %v", text, aerr, berr)
		}
		if !strings.Contains(aerr.Error(), "field") {
			t.Fatalf("%s: %v does not name the field", text, aerr)
		}
		_, aerr = One[times](ctx, wire, q)
		_, berr = One[times](ctx, plain, q)
		if fmt.Sprint(aerr) != fmt.Sprint(berr) {
			t.Fatalf("%s: One:\nwren: %v\npgx:  %v", text, aerr, berr)
		}
	}
}
