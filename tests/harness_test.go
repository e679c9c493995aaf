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
	"os"
	"sync"
	"testing"
	"time"

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

// openTestDB opens a handle on a fresh database of its own: pools of 4
// connections on the servers, database/sql's default on SQLite.
func openTestDB(t *testing.T, name string) *wren.DB {
	t.Helper()
	return openSized(t, name, 0)
}

// mustExec runs hand-written SQL (fixtures), failing the test on error.
func mustExec(t *testing.T, db *wren.DB, sql string, args ...any) {
	t.Helper()
	if _, err := wren.Exec(ctxT(t), db, wren.RawStmt(sql, args...)); err != nil {
		t.Fatalf("%s: %v", sql, err)
	}
}
