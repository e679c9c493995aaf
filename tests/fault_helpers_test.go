package tests

// Helpers of the fault suite (fault_*_test.go): the tables it writes, a
// handle with a pool of a chosen size, and the server-side view of the
// connections a test opened (their ids, killing them, what they still run).
// Every kill names a connection id the test read from its own connection
// (pg_backend_pid(), CONNECTION_ID()); nothing else on the shared servers is
// touched.

import (
	"context"
	"database/sql"
	"fmt"
	"net/url"
	"path/filepath"
	"testing"

	"github.com/go-sql-driver/mysql"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/wrensql/wren"
	"github.com/wrensql/wren/dialect"
)

// FaultRowTable holds numbered batches: every row of batch b carries Batch b
// and its position Seq. Its sixteen columns make a Create of more than
// 65535/16 = 4095 rows split into several INSERTs on PostgreSQL and MySQL
// (create.go: MaxParams / columns rows per statement).
type FaultRowTable struct {
	wren.Table
	ID    wren.Column[int64] `wren:",pk"`
	Batch wren.Column[int64] `wren:",index"`
	Seq   wren.Column[int64]
	V1    wren.Column[int64]
	V2    wren.Column[int64]
	V3    wren.Column[int64]
	V4    wren.Column[int64]
	V5    wren.Column[int64]
	V6    wren.Column[int64]
	V7    wren.Column[int64]
	V8    wren.Column[int64]
	V9    wren.Column[int64]
	V10   wren.Column[int64]
	V11   wren.Column[int64]
	V12   wren.Column[int64]
	V13   wren.Column[int64]
}

// FaultRow is a row of FaultRows.
type FaultRow struct {
	ID, Batch, Seq                                         int64
	V1, V2, V3, V4, V5, V6, V7, V8, V9, V10, V11, V12, V13 int64
}

// FaultRows is the batches table.
var FaultRows = wren.NewTable[FaultRowTable]("fault_rows")

// faultBatch returns n rows of batch b, with values derived from b and the
// position so that a row can be recognised.
func faultBatch(b int64, n int) []*FaultRow {
	rows := make([]*FaultRow, n)
	for i := range rows {
		s := int64(i)
		rows[i] = &FaultRow{Batch: b, Seq: s, V1: b, V2: s, V3: b ^ s, V13: b*1_000_000 + s}
	}
	return rows
}

// batchCounts returns, per batch number, how many of its rows are stored.
func batchCounts(ctx context.Context, db wren.Querier) (map[int64]int64, error) {
	type bc struct {
		Batch int64
		N     int64
	}
	got, err := wren.All[bc](ctx, db, wren.Select(FaultRows.Batch, wren.CountAll().As("n")).
		From(FaultRows).GroupBy(FaultRows.Batch))
	if err != nil {
		return nil, err
	}
	m := make(map[int64]int64, len(got))
	for _, g := range got {
		m[g.Batch] = g.N
	}
	return m, nil
}

// openSized opens a handle on a fresh database (a PostgreSQL schema or a
// MySQL database of its own, dropped after the test), with a pool of at most
// conns connections (pool_max_conns on PostgreSQL, SetMaxOpenConns
// elsewhere); conns 0 means 4 on the servers and no bound on SQLite. On
// PostgreSQL the connections carry application_name = the schema name.
func openSized(t *testing.T, name string, conns int) *wren.DB {
	t.Helper()
	ctx := ctxT(t)
	switch name {
	case "sqlite":
		db, err := wren.Open(ctx, "sqlite", filepath.Join(t.TempDir(), "test.db"))
		if err != nil {
			t.Fatal(err)
		}
		if conns > 0 {
			db.SetMaxOpenConns(conns)
		}
		t.Cleanup(func() { db.Close() })
		return db
	case "postgres":
		dsn := needServer(t, "WREN_POSTGRES_DSN", "PostgreSQL")
		adminPG(t, dsn)
		schema := randName()
		if _, err := pgAdmin.Exec(ctx, "CREATE SCHEMA "+schema); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { pgAdmin.Exec(context.Background(), "DROP SCHEMA "+schema+" CASCADE") })
		return openPGSchema(t, dsn, schema, conns)
	case "mysql":
		dsn := needServer(t, "WREN_MYSQL_DSN", "MySQL/MariaDB")
		adminMy(t)
		dbName := randName()
		if _, err := myAdmin.ExecContext(ctx, "CREATE DATABASE "+dbName+" CHARACTER SET utf8mb4"); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { myAdmin.Exec("DROP DATABASE " + dbName) })
		cfg, err := mysql.ParseDSN(dsn)
		if err != nil {
			t.Fatal(err)
		}
		cfg.DBName = dbName
		db, err := wren.Open(ctx, "mysql", cfg.FormatDSN())
		if err != nil {
			t.Fatal(err)
		}
		db.SetMaxOpenConns(serverConns(conns))
		t.Cleanup(func() { db.Close() })
		return db
	}
	panic(fmt.Sprintf("unknown database %q", name))
}

// serverConns is the pool size for conns (0: the harness's 4).
func serverConns(conns int) int {
	if conns <= 0 {
		return 4
	}
	return conns
}

// openPGSchema opens a pgx pool of at most conns connections on schema.
func openPGSchema(t *testing.T, dsn, schema string, conns int) *wren.DB {
	t.Helper()
	u, err := url.Parse(dsn)
	if err != nil {
		t.Fatalf("WREN_POSTGRES_DSN must be a postgres:// URL: %v", err)
	}
	qv := u.Query()
	qv.Set("search_path", schema)
	qv.Set("application_name", schema)
	qv.Set("pool_max_conns", fmt.Sprint(serverConns(conns)))
	u.RawQuery = qv.Encode()
	db, err := wren.Open(ctxT(t), "postgres", u.String())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// second opens another handle on the database of db (same schema or
// database), with a pool of at most conns connections: for a victim whose
// connection ids are known, or for a lock holder.
func second(t *testing.T, db *wren.DB, conns int) *wren.DB {
	t.Helper()
	ctx := ctxT(t)
	switch {
	case db.Dialect() == dialect.Postgres:
		var schema string
		if err := db.Pool().QueryRow(ctx, "SELECT current_schema()").Scan(&schema); err != nil {
			t.Fatal(err)
		}
		return openPGSchema(t, needServer(t, "WREN_POSTGRES_DSN", "PostgreSQL"), schema, conns)
	case db.Dialect().IsMySQLFamily():
		var name string
		if err := db.SQLDB().QueryRowContext(ctx, "SELECT DATABASE()").Scan(&name); err != nil {
			t.Fatal(err)
		}
		cfg, err := mysql.ParseDSN(needServer(t, "WREN_MYSQL_DSN", "MySQL/MariaDB"))
		if err != nil {
			t.Fatal(err)
		}
		cfg.DBName = name
		h, err := wren.Open(ctx, "mysql", cfg.FormatDSN())
		if err != nil {
			t.Fatal(err)
		}
		h.SetMaxOpenConns(conns)
		t.Cleanup(func() { h.Close() })
		return h
	}
	t.Fatalf("second handle on %s: not a server database", db.Dialect())
	return nil
}

func adminPG(t *testing.T, dsn string) {
	t.Helper()
	pgAdminOnce.Do(func() {
		pgAdmin, pgAdminErr = pgxpool.New(context.Background(), dsn)
		if pgAdminErr == nil {
			pgAdminErr = pgAdmin.Ping(context.Background())
		}
	})
	if pgAdminErr != nil {
		t.Fatalf("PostgreSQL at WREN_POSTGRES_DSN is unreachable: %v", pgAdminErr)
	}
}

func adminMy(t *testing.T) {
	t.Helper()
	dsn := needServer(t, "WREN_MYSQL_DSN", "MySQL/MariaDB")
	myAdminOnce.Do(func() {
		myAdmin, myAdminErr = sql.Open("mysql", dsn)
		if myAdminErr == nil {
			myAdminErr = myAdmin.Ping()
		}
	})
	if myAdminErr != nil {
		t.Fatalf("MySQL at WREN_MYSQL_DSN is unreachable: %v", myAdminErr)
	}
}

// connID returns the server's id of the connection q runs on.
func connID(ctx context.Context, q wren.Querier) (int64, error) {
	text := "SELECT CONNECTION_ID()"
	if q.Dialect() == dialect.Postgres {
		text = "SELECT pg_backend_pid()"
	}
	return wren.One[int64](ctx, q, wren.RawStmt(text))
}

// killConn ends the server session id from the administration connection
// (pg_terminate_backend, KILL CONNECTION), or with statementOnly only the
// statement it runs (pg_cancel_backend, KILL QUERY). id must come from
// connID on a connection the test opened.
func killConn(ctx context.Context, d *dialect.Dialect, id int64, statementOnly bool) error {
	if d == dialect.Postgres {
		if statementOnly {
			_, err := pgAdmin.Exec(ctx, "SELECT pg_cancel_backend($1)", id)
			return err
		}
		// With a timeout, pg_terminate_backend returns once the backend has
		// exited (PostgreSQL 14+), as KILL CONNECTION does: whatever the
		// test runs next cannot reach the dying session.
		_, err := pgAdmin.Exec(ctx, "SELECT pg_terminate_backend($1, 5000)", id)
		return err
	}
	what := "CONNECTION"
	if statementOnly {
		what = "QUERY"
	}
	_, err := myAdmin.ExecContext(ctx, fmt.Sprintf("KILL %s %d", what, id))
	return err
}

// serverRunning counts the statements the server is still running whose
// text contains tag (a unique comment the test put in its SQL). The pattern
// is built on the server, so this query's own text does not contain tag.
func serverRunning(ctx context.Context, d *dialect.Dialect, tag string) (int64, error) {
	var n int64
	if d == dialect.Postgres {
		err := pgAdmin.QueryRow(ctx, `SELECT count(*) FROM pg_stat_activity
			WHERE state = 'active' AND pid <> pg_backend_pid() AND query LIKE '%' || $1 || '%'`, tag).Scan(&n)
		return n, err
	}
	err := myAdmin.QueryRowContext(ctx, `SELECT COUNT(*) FROM information_schema.processlist
		WHERE id <> CONNECTION_ID() AND command <> 'Sleep' AND info LIKE CONCAT('%', ?, '%')`, tag).Scan(&n)
	return n, err
}

// poolInUse is the number of connections db's pool has handed out and not
// had back.
func poolInUse(db *wren.DB) int {
	if p := db.Pool(); p != nil {
		return int(p.Stat().AcquiredConns())
	}
	return db.SQLDB().Stats().InUse
}

// poolOpen is the number of connections db's pool holds open.
func poolOpen(db *wren.DB) int {
	if p := db.Pool(); p != nil {
		return int(p.Stat().TotalConns())
	}
	return db.SQLDB().Stats().OpenConnections
}
