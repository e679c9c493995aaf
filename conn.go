package wren

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"sync"

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
			if !isStmtClosed(err) {
				return nil, err
			}
		}
	}
	rs, err := c.db.QueryContext(ctx, text, args...)
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
			if err != nil && isStmtClosed(err) {
				res, err = c.db.ExecContext(ctx, text, args...)
			}
		}
	}
	if res == nil && err == nil {
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
// caches every statement text by itself.
type pgxConn struct{ db pgxRunner }

type pgxRows struct{ pgx.Rows }

// Close releases the rows.
func (r pgxRows) Close() error { r.Rows.Close(); return nil }

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
	rs, err := c.db.Query(ctx, text, args...)
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
	return pgxRows{rs}, nil
}

func (c pgxConn) exec(ctx context.Context, text string, args []any) (Result, error) {
	tag, err := c.db.Exec(ctx, text, args...)
	if err != nil {
		return Result{}, err
	}
	return Result{RowsAffected: tag.RowsAffected()}, nil
}

// stmtCache keeps prepared statements of a database/sql pool, keyed by their
// text, up to a bound; the oldest is closed when a new one would pass it.
// MySQL runs a prepared statement markedly faster than an ad-hoc query, and
// SQLite skips re-parsing.
type stmtCache struct {
	db    *sql.DB
	max   int
	mu    sync.RWMutex
	m     map[string]*sql.Stmt
	order []string
	dead  bool
}

func newStmtCache(db *sql.DB, max int) *stmtCache {
	return &stmtCache{db: db, max: max, m: make(map[string]*sql.Stmt, max)}
}

// get returns the prepared statement for text, preparing it on first use.
// It returns nil when preparing fails, and the caller runs the text directly
// (which reports the error, if any, in its usual form).
func (c *stmtCache) get(ctx context.Context, text string) *sql.Stmt {
	c.mu.RLock()
	st := c.m[text]
	c.mu.RUnlock()
	if st != nil {
		return st
	}
	st, err := c.db.PrepareContext(ctx, text)
	if err != nil {
		return nil
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.dead {
		st.Close()
		return nil
	}
	if old := c.m[text]; old != nil {
		st.Close()
		return old
	}
	if len(c.order) >= c.max {
		oldest := c.order[0]
		c.order = c.order[1:]
		if o := c.m[oldest]; o != nil {
			o.Close() // statements in use stay valid until their rows close
		}
		delete(c.m, oldest)
	}
	c.m[text] = st
	c.order = append(c.order, text)
	return st
}

func (c *stmtCache) close() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	var errs []error
	for _, st := range c.m {
		errs = append(errs, st.Close())
	}
	c.m, c.order, c.dead = nil, nil, true
	return errors.Join(errs...)
}

// texts interns rendered statement texts, so that running a statement whose
// text was seen before does not allocate a new string for it.
type textCache struct {
	mu sync.RWMutex
	m  map[string]string
}

var texts = textCache{m: make(map[string]string)}

const maxTexts = 8192

func (c *textCache) intern(b []byte) string {
	c.mu.RLock()
	s, ok := c.m[string(b)]
	c.mu.RUnlock()
	if ok {
		return s
	}
	s = string(b)
	c.mu.Lock()
	if len(c.m) >= maxTexts {
		clear(c.m)
	}
	c.m[s] = s
	c.mu.Unlock()
	return s
}
