package wren

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"sync"
	satomic "sync/atomic"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
)

// conn is what a handle or a transaction runs statements on: a database/sql
// pool or transaction, or a native pgx pool or transaction.
type conn interface {
	query(ctx context.Context, sql string, args []any) (rows, error)
	exec(ctx context.Context, sql string, args []any) (Result, error)
}

// rows is the part of *sql.Rows and pgx.Rows the scanner uses.
type rows interface {
	Next() bool
	Scan(dest ...any) error
	Err() error
	Close() error
	Columns() ([]string, error)
}

// Result is what a statement that returns no rows reports.
type Result struct {
	// RowsAffected is the number of rows inserted, updated or deleted.
	RowsAffected int64
	// LastInsertID is the auto-increment key of the last inserted row where
	// the driver reports one (MySQL/MariaDB and SQLite); 0 on PostgreSQL,
	// where RETURNING gives keys instead.
	LastInsertID int64
}

// sqlRunner is implemented by *sql.DB, *sql.Conn and *sql.Tx.
type sqlRunner interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
}

// sqlConn runs statements through database/sql, preparing each distinct
// statement text once per pool when a statement cache is given.
type sqlConn struct {
	db    sqlRunner
	stmts *stmtCache // nil inside transactions
}

type sqlRows struct{ *sql.Rows }

func (c sqlConn) query(ctx context.Context, text string, args []any) (rows, error) {
	if c.stmts != nil {
		if st := c.stmts.get(ctx, text); st != nil {
			rs, err := st.QueryContext(ctx, args...)
			if err == nil {
				return sqlRows{rs}, nil
			}
			if !isStmtClosed(err) && !c.stmts.refused(err) {
				return nil, err
			}
		}
	}
	rs, err := c.db.QueryContext(ctx, text, args...)
	if err != nil && c.stmts != nil && c.stmts.refused(err) {
		rs, err = c.db.QueryContext(ctx, text, args...)
	}
	if err != nil {
		return nil, err
	}
	return sqlRows{rs}, nil
}

func (c sqlConn) exec(ctx context.Context, text string, args []any) (Result, error) {
	var res sql.Result
	var err error
	if c.stmts != nil {
		if st := c.stmts.get(ctx, text); st != nil {
			res, err = st.ExecContext(ctx, args...)
			if err != nil && (isStmtClosed(err) || c.stmts.refused(err)) {
				res, err = c.db.ExecContext(ctx, text, args...)
			}
		}
	}
	if res == nil && err == nil {
		res, err = c.db.ExecContext(ctx, text, args...)
	}
	if err != nil && c.stmts != nil && c.stmts.refused(err) {
		res, err = c.db.ExecContext(ctx, text, args...)
	}
	if err != nil {
		return Result{}, err
	}
	var out Result
	out.RowsAffected, _ = res.RowsAffected()
	out.LastInsertID, _ = res.LastInsertId()
	return out, nil
}

func isStmtClosed(err error) bool {
	return err != nil && strings.Contains(err.Error(), "statement is closed")
}

// pgxRunner is implemented by *pgxpool.Pool, *pgx.Conn and pgx.Tx.
type pgxRunner interface {
	Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
	Exec(ctx context.Context, sql string, args ...any) (pgconn.CommandTag, error)
}

// pgxConn runs statements through pgx's native interface; pgx prepares and
// caches every statement text by itself. On a pool (retry set), a statement
// that pgx proves never reached the server (pgconn.SafeToRetry: the pooled
// connection was found dead before anything was sent) runs once more on
// another connection. With wire set, the connections have pgx's default
// type map, and queries decode the common column types themselves
// (scan.Row.UseWire).
type pgxConn struct {
	db     pgxRunner
	retry  bool
	wire   bool
	direct bool // statements may run on pgconn directly (pgdirect.go)
}

type pgxRows struct {
	pgx.Rows
	wire bool // decoded by wren where it can (pgxConn.wire)
}

// Close releases the rows, reading what remains of the result, and
// returns the error that ended it, if any.
func (r pgxRows) Close() error { r.Rows.Close(); return r.Rows.Err() }

// Columns returns the result's column names.
func (r pgxRows) Columns() ([]string, error) {
	fds := r.FieldDescriptions()
	names := make([]string, len(fds))
	for i, f := range fds {
		names[i] = f.Name
	}
	return names, nil
}

func (c pgxConn) query(ctx context.Context, text string, args []any) (rows, error) {
	rs, err := c.queryOnce(ctx, text, args)
	if err != nil && c.retry && safeToRetry(err) && ctx.Err() == nil {
		rs, err = c.queryOnce(ctx, text, args)
	}
	return rs, err
}

func (c pgxConn) queryOnce(ctx context.Context, text string, args []any) (rows, error) {
	var rs pgx.Rows
	var err error
	done := false
	if c.direct && len(args) > 0 && encodable(args) {
		rs, done, err = c.queryDirect(ctx, text, args)
	}
	if !done {
		rs, err = c.db.Query(ctx, text, args...)
	}
	if err != nil {
		return nil, err
	}
	if len(rs.FieldDescriptions()) == 0 {
		// A statement that failed before its result began (a timeout, a
		// cancelled context, a server error) reports it only through Err:
		// look now, so the caller sees the cause and builds nothing from
		// an empty column list.
		rs.Close()
		if err := rs.Err(); err != nil {
			return nil, err
		}
	}
	return pgxRows{rs, c.wire}, nil
}

func (c pgxConn) exec(ctx context.Context, text string, args []any) (Result, error) {
	tag, err := c.execOnce(ctx, text, args)
	if err != nil && c.retry && safeToRetry(err) && ctx.Err() == nil {
		tag, err = c.execOnce(ctx, text, args)
	}
	if err != nil {
		return Result{}, err
	}
	return Result{RowsAffected: tag.RowsAffected()}, nil
}

func (c pgxConn) execOnce(ctx context.Context, text string, args []any) (pgconn.CommandTag, error) {
	if c.direct && len(args) > 0 && encodable(args) {
		if tag, done, err := c.execDirect(ctx, text, args); done {
			return tag, err
		}
	}
	return c.db.Exec(ctx, text, args...)
}

// stmtCache keeps prepared statements of a database/sql pool given to
// OpenDB, keyed by their text, up to a bound. It
// evicts by CLOCK, an approximation of least-recently-used in which a hit
// only sets a flag under the read lock. Nothing slow happens under the
// lock: statements are prepared before it is taken, and an evicted
// statement is closed afterwards in the background (sql.Stmt.Close waits
// for the statement's queries in flight to end).
//
// A database/sql statement is prepared on every connection that runs it,
// so a pool of N connections holds up to N × stmtCacheSize statements on
// the server; pools made by Open for MySQL/MariaDB cache per connection
// instead (see mysqlConnector).
type stmtCache struct {
	db   *sql.DB
	max  int
	mu   sync.RWMutex
	m    map[string]*stmtEntry
	ring []*stmtEntry
	hand int
	dead bool
}

type stmtEntry struct {
	text string
	st   *sql.Stmt
	ref  satomic.Bool // used since the clock hand last passed
}

func newStmtCache(db *sql.DB, max int) *stmtCache {
	return &stmtCache{db: db, max: max, m: make(map[string]*stmtEntry, max)}
}

// get returns the prepared statement for text, preparing it on first use.
// It returns nil when preparing fails, and the caller runs the text directly
// (which reports the error, if any, in its usual form).
func (c *stmtCache) get(ctx context.Context, text string) *sql.Stmt {
	c.mu.RLock()
	e := c.m[text]
	c.mu.RUnlock()
	if e != nil {
		if !e.ref.Load() {
			e.ref.Store(true)
		}
		return e.st
	}
	st, err := c.db.PrepareContext(ctx, text)
	if err != nil {
		return nil
	}
	var evicted *sql.Stmt
	c.mu.Lock()
	switch old := c.m[text]; {
	case c.dead:
		evicted, st = st, nil
	case old != nil:
		evicted, st = st, old.st
	default:
		e = &stmtEntry{text: text, st: st}
		if len(c.ring) < c.max {
			c.ring = append(c.ring, e)
		} else {
			for c.ring[c.hand].ref.Load() { // a second chance for used entries
				c.ring[c.hand].ref.Store(false)
				c.hand = (c.hand + 1) % len(c.ring)
			}
			victim := c.ring[c.hand]
			delete(c.m, victim.text)
			evicted = victim.st
			c.ring[c.hand] = e
			c.hand = (c.hand + 1) % len(c.ring)
		}
		c.m[text] = e
	}
	c.mu.Unlock()
	if evicted != nil {
		go evicted.Close() // statements in use stay valid until their rows close
	}
	return st
}

// refused reports whether err is the server's refusal to prepare another
// statement (MySQL/MariaDB error 1461: max_prepared_stmt_count reached over
// all sessions), and if so gives half the cached statements back to the
// server, so that running the statement again — unprepared, which the
// MySQL driver does with a statement it prepares and closes at once — finds
// room.
func (c *stmtCache) refused(err error) bool {
	if !tooManyStmts(err) {
		return false
	}
	c.mu.Lock()
	half := c.ring[len(c.ring)/2:]
	c.ring = c.ring[: len(c.ring)/2 : len(c.ring)/2]
	c.hand = 0
	for _, e := range half {
		delete(c.m, e.text)
	}
	c.mu.Unlock()
	for _, e := range half {
		e.st.Close()
	}
	return true
}

func (c *stmtCache) close() error {
	c.mu.Lock()
	ring := c.ring
	c.m, c.ring, c.dead = nil, nil, true
	c.mu.Unlock()
	var errs []error
	for _, e := range ring {
		errs = append(errs, e.st.Close())
	}
	return errors.Join(errs...)
}

// texts interns rendered statement texts, so that running a statement whose
// text was seen before does not allocate a new string for it. It keeps two
// generations: when the current one is full it becomes the previous one,
// and a text found only in the previous one moves back into the current,
// so hot texts survive a flood of one-off ones and memory stays bounded
// (at most 2 × maxTexts/2 texts).
type textCache struct {
	mu        sync.RWMutex
	cur, prev map[string]string
}

var texts = textCache{cur: make(map[string]string)}

const maxTexts = 8192

func (c *textCache) intern(b []byte) string {
	c.mu.RLock()
	s, ok := c.cur[string(b)]
	c.mu.RUnlock()
	if ok {
		return s
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if s, ok = c.cur[string(b)]; ok {
		return s
	}
	if s, ok = c.prev[string(b)]; !ok {
		s = string(b)
	}
	if len(c.cur) >= maxTexts/2 {
		c.prev, c.cur = c.cur, make(map[string]string, maxTexts/2)
	}
	c.cur[s] = s
	return s
}
