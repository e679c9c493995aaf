package wren

import (
	"context"
	"database/sql/driver"
	"strings"
)

// stmtsPerSQLiteConn bounds the prepared statements each SQLite connection
// of a pool made by Open keeps.
const stmtsPerSQLiteConn = 256

// sqliteConnector wraps modernc.org/sqlite's connector in the pools Open
// makes, so that each connection keeps its own prepared statements (see
// connStmts): a query or a write (see keeps) is compiled once per
// connection, in a transaction or not, where the driver compiles the text of every
// statement it is not handed prepared. The driver keeps a prepared
// statement's program from run to run (since v1.61.1).
type sqliteConnector struct {
	inner driver.Connector
}

// Connect opens a connection.
func (c *sqliteConnector) Connect(ctx context.Context) (driver.Conn, error) {
	dc, err := c.inner.Connect(ctx)
	if err != nil {
		return nil, err
	}
	return &sqliteConn{inner: dc, stmts: newConnStmts()}, nil
}

// Driver returns the SQLite driver.
func (c *sqliteConnector) Driver() driver.Driver { return c.inner.Driver() }

// sqliteConn is one connection of the pool. A statement whose rows are
// still open (a query run again, with the same text, while the rows of
// the first are read on the same connection) runs unprepared, apart from
// the kept one, whose rows it would otherwise reset.
type sqliteConn struct {
	inner driver.Conn
	stmts connStmts
}

// Unwrap returns modernc.org/sqlite's connection, for callers of
// sql.Conn.Raw that need its own methods (backups, authorizers, limits).
func (w *sqliteConn) Unwrap() driver.Conn { return w.inner }

// kept returns the connection's prepared statement to run text with,
// preparing it on first use; nil when the text runs unprepared: keeps says
// so, or the statement's rows are still open (running it would reset them).
func (w *sqliteConn) kept(ctx context.Context, text string, args []driver.NamedValue) (*cachedStmt, error) {
	if !keeps(text, args) {
		return nil, nil
	}
	cs := w.stmts.get(text)
	if cs == nil {
		st, err := w.inner.(driver.ConnPrepareContext).PrepareContext(ctx, text)
		if err != nil {
			return nil, err
		}
		cs = w.stmts.add(text, st, stmtsPerSQLiteConn)
	}
	if cs.busy {
		return nil, nil
	}
	return cs, nil
}

// keeps reports whether a statement is prepared and kept: one with
// arguments, or a query or a write without (a SELECT with no WHERE, a
// page of a table), but not the transaction control and schema statements
// that are run once or with names of their own (BEGIN, SAVEPOINT sp3,
// CREATE TABLE).
func keeps(text string, args []driver.NamedValue) bool {
	if len(args) > 0 {
		return true
	}
	text = strings.TrimLeft(text, " \t\r\n(")
	for _, kw := range keptKeywords {
		if len(text) >= len(kw) && strings.EqualFold(text[:len(kw)], kw) {
			return true
		}
	}
	return false
}

var keptKeywords = [...]string{"SELECT", "WITH", "INSERT", "UPDATE", "DELETE", "REPLACE", "VALUES"}

// QueryContext runs a query, prepared (and kept) when keeps says so.
func (w *sqliteConn) QueryContext(ctx context.Context, text string, args []driver.NamedValue) (driver.Rows, error) {
	cs, err := w.kept(ctx, text, args)
	if err != nil {
		return nil, err
	}
	if cs == nil {
		return w.inner.(driver.QueryerContext).QueryContext(ctx, text, args)
	}
	rs, err := cs.st.(driver.StmtQueryContext).QueryContext(ctx, args)
	if err != nil {
		return nil, err
	}
	cs.busy = true
	cs.rows = sqliteRows{describedRows{rs}, cs}
	return &cs.rows, nil
}

// ExecContext runs a statement, prepared (and kept) when keeps says so.
func (w *sqliteConn) ExecContext(ctx context.Context, text string, args []driver.NamedValue) (driver.Result, error) {
	cs, err := w.kept(ctx, text, args)
	if err != nil {
		return nil, err
	}
	if cs == nil {
		return w.inner.(driver.ExecerContext).ExecContext(ctx, text, args)
	}
	return cs.st.(driver.StmtExecContext).ExecContext(ctx, args)
}

// Prepare prepares a statement (for callers of the *sql.DB's Prepare).
func (w *sqliteConn) Prepare(text string) (driver.Stmt, error) { return w.inner.Prepare(text) }

// PrepareContext prepares a statement (for callers of the *sql.DB's
// PrepareContext).
func (w *sqliteConn) PrepareContext(ctx context.Context, text string) (driver.Stmt, error) {
	return w.inner.(driver.ConnPrepareContext).PrepareContext(ctx, text)
}

// Begin starts a transaction the way the driver does.
func (w *sqliteConn) Begin() (driver.Tx, error) {
	return w.BeginTx(context.Background(), driver.TxOptions{})
}

// BeginTx starts a transaction the way the driver does (wren's own
// transactions send their statements themselves).
func (w *sqliteConn) BeginTx(ctx context.Context, opts driver.TxOptions) (driver.Tx, error) {
	return w.inner.(driver.ConnBeginTx).BeginTx(ctx, opts)
}

// Close closes the kept statements and the connection.
func (w *sqliteConn) Close() error {
	w.stmts.evict(w.stmts.len())
	return w.inner.Close()
}

// Ping checks the connection.
func (w *sqliteConn) Ping(ctx context.Context) error { return w.inner.(driver.Pinger).Ping(ctx) }

// ResetSession prepares the connection for its next user, as the driver
// does.
func (w *sqliteConn) ResetSession(ctx context.Context) error {
	return w.inner.(driver.SessionResetter).ResetSession(ctx)
}

// IsValid reports whether the driver would return the connection to the
// pool.
func (w *sqliteConn) IsValid() bool { return w.inner.(driver.Validator).IsValid() }

// sqliteRows are the rows of a kept statement's query: closing them makes
// the statement free for its next query.
type sqliteRows struct {
	describedRows
	cs *cachedStmt
}

func (r *sqliteRows) Close() error {
	err := r.Rows.Close()
	cs := r.cs
	r.Rows, r.cs = nil, nil
	cs.busy = false
	if cs.evicted {
		cs.st.Close()
	}
	return err
}

// ColumnTypeLength passes on the SQLite driver's column lengths (the MySQL
// driver's rows have none).
func (r *sqliteRows) ColumnTypeLength(i int) (length int64, ok bool) {
	return r.Rows.(driver.RowsColumnTypeLength).ColumnTypeLength(i)
}
