// Package tests is wren's integration suite. Every test runs against real
// SQLite (embedded, a temporary file), PostgreSQL and MySQL/MariaDB, each
// in a database or schema of its own, so tests run in parallel without
// seeing each other's tables.
//
// PostgreSQL and MySQL come from WREN_POSTGRES_DSN (a postgres:// URL) and
// WREN_MYSQL_DSN (go-sql-driver form, e.g. "root@tcp(127.0.0.1:3306)/").
// Without them those runs are skipped, except when CI is set: then a missing
// or unreachable server fails the run.
package tests

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/go-sql-driver/mysql"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/wrensql/wren"
)

// forEachDB runs fn as a subtest per database, each with a fresh, empty
// database of its own.
func forEachDB(t *testing.T, fn func(t *testing.T, db *wren.DB)) {
	t.Helper()
	t.Parallel()
	for _, name := range []string{"sqlite", "postgres", "mysql"} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			db := openTestDB(t, name)
			fn(t, db)
		})
	}
}

func ctxT(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	t.Cleanup(cancel)
	return ctx
}

func randName() string {
	b := make([]byte, 6)
	rand.Read(b)
	return "wt_" + hex.EncodeToString(b)
}

func needServer(t *testing.T, env, what string) string {
	dsn := os.Getenv(env)
	if dsn == "" {
		if os.Getenv("CI") != "" {
			t.Fatalf("CI is set but %s is empty: %s tests must run", env, what)
		}
		t.Skipf("%s not set: set it to run the %s tests (see README)", env, what)
	}
	return dsn
}

var (
	pgAdminOnce sync.Once
	pgAdmin     *pgxpool.Pool
	pgAdminErr  error
	myAdminOnce sync.Once
	myAdmin     *sql.DB
	myAdminErr  error
)

func openTestDB(t *testing.T, name string) *wren.DB {
	t.Helper()
	ctx := ctxT(t)
	switch name {
	case "sqlite":
		db, err := wren.Open(ctx, "sqlite", filepath.Join(t.TempDir(), "test.db"))
		if err != nil {
			t.Fatal(err)
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
		u, err := url.Parse(dsn)
		if err != nil {
			t.Fatalf("WREN_POSTGRES_DSN must be a postgres:// URL: %v", err)
		}
		qv := u.Query()
		qv.Set("search_path", schema)
		qv.Set("pool_max_conns", "4")
		u.RawQuery = qv.Encode()
		db, err := wren.Open(ctx, "postgres", u.String())
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() {
			db.Close()
			pgAdmin.Exec(context.Background(), "DROP SCHEMA "+schema+" CASCADE")
		})
		return db
	case "mysql":
		dsn := needServer(t, "WREN_MYSQL_DSN", "MySQL/MariaDB")
		adminMy(t)
		dbName := randName()
		if _, err := myAdmin.ExecContext(ctx, "CREATE DATABASE "+dbName+" CHARACTER SET utf8mb4"); err != nil {
			t.Fatal(err)
		}
		cfg, err := mysql.ParseDSN(dsn)
		if err != nil {
			t.Fatal(err)
		}
		cfg.DBName = dbName
		db, err := wren.Open(ctx, "mysql", cfg.FormatDSN())
		if err != nil {
			t.Fatal(err)
		}
		db.SetMaxOpenConns(4)
		t.Cleanup(func() {
			db.Close()
			myAdmin.Exec("DROP DATABASE " + dbName)
		})
		return db
	}
	panic(fmt.Sprintf("unknown database %q", name))
}

// mustExec runs hand-written SQL (fixtures), failing the test on error.
func mustExec(t *testing.T, db *wren.DB, sql string, args ...any) {
	t.Helper()
	if _, err := wren.Exec(ctxT(t), db, wren.RawStmt(sql, args...)); err != nil {
		t.Fatalf("%s: %v", sql, err)
	}
}
