package wren

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/wrensql/wren/dialect"
)

// Conn runs wren statements on a transaction or connection that other code
// owns — sqlc's queries, plain database/sql or pgx — so that both share it:
//
//	tx, _ := sqlDB.BeginTx(ctx, nil)       // yours
//	defer tx.Rollback()
//	q := db.WithSQLTx(tx)                  // db renders for the right dialect
//	_, err := wren.Exec(ctx, q, wren.Update(Users).Set(…).Where(…))
//	… other code runs on tx …
//	tx.Commit()
//
// Every query helper takes a Conn as it takes a DB or Tx. wren never
// commits, rolls back or closes what a Conn runs on; the DB's hook sees its
// statements. Inside a transaction, a helper that needs atomicity of its
// own (Create of many rows) takes a savepoint in the caller's transaction.
type Conn struct {
	d    *dialect.Dialect
	c    conn // with the DB's hook
	raw  conn
	inTx bool
}

// Dialect returns the dialect statements are rendered for.
func (c *Conn) Dialect() *dialect.Dialect { return c.d }

func (c *Conn) conn() conn { return c.c }

func (db *DB) borrow(d *dialect.Dialect, raw conn, inTx bool) *Conn {
	return &Conn{d: d, c: withHook(raw, db.hook, d, inTx), raw: raw, inTx: inTx}
}

// WithSQLTx returns a Conn that runs statements in tx, a database/sql
// transaction begun by other code, rendered for db's dialect.
func (db *DB) WithSQLTx(tx *sql.Tx) *Conn { return db.borrow(db.d, sqlConn{db: tx}, true) }

// WithSQLConn returns a Conn that runs statements on c, a database/sql
// connection other code holds (a session with its own settings or
// temporary tables), rendered for db's dialect. wren does not know whether
// c is inside a transaction, and refuses helpers that need one (Create of
// many rows): use WithSQLTx for those.
func (db *DB) WithSQLConn(c *sql.Conn) *Conn { return db.borrow(db.d, sqlConn{db: c}, false) }

// WithPgxTx returns a Conn that runs statements in tx, a pgx transaction
// begun by other code, through pgx's native interface, rendered for
// PostgreSQL.
func (db *DB) WithPgxTx(tx pgx.Tx) *Conn { return db.borrow(dialect.Postgres, pgxConn{db: tx}, true) }

// atomic runs fn in a savepoint of the borrowed transaction.
func (c *Conn) atomic(ctx context.Context, fn func(tx *Tx) error) error {
	if !c.inTx {
		return errors.New("wren: this needs a transaction, and a Conn made by WithSQLConn may not be in one: begin it (c.BeginTx) and use DB.WithSQLTx")
	}
	// A Tx over the borrowed transaction, used only as the parent of the
	// savepoint: it is never committed or rolled back itself.
	root := &txRoot{run: c.raw, stmt: c.c}
	root.self = &Tx{d: c.d, root: root}
	return root.self.Atomic(ctx, fn)
}

// SQLConn returns the database/sql connection a transaction runs on (wren
// sent BEGIN on it), or nil for a pgx transaction. Statements run on it are
// part of the transaction, in its innermost open savepoint; do not commit,
// roll back or close it: use the Tx.
func (tx *Tx) SQLConn() *sql.Conn { return tx.root.sc }

// PgxTx returns the pgx transaction under a transaction on a pgx pool, or
// nil for a database/sql one, for code that takes a pgx.Tx. Statements run
// on it are part of the transaction; end it through the wren Tx.
func (tx *Tx) PgxTx() pgx.Tx { return tx.root.pgTx }

// CheckSetup reports each setting of db's connections that differs from
// what Open sets up, naming the DSN parameter that fixes it. It is meant
// for a pool given to OpenDB, which wren cannot reconfigure:
//
//	SQLite         foreign keys on (_pragma=foreign_keys(1)), a busy
//	               timeout (_pragma=busy_timeout(5000)), times written as
//	               ISO-8601 text (_time_format=sqlite)
//	MySQL/MariaDB  DATETIME read as time.Time (parseTime=true), a
//	               connection charset in which quoted names cannot end
//	               early (utf8mb4), dialect.MariaDB only on a MariaDB server
//
// PostgreSQL needs nothing. It returns nil when all is as Open makes it.
func (db *DB) CheckSetup(ctx context.Context) error {
	if db.sqlDB == nil {
		return nil
	}
	var errs []error
	switch db.d {
	case dialect.SQLite:
		var fk, busy int
		if err := db.sqlDB.QueryRowContext(ctx, "PRAGMA foreign_keys").Scan(&fk); err != nil {
			return fmt.Errorf("wren: check setup: %w", err)
		}
		if fk != 1 {
			errs = append(errs, errors.New("wren: sqlite: foreign keys are off: add _pragma=foreign_keys(1) to the DSN"))
		}
		if err := db.sqlDB.QueryRowContext(ctx, "PRAGMA busy_timeout").Scan(&busy); err != nil {
			return fmt.Errorf("wren: check setup: %w", err)
		}
		if busy == 0 {
			errs = append(errs, errors.New("wren: sqlite: no busy timeout (a writer fails at once while another holds the lock): add _pragma=busy_timeout(5000) to the DSN"))
		}
		var text string
		t := time.Date(2000, 1, 2, 3, 4, 5, 0, time.UTC)
		if err := db.sqlDB.QueryRowContext(ctx, "SELECT ?", t).Scan(&text); err != nil {
			return fmt.Errorf("wren: check setup: %w", err)
		}
		if text != "2000-01-02 03:04:05+00:00" {
			errs = append(errs, fmt.Errorf("wren: sqlite: times are written as %q, which does not sort or compare as a time: add _time_format=sqlite to the DSN", text))
		}
	case dialect.MySQL, dialect.MariaDB:
		var version, charset string
		var now any
		if err := db.sqlDB.QueryRowContext(ctx, "SELECT VERSION(), @@character_set_client, CAST('2000-01-02 03:04:05' AS DATETIME)").Scan(&version, &charset, &now); err != nil {
			return fmt.Errorf("wren: check setup: %w", err)
		}
		if _, ok := now.(time.Time); !ok {
			errs = append(errs, errors.New("wren: mysql: DATETIME values come back as text: add parseTime=true to the DSN"))
		}
		if !db.d.ClientCharsetSafe(charset) {
			errs = append(errs, fmt.Errorf("wren: mysql: connection charset %s can end a character with a backtick byte, so a quoted identifier could end early: use charset=utf8mb4", charset))
		}
		if db.d == dialect.MariaDB && !strings.Contains(strings.ToLower(version), "mariadb") {
			errs = append(errs, fmt.Errorf("wren: mysql: the server (%s) is not MariaDB, but the dialect is %s: use dialect.MySQL", version, db.d))
		}
	}
	return errors.Join(errs...)
}
