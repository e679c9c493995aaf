package tests

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/go-sql-driver/mysql"
	"github.com/matryer/is"

	"github.com/wrensql/wren"
	"github.com/wrensql/wren/dialect"
)

// parentCount counts cparent's rows with hand-written SQL on whatever runs it.
func parentCount(t *testing.T, ctx context.Context, q interface {
	QueryRowContext(context.Context, string, ...any) *sql.Row
}) int64 {
	t.Helper()
	var n int64
	if err := q.QueryRowContext(ctx, "SELECT COUNT(*) FROM cparent").Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func TestInteropSQL(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *wren.DB) {
		if db.SQLDB() == nil {
			t.Skip("a pgx pool: see TestInteropPgx")
		}
		ctx := ctxT(t)
		constraintSchema(t, db)
		schemaOnly(t, db)
		for _, h := range handles(db) {
			is := is.New(t)
			rec := &recorder{}
			h.SetHook(rec)

			// wren inside a *sql.Tx begun by other code: it sees what the
			// other code wrote, and the other code sees wren's rows; the
			// caller's rollback undoes both.
			stx, err := h.SQLDB().BeginTx(ctx, nil)
			is.NoErr(err)
			_, err = stx.ExecContext(ctx, "INSERT INTO cparent (id, name, qty) VALUES (10, 'other code', 1)")
			is.NoErr(err)
			q := h.WithSQLTx(stx)
			is.Equal(q.Dialect(), h.Dialect())
			name, err := wren.One[string](ctx, q, wren.Select(CParents.Name).From(CParents).Where(CParents.ID.Eq(10)))
			is.NoErr(err)
			is.Equal(name, "other code")
			_, err = wren.Exec(ctx, q, wren.Insert(CParents).Rows(CParent{ID: 11, Name: "wren", Qty: 1}))
			is.NoErr(err)
			is.Equal(parentCount(t, ctx, stx), int64(3))
			// Create of many rows takes a savepoint in the caller's
			// transaction where it needs one (MySQL without RETURNING
			// reads the key step in a transaction).
			many := []*NewUser{{Username: "a"}, {Username: "b"}, {Username: "c"}}
			is.NoErr(wren.Create(ctx, q, U, many...))
			is.True(many[0].ID > 0 && many[1].ID > many[0].ID && many[2].ID > many[1].ID)
			is.Equal(parentCount(t, ctx, stx), int64(3))
			// A failed statement does not end the caller's transaction
			// where the database keeps it going.
			_, err = wren.Exec(ctx, q, wren.Insert(CParents).Rows(CParent{ID: 14, Name: "huey", Qty: 1}))
			is.True(errors.Is(err, wren.ErrUniqueViolation))
			is.NoErr(stx.Rollback())
			is.Equal(parentCount(t, ctx, h.SQLDB()), int64(1))
			for _, e := range rec.take() {
				is.True(e.InTx)
			}

			// On a *sql.Conn: statements run on that session.
			sc, err := h.SQLDB().Conn(ctx)
			is.NoErr(err)
			c := h.WithSQLConn(sc)
			_, err = wren.Exec(ctx, c, wren.Insert(CParents).Rows(CParent{ID: 20, Name: "on conn", Qty: 1}))
			is.NoErr(err)
			n, err := wren.Count(ctx, c, wren.Select(CParents.ID).From(CParents))
			is.NoErr(err)
			is.Equal(n, int64(2))
			if h.Dialect() == dialect.MySQL { // stepped keys need a transaction
				err := wren.Create(ctx, c, U, &NewUser{Username: "x"}, &NewUser{Username: "y"})
				is.True(err != nil && strings.Contains(err.Error(), "WithSQLTx"))
			}
			_, err = wren.Exec(ctx, c, wren.Delete(CParents).Where(CParents.ID.Eq(20)))
			is.NoErr(err)
			is.NoErr(sc.Close())
			for _, e := range rec.take() {
				is.True(!e.InTx)
			}

			// The connection under a wren Tx, for other code.
			tx, err := h.Begin(ctx)
			is.NoErr(err)
			is.True(tx.PgxTx() == nil)
			_, err = wren.Exec(ctx, tx, wren.Insert(CParents).Rows(CParent{ID: 30, Name: "in tx", Qty: 1}))
			is.NoErr(err)
			is.Equal(parentCount(t, ctx, tx.SQLConn()), int64(2))
			is.NoErr(tx.Rollback(ctx))
			is.Equal(parentCount(t, ctx, h.SQLDB()), int64(1))
		}
	})
}

func TestInteropPgx(t *testing.T) {
	t.Parallel()
	is := is.New(t)
	ctx := ctxT(t)
	db := openTestDB(t, "postgres")
	constraintSchema(t, db)
	rec := &recorder{}
	db.SetHook(rec)

	// wren inside a pgx.Tx begun by other code.
	ptx, err := db.Pool().Begin(ctx)
	is.NoErr(err)
	_, err = ptx.Exec(ctx, "INSERT INTO cparent (id, name, qty) VALUES (10, 'other code', 1)")
	is.NoErr(err)
	q := db.WithPgxTx(ptx)
	is.Equal(q.Dialect(), dialect.Postgres)
	name, err := wren.One[string](ctx, q, wren.Select(CParents.Name).From(CParents).Where(CParents.ID.Eq(10)))
	is.NoErr(err)
	is.Equal(name, "other code")
	is.NoErr(wren.Create(ctx, q, CParents, &CParent{ID: 11, Name: "a", Qty: 1}, &CParent{ID: 12, Name: "b", Qty: 1}))
	var n int64
	is.NoErr(ptx.QueryRow(ctx, "SELECT COUNT(*) FROM cparent").Scan(&n))
	is.Equal(n, int64(4))
	// A Create too big for one INSERT runs its INSERTs in a savepoint of
	// the caller's transaction: when one fails, the savepoint undoes them
	// all, and the caller's transaction goes on (PostgreSQL would refuse
	// every later statement of a transaction whose statement failed).
	big := make([]*CParent, 65535/3+1)
	for i := range big {
		big[i] = &CParent{ID: int64(100 + i), Name: fmt.Sprint("n", i), Qty: 1}
	}
	big[len(big)-1].Name = "huey"
	err = wren.Create(ctx, q, CParents, big...)
	is.True(errors.Is(err, wren.ErrUniqueViolation))
	is.NoErr(ptx.QueryRow(ctx, "SELECT COUNT(*) FROM cparent").Scan(&n))
	is.Equal(n, int64(4))
	is.NoErr(ptx.Rollback(ctx))
	count, err := wren.Count(ctx, db, wren.Select(CParents.ID).From(CParents))
	is.NoErr(err)
	is.Equal(count, int64(1))
	ev := rec.take()
	is.True(len(ev) >= 3)
	for _, e := range ev[:3] {
		is.True(e.InTx)
	}

	// The pgx.Tx under a wren Tx, for code that takes one.
	tx, err := db.Begin(ctx)
	is.NoErr(err)
	is.True(tx.SQLConn() == nil)
	_, err = wren.Exec(ctx, tx, wren.Insert(CParents).Rows(CParent{ID: 30, Name: "in tx", Qty: 1}))
	is.NoErr(err)
	is.NoErr(tx.PgxTx().QueryRow(ctx, "SELECT COUNT(*) FROM cparent").Scan(&n))
	is.Equal(n, int64(2))
	is.NoErr(tx.Commit(ctx))
	count, err = wren.Count(ctx, db, wren.Select(CParents.ID).From(CParents))
	is.NoErr(err)
	is.Equal(count, int64(2))
}

func TestCheckSetup(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *wren.DB) {
		is := is.New(t)
		ctx := ctxT(t)
		is.NoErr(db.CheckSetup(ctx)) // Open sets everything up
		switch db.Dialect() {
		case dialect.SQLite:
			raw, err := sql.Open("sqlite", filepath.Join(t.TempDir(), "raw.db"))
			is.NoErr(err)
			defer raw.Close()
			err = wren.OpenDB(raw, dialect.SQLite).CheckSetup(ctx)
			is.True(err != nil)
			for _, want := range []string{"_pragma=foreign_keys(1)", "_pragma=busy_timeout(5000)", "_time_format=sqlite"} {
				is.True(strings.Contains(err.Error(), want))
			}
		case dialect.MySQL, dialect.MariaDB:
			cfg, err := mysql.ParseDSN(os.Getenv("WREN_MYSQL_DSN"))
			is.NoErr(err)
			cfg.ParseTime = false
			raw, err := sql.Open("mysql", cfg.FormatDSN())
			is.NoErr(err)
			defer raw.Close()
			err = wren.OpenDB(raw, db.Dialect()).CheckSetup(ctx)
			is.True(err != nil && strings.Contains(err.Error(), "parseTime=true"))
			is.True(!strings.Contains(err.Error(), "dialect")) // the right dialect
			cfg.ParseTime = true
			fixed, err := sql.Open("mysql", cfg.FormatDSN())
			is.NoErr(err)
			defer fixed.Close()
			is.NoErr(wren.OpenDB(fixed, db.Dialect()).CheckSetup(ctx))
			is.NoErr(wren.OpenDB(fixed, dialect.MySQL).CheckSetup(ctx)) // MySQL 8's SQL runs on MariaDB
		}
	})
}
