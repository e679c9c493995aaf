package wren

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	satomic "sync/atomic"
	"time"

	"github.com/go-sql-driver/mysql"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"modernc.org/sqlite" // also registers the "sqlite" database/sql driver

	"github.com/wrensql/wren/dialect"
)

// Querier is what every query helper runs on: a [*DB], a [*Tx], or a
// [*Conn] on a transaction or connection other code owns.
type Querier interface {
	// Dialect is the dialect statements are rendered for.
	Dialect() *dialect.Dialect
	conn() conn
}

// DB is a handle on a database: a connection pool and the dialect to render
// for. It is safe for concurrent use.
type DB struct {
	d     *dialect.Dialect
	c     conn
	sqlDB *sql.DB       // database/sql pool (MySQL, SQLite, or one given to OpenDB)
	pool  *pgxpool.Pool // native pgx pool (PostgreSQL)
	// pgWire: pool's connections have pgx's default type map (no
	// AfterConnect hook could register types), so queries may decode
	// common column types themselves (pgxConn.wire).
	pgWire bool
	// pgDirect: statements may also run on pgconn directly (pgdirect.go).
	pgDirect bool
	stmts    *stmtCache
	owned    bool      // Close closes the pool
	keep     *sql.Conn // held open for the life of an in-memory SQLite database
	hook     Hook      // set by SetHook; c reports to it
	// mysqlWrapped: the pool's connections are wren's MySQL wrappers
	// (Open), which can collect an INSERT's RETURNING keys (keysSink).
	mysqlWrapped bool
	// noSteppedKeys: the server's auto-increment lock mode (2) does not
	// promise stepped keys; Create stops asking the connections for them.
	noSteppedKeys satomic.Bool
}

// stmtCacheSize bounds the prepared statements kept per database/sql pool.
const stmtCacheSize = 512

// Open connects to a database:
//
//	"sqlite"    modernc.org/sqlite (pure Go, embedded); dsn is a file name or
//	            "file:…" URI. ":memory:" (or "file::memory:") is one
//	            in-memory database shared by the DB's connections, gone
//	            when the DB is closed; each Open makes a new one. Foreign
//	            keys are switched on, writers wait up to 5 s for a lock,
//	            and times are stored as ISO-8601 text ("2006-01-02
//	            15:04:05.999999999-07:00"), unless the DSN sets those
//	            itself. Each connection keeps its own bounded cache of
//	            prepared statements (queries and writes, in transactions
//	            too; not BEGIN, SAVEPOINT or schema statements), so SQLite
//	            compiles a text once per connection. The connections
//	            sql.Conn.Raw hands out are wren's; their Unwrap method
//	            returns the driver's.
//	"postgres"  pgx v5 with its own pool, used natively; dsn is a pgx
//	            connection string ("postgres://user@host/db?search_path=s").
//	"mysql"     go-sql-driver/mysql; dsn is that driver's form
//	            ("root@tcp(127.0.0.1:3306)/db"). Times are parsed into
//	            time.Time in UTC unless the DSN says otherwise. A MariaDB
//	            server is detected and gets dialect.MariaDB. Each
//	            connection keeps its own bounded cache of prepared
//	            statements, and a statement whose context ends is stopped
//	            on the server (KILL CONNECTION from another connection); a
//	            pool given to OpenDB has neither. A connection charset in
//	            which a character can end with a backtick byte (gbk,
//	            gb18030, big5, sjis, cp932) is refused: quoted names could
//	            end early in it. Use utf8mb4 (the driver's default).
//
// Open checks that the database answers before it returns.
func Open(ctx context.Context, driver, dsn string) (*DB, error) {
	switch driver {
	case "postgres", "postgresql", "pgx":
		pool, err := pgxpool.New(ctx, dsn)
		if err != nil {
			return nil, fmt.Errorf("wren: open postgres: %w", err)
		}
		if err := pool.Ping(ctx); err != nil {
			pool.Close()
			return nil, fmt.Errorf("wren: open postgres: %w", err)
		}
		db := OpenPool(pool)
		db.owned = true
		return db, nil
	case "mysql", "mariadb":
		cfg, err := mysql.ParseDSN(dsn)
		if err != nil {
			return nil, fmt.Errorf("wren: open mysql: %w", err)
		}
		if !strings.Contains(dsn, "parseTime=") {
			cfg.ParseTime = true
		}
		connector, err := newMySQLConnector(cfg)
		if err != nil {
			return nil, fmt.Errorf("wren: open mysql: %w", err)
		}
		sdb := sql.OpenDB(connector)
		var version, charset string
		if err := sdb.QueryRowContext(ctx, "SELECT VERSION(), @@character_set_client").Scan(&version, &charset); err != nil {
			sdb.Close()
			return nil, fmt.Errorf("wren: open mysql: %w", err)
		}
		d := dialect.MySQL
		if strings.Contains(strings.ToLower(version), "mariadb") {
			d = dialect.MariaDB
		}
		if !d.ClientCharsetSafe(charset) {
			sdb.Close()
			return nil, fmt.Errorf("wren: open mysql: connection charset %s is not supported: a character in it can end with a backtick byte, so a quoted identifier could end early; use charset=utf8mb4", charset)
		}
		// Each connection caches its own prepared statements.
		return &DB{d: d, sqlDB: sdb, c: sqlConn{db: sdb}, owned: true, mysqlWrapped: true}, nil
	case "sqlite", "sqlite3":
		mem := false
		if rest, ok := memoryDSN(dsn); ok {
			mem, dsn = true, fmt.Sprintf("file:/wren-memory-%d?vfs=memdb%s", memSeq.Add(1), rest)
		}
		inner, err := sqlite.NewConnector(sqliteDSN(dsn))
		if err != nil {
			return nil, fmt.Errorf("wren: open sqlite: %w", err)
		}
		sdb := sql.OpenDB(&sqliteConnector{inner: inner})
		if err := sdb.PingContext(ctx); err != nil {
			sdb.Close()
			return nil, fmt.Errorf("wren: open sqlite: %w", err)
		}
		// Each connection keeps its own prepared statements (see
		// sqliteConnector).
		db := &DB{d: dialect.SQLite, sqlDB: sdb, c: sqlConn{db: sdb}, owned: true}
		if mem {
			// The database lives while a connection to it is open: hold one
			// for as long as the DB, whatever the pool does with the rest.
			if db.keep, err = sdb.Conn(ctx); err != nil {
				sdb.Close()
				return nil, fmt.Errorf("wren: open sqlite: %w", err)
			}
		}
		return db, nil
	}
	return nil, fmt.Errorf("wren: unknown driver %q (want \"postgres\", \"mysql\" or \"sqlite\")", driver)
}

var memSeq satomic.Int64

// memoryDSN reports whether dsn names SQLite's private in-memory database
// (":memory:" or "file::memory:", with or without parameters), and returns
// its parameters as "&…". Each connection of a pool would open a database
// of its own; Open gives the DB one shared database instead.
func memoryDSN(dsn string) (string, bool) {
	for _, p := range []string{":memory:", "file::memory:"} {
		if dsn == p {
			return "", true
		}
		if rest, ok := strings.CutPrefix(dsn, p+"?"); ok {
			return "&" + rest, true
		}
	}
	return "", false
}

// sqliteDSN adds the pragmas wren relies on unless the DSN sets them.
func sqliteDSN(dsn string) string {
	add := func(dsn, pragma string) string {
		if strings.Contains(dsn, pragma) {
			return dsn
		}
		sep := "?"
		if strings.Contains(dsn, "?") {
			sep = "&"
		}
		return dsn + sep + "_pragma=" + pragma
	}
	dsn = add(dsn, "foreign_keys(1)")
	dsn = add(dsn, "busy_timeout(5000)")
	if !strings.Contains(dsn, "_time_format=") {
		sep := "?"
		if strings.Contains(dsn, "?") {
			sep = "&"
		}
		dsn += sep + "_time_format=sqlite" // ISO-8601 text that sorts and compares
	}
	return dsn
}

// OpenDB wraps a database/sql pool the caller already has, rendering for d.
// Close on the returned DB does not close db.
//
// OpenDB cannot change how db's connections are made, so the settings Open
// puts in the DSN are the caller's to make:
//
//	SQLite         _pragma=foreign_keys(1)&_pragma=busy_timeout(5000)&_time_format=sqlite
//	               (without them foreign keys are not enforced, a writer
//	               meets a held lock with SQLITE_BUSY at once, and times are
//	               stored as text that does not sort)
//	MySQL/MariaDB  parseTime=true (DATETIME into time.Time), charset utf8mb4
//	               (the driver's default); dialect.MariaDB only on MariaDB
//
// and a MySQL pool from OpenDB has no per-connection statement cache and
// no KILL of statements whose context ended. [DB.CheckSetup] reports each
// of these settings that is missing.
func OpenDB(db *sql.DB, d *dialect.Dialect) *DB {
	st := newStmtCache(db, stmtCacheSize)
	return &DB{d: d, sqlDB: db, stmts: st, c: sqlConn{db: db, stmts: st}}
}

// OpenPool wraps a pgx pool the caller already has; statements run through
// pgx's native interface. Close on the returned DB does not close pool.
//
// Rows of the common column types (text, integers, floats, bool, times,
// uuid, bytea, into fields of the Go types pgx gives them) are decoded by
// wren itself, as pgx's default type map decodes them, unless the pool's
// config has an AfterConnect hook, where types can be registered: then
// pgx decodes every column. Without such a hook, a tracer, or a query
// mode other than pgx's default (QueryExecModeCacheStatement), statements
// whose arguments are of the common types run on the connection's pgconn
// directly: wren prepares each text once per connection (up to 512) and
// encodes the arguments as pgx's default type map does; see pgdirect.go.
func OpenPool(pool *pgxpool.Pool) *DB {
	cfg := pool.Config()
	wire := cfg.AfterConnect == nil
	cc := cfg.ConnConfig
	direct := wire && cc.Tracer == nil && cc.DefaultQueryExecMode == pgx.QueryExecModeCacheStatement && cc.StatementCacheCapacity > 0
	return &DB{d: dialect.Postgres, pool: pool, pgWire: wire, pgDirect: direct, c: pgxConn{db: pool, retry: true, wire: wire, direct: direct}}
}

// WithDialect returns a handle on db's pool whose statements are rendered
// for d, a dialect of the same database: on a MariaDB server, dialect.MySQL
// writes what MySQL 8 runs (no RETURNING, keys from the last-insert id). It
// shares db's connections and statement caches; it has no hook until
// SetHook gives it one, and closing it leaves the pool open.
func (db *DB) WithDialect(d *dialect.Dialect) (*DB, error) {
	if d == nil || (d != db.d && !(d.IsMySQLFamily() && db.d.IsMySQLFamily())) {
		return nil, fmt.Errorf("wren: WithDialect(%v): not a dialect of this %v database", d, db.d)
	}
	c := db.c
	if hc, ok := c.(hookConn); ok {
		c = hc.c
	}
	return &DB{d: d, c: c, sqlDB: db.sqlDB, pool: db.pool, pgWire: db.pgWire, pgDirect: db.pgDirect, mysqlWrapped: db.mysqlWrapped}, nil
}

// Dialect returns the dialect statements are rendered for.
func (db *DB) Dialect() *dialect.Dialect { return db.d }

func (db *DB) conn() conn { return db.c }

// SQLDB returns the database/sql pool behind db, or nil for a pgx pool.
func (db *DB) SQLDB() *sql.DB { return db.sqlDB }

// Pool returns the pgx pool behind db, or nil for a database/sql pool.
func (db *DB) Pool() *pgxpool.Pool { return db.pool }

// Close releases the prepared statements and, for a handle made by Open,
// closes the pool.
func (db *DB) Close() error {
	var errs []error
	if db.stmts != nil {
		errs = append(errs, db.stmts.close())
	}
	if db.keep != nil {
		errs = append(errs, db.keep.Close())
	}
	if db.owned {
		if db.pool != nil {
			db.pool.Close()
		}
		if db.sqlDB != nil {
			errs = append(errs, db.sqlDB.Close())
		}
	}
	return errors.Join(errs...)
}

// Ping checks that the database answers.
func (db *DB) Ping(ctx context.Context) error {
	if db.pool != nil {
		return db.pool.Ping(ctx)
	}
	return db.sqlDB.PingContext(ctx)
}

// SetMaxOpenConns bounds the connections of a database/sql pool (MySQL,
// SQLite); for pgx, set pool_max_conns in the DSN. n <= 0 means no bound.
// On a ":memory:" SQLite database the connection that keeps the database
// alive is not counted: n connections run statements.
func (db *DB) SetMaxOpenConns(n int) {
	if db.sqlDB == nil {
		return
	}
	if db.keep != nil && n > 0 {
		n++
	}
	db.sqlDB.SetMaxOpenConns(n)
}

// SetConnMaxLifetime limits how long a database/sql connection is reused.
func (db *DB) SetConnMaxLifetime(d time.Duration) {
	if db.sqlDB != nil {
		db.sqlDB.SetConnMaxLifetime(d)
	}
}
