package wren

import (
	"context"
	"database/sql/driver"
	"errors"
	"fmt"
	"io"
	"reflect"
	"strconv"
	satomic "sync/atomic"
	"time"

	"github.com/go-sql-driver/mysql"

	"github.com/wrensql/wren/dialect"
)

// stmtsPerConn bounds the prepared statements each MySQL/MariaDB
// connection of a pool made by Open keeps. The server allows
// max_prepared_stmt_count (16,382 by default) over all sessions: 64
// connections stay below it.
const stmtsPerConn = 256

// mysqlConnector wraps go-sql-driver/mysql's connector in the pools Open
// makes, for two things the driver does not do:
//
//   - Cancelling a context stops the statement on the server. The driver
//     only closes its socket, and the server runs the statement to its
//     end; wren ends the connection's session with KILL CONNECTION from
//     another connection (see KillSQL in package dialect).
//   - Each connection keeps its own LRU of prepared statements, bounded by
//     stmtsPerConn, so no lock is shared between connections and a busy
//     pool cannot exhaust the server's max_prepared_stmt_count. When the
//     server refuses to prepare (error 1461) the connection drops half its
//     statements and tries again, and then runs the statement unprepared
//     (the driver interpolates the arguments) where the connection's
//     character set makes that safe.
//   - Create's multi-row INSERT … RETURNING on MariaDB hands the connection
//     a keysSink: the connection reads the keys from the driver's rows
//     itself, without database/sql's locking and conversion per row.
type mysqlConnector struct {
	inner       driver.Connector
	d           *dialect.Dialect
	interpolate bool // the fallback may interpolate arguments
	direct      bool // the DSN asked for interpolation: prepare nothing
}

func newMySQLConnector(cfg *mysql.Config) (*mysqlConnector, error) {
	c := &mysqlConnector{d: dialect.MySQL, direct: cfg.InterpolateParams}
	if !cfg.InterpolateParams && safeCharset(cfg) {
		cfg = cfg.Clone()
		cfg.InterpolateParams = true
		c.interpolate = true
	}
	inner, err := mysql.NewConnector(cfg)
	if err != nil {
		return nil, err
	}
	c.inner = inner
	return c, nil
}

// safeCharset reports whether the connection's character set is one in
// which the driver's interpolation of arguments is safe: UTF-8 or the
// driver's default.
func safeCharset(cfg *mysql.Config) bool {
	cs, ok := cfg.Params["charset"]
	if !ok || cs == "utf8mb4" || cs == "utf8" || cs == "utf8mb3" {
		coll := cfg.Collation
		return coll == "" || len(coll) >= 4 && coll[:4] == "utf8"
	}
	return false
}

// Connect opens a connection and reads its session id.
func (c *mysqlConnector) Connect(ctx context.Context) (driver.Conn, error) {
	dc, err := c.inner.Connect(ctx)
	if err != nil {
		return nil, err
	}
	check, ok := dc.(driver.NamedValueChecker)
	if !ok {
		dc.Close()
		return nil, fmt.Errorf("wren: the MySQL driver's connection (%T) converts no arguments (no CheckNamedValue)", dc)
	}
	w := &mysqlConn{inner: dc, check: check, c: c, stmts: newConnStmts()}
	rows, err := dc.(driver.QueryerContext).QueryContext(ctx, c.d.ConnIDSQL(), nil)
	if err != nil {
		dc.Close()
		return nil, err
	}
	v := make([]driver.Value, 1)
	err = rows.Next(v)
	rows.Close()
	if err != nil {
		dc.Close()
		return nil, err
	}
	w.id, err = driverInt(v[0])
	if err != nil || w.id == 0 {
		dc.Close()
		return nil, errors.New("wren: cannot read the connection id")
	}
	return w, nil
}

// Driver returns the MySQL driver.
func (c *mysqlConnector) Driver() driver.Driver { return c.inner.Driver() }

// kill stops the statement running in session id, from a connection of
// its own (the pool's may all be busy).
func (c *mysqlConnector) kill(id int64) {
	ctx, cancel := context.WithTimeout(context.Background(), finishTimeout)
	defer cancel()
	dc, err := c.inner.Connect(ctx)
	if err != nil {
		return
	}
	defer dc.Close()
	dc.(driver.ExecerContext).ExecContext(ctx, c.d.KillSQL(id), nil)
}

// mysqlConn is one connection of the pool. database/sql uses a connection
// from one goroutine at a time; only bad is touched from another (the
// goroutine that kills a cancelled statement).
type mysqlConn struct {
	inner driver.Conn
	check driver.NamedValueChecker // inner's, asserted once
	c     *mysqlConnector
	id    int64 // the server's session id
	bad   satomic.Bool
	stmts connStmts
}

// watch arranges for the statement about to run to be killed on the server
// when ctx ends before the returned function is called.
func (w *mysqlConn) watch(ctx context.Context) func() {
	if ctx.Done() == nil {
		return noop
	}
	stop := context.AfterFunc(ctx, func() {
		w.bad.Store(true)
		w.c.kill(w.id)
	})
	return func() {
		if !stop() {
			w.bad.Store(true) // the kill is on its way: never reuse this session
			return
		}
		if ctx.Err() != nil {
			// The context ended and database/sql closed the statement
			// before the AfterFunc ran: the server may still be running
			// it, so end the session all the same.
			w.bad.Store(true)
			go w.c.kill(w.id)
		}
	}
}

// prepared returns the connection's prepared statement for text.
func (w *mysqlConn) prepared(ctx context.Context, text string) (driver.Stmt, error) {
	if cs := w.stmts.get(text); cs != nil {
		return cs.st, nil
	}
	st, err := w.inner.(driver.ConnPrepareContext).PrepareContext(ctx, text)
	if tooManyStmts(err) && w.stmts.len() > 0 {
		w.stmts.evict(w.stmts.len()/2 + 1)
		st, err = w.inner.(driver.ConnPrepareContext).PrepareContext(ctx, text)
	}
	if err != nil {
		return nil, err
	}
	return w.stmts.add(text, st, stmtsPerConn).st, nil
}

// tooManyStmts reports the server's refusal to prepare another statement
// (ER_MAX_PREPARED_STMT_COUNT_REACHED).
func tooManyStmts(err error) bool {
	var me *mysql.MySQLError
	return errors.As(err, &me) && me.Number == 1461
}

// QueryContext runs a query, prepared (and cached) when it has arguments.
func (w *mysqlConn) QueryContext(ctx context.Context, text string, args []driver.NamedValue) (driver.Rows, error) {
	if w.bad.Load() {
		return nil, driver.ErrBadConn
	}
	stop := w.watch(ctx)
	var rs driver.Rows
	var err error
	if len(args) == 0 || w.c.direct {
		rs, err = w.inner.(driver.QueryerContext).QueryContext(ctx, text, args)
	} else {
		var st driver.Stmt
		if st, err = w.prepared(ctx, text); err == nil {
			rs, err = st.(driver.StmtQueryContext).QueryContext(ctx, args)
		} else if tooManyStmts(err) && w.c.interpolate {
			rs, err = w.inner.(driver.QueryerContext).QueryContext(ctx, text, args)
		}
	}
	if err != nil {
		stop()
		return nil, err
	}
	if ctx.Done() == nil {
		return rs, nil // nothing to stop watching
	}
	return &mysqlRows{describedRows: describedRows{rs}, stop: stop}, nil
}

// keysSink, in the context of an Exec of an INSERT … RETURNING of one
// integer column, has the MySQL connection wrapper run it as a query and
// collect the column itself: Create reads many rows' keys so, without
// database/sql's work per row.
//
// With stepped set, the INSERT has no RETURNING (MySQL): the connection
// first reads the auto-increment lock mode and the session's step, then runs
// the INSERT, and reports its first key, its rows and the step; with lock
// mode 2 it runs nothing and returns errNoSteppedKeys.
type keysSink struct {
	ids     []int64
	stepped bool
	first   int64 // the last-insert id: the first row's key
	n       int64 // rows inserted
	step    int64 // auto_increment_increment
}

type keysSinkKey struct{}

// errNoSteppedKeys is a stepped keysSink's answer where the lock mode does
// not promise one INSERT stepped keys; nothing was run.
var errNoSteppedKeys = errors.New("wren: the auto-increment lock mode does not promise stepped keys")

// wrappedDB returns the DB behind db when its statements reach wren's MySQL
// connection wrapper, which honours a keysSink; nil otherwise.
func wrappedDB(db Querier) *DB {
	var d *DB
	switch q := db.(type) {
	case *DB:
		d = q
	case *Tx:
		d = q.root.db
	}
	if d == nil || !d.mysqlWrapped {
		return nil
	}
	return d
}

// sinkKeys reports whether db's statements reach wren's MySQL connection
// wrapper.
func sinkKeys(db Querier) bool { return wrappedDB(db) != nil }

// steppedKeys reports whether a stepped keysSink may be tried on db: its
// statements reach the wrapper, and no earlier one found lock mode 2 there.
func steppedKeys(db Querier) bool {
	d := wrappedDB(db)
	return d != nil && !d.noSteppedKeys.Load()
}

// execStepped reads the lock mode and the step on this connection, then
// runs the INSERT text; nothing runs on the session in between, so the
// step is the INSERT's.
func (w *mysqlConn) execStepped(ctx context.Context, text string, args []driver.NamedValue, sink *keysSink) (driver.Result, error) {
	rs, err := w.QueryContext(ctx, w.c.d.AutoIncKeysSQL(), nil)
	if err != nil {
		return nil, err
	}
	v := make([]driver.Value, 2)
	err = rs.Next(v)
	if cerr := rs.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return nil, fmt.Errorf("wren: reading the auto-increment lock mode and step: %w", err)
	}
	var lockMode, step int64
	if lockMode, err = driverInt(v[0]); err == nil {
		step, err = driverInt(v[1])
	}
	if err != nil {
		return nil, err
	}
	if !w.c.d.SteppedKeys(lockMode) {
		return nil, errNoSteppedKeys
	}
	res, err := w.exec(ctx, text, args)
	if err != nil {
		return nil, err
	}
	if sink.first, err = res.LastInsertId(); err == nil {
		sink.n, err = res.RowsAffected()
	}
	sink.step = step
	return res, err
}

// driverInt returns an integer the driver read: an int64, or its text.
func driverInt(v driver.Value) (int64, error) {
	switch v := v.(type) {
	case int64:
		return v, nil
	case uint64:
		return int64(v), nil
	case []byte: // a text-protocol integer, from drivers that do not parse it
		return strconv.ParseInt(string(v), 10, 64)
	}
	return 0, fmt.Errorf("wren: a %T where an integer was expected", v)
}

// execKeys runs the query text, whose rows hold one integer each, and
// appends them to sink.
func (w *mysqlConn) execKeys(ctx context.Context, text string, args []driver.NamedValue, sink *keysSink) (driver.Result, error) {
	sink.ids = sink.ids[:0]
	rs, err := w.QueryContext(ctx, text, args)
	if err != nil {
		return nil, err
	}
	dest := make([]driver.Value, 1)
	for {
		if err = rs.Next(dest); err != nil {
			break
		}
		var id int64
		if id, err = driverInt(dest[0]); err != nil {
			break
		}
		sink.ids = append(sink.ids, id)
	}
	cerr := rs.Close()
	if err != io.EOF {
		return nil, errors.Join(err, cerr)
	}
	if cerr != nil {
		return nil, cerr
	}
	return driver.RowsAffected(len(sink.ids)), nil
}

// ExecContext runs a statement, prepared (and cached) when it has
// arguments.
func (w *mysqlConn) ExecContext(ctx context.Context, text string, args []driver.NamedValue) (driver.Result, error) {
	if w.bad.Load() {
		return nil, driver.ErrBadConn
	}
	if sink, ok := ctx.Value(keysSinkKey{}).(*keysSink); ok {
		if sink.stepped {
			return w.execStepped(ctx, text, args, sink)
		}
		return w.execKeys(ctx, text, args, sink)
	}
	return w.exec(ctx, text, args)
}

// exec runs a statement, prepared (and cached) when it has arguments.
func (w *mysqlConn) exec(ctx context.Context, text string, args []driver.NamedValue) (driver.Result, error) {
	stop := w.watch(ctx)
	defer stop()
	if len(args) == 0 || w.c.direct {
		return w.inner.(driver.ExecerContext).ExecContext(ctx, text, args)
	}
	st, err := w.prepared(ctx, text)
	if err == nil {
		return st.(driver.StmtExecContext).ExecContext(ctx, args)
	}
	if tooManyStmts(err) && w.c.interpolate {
		return w.inner.(driver.ExecerContext).ExecContext(ctx, text, args)
	}
	return nil, err
}

// Prepare prepares a statement (for callers of the *sql.DB's Prepare).
func (w *mysqlConn) Prepare(text string) (driver.Stmt, error) { return w.inner.Prepare(text) }

// PrepareContext prepares a statement (for callers of the *sql.DB's
// PrepareContext).
func (w *mysqlConn) PrepareContext(ctx context.Context, text string) (driver.Stmt, error) {
	return w.inner.(driver.ConnPrepareContext).PrepareContext(ctx, text)
}

// Begin starts a transaction the way the driver does.
func (w *mysqlConn) Begin() (driver.Tx, error) {
	return w.BeginTx(context.Background(), driver.TxOptions{})
}

// BeginTx starts a transaction the way the driver does (wren's own
// transactions send their statements themselves).
func (w *mysqlConn) BeginTx(ctx context.Context, opts driver.TxOptions) (driver.Tx, error) {
	if w.bad.Load() {
		return nil, driver.ErrBadConn
	}
	return w.inner.(driver.ConnBeginTx).BeginTx(ctx, opts)
}

// Close closes the cached statements and the connection.
func (w *mysqlConn) Close() error {
	w.stmts.evict(w.stmts.len())
	return w.inner.Close()
}

// Ping checks the connection.
func (w *mysqlConn) Ping(ctx context.Context) error {
	if w.bad.Load() {
		return driver.ErrBadConn
	}
	return w.inner.(driver.Pinger).Ping(ctx)
}

// ResetSession refuses a connection whose statement was killed.
func (w *mysqlConn) ResetSession(ctx context.Context) error {
	if w.bad.Load() {
		return driver.ErrBadConn
	}
	return w.inner.(driver.SessionResetter).ResetSession(ctx)
}

// IsValid keeps a connection whose statement was killed out of the pool.
func (w *mysqlConn) IsValid() bool {
	return !w.bad.Load() && w.inner.(driver.Validator).IsValid()
}

// CheckNamedValue converts arguments the way the driver does. Values that
// are already driver.Values of the kinds wren binds most pass unchanged, as
// the driver's converter passes them (driver.IsValue), without the two calls
// and the interface checks of its path.
func (w *mysqlConn) CheckNamedValue(nv *driver.NamedValue) error {
	switch nv.Value.(type) {
	case int64, string, float64, bool, []byte, time.Time, nil:
		return nil
	}
	return w.check.CheckNamedValue(nv)
}

func noop() {}

// mysqlRows stops watching for cancellation when the rows are closed.
type mysqlRows struct {
	describedRows
	stop func()
}

func (r *mysqlRows) Close() error {
	err := r.Rows.Close()
	r.stop()
	return err
}

func (r *mysqlRows) HasNextResultSet() bool {
	return r.Rows.(driver.RowsNextResultSet).HasNextResultSet()
}

func (r *mysqlRows) NextResultSet() error {
	return r.Rows.(driver.RowsNextResultSet).NextResultSet()
}

// describedRows are a driver's rows wrapped by wren's connections (the
// MySQL and SQLite drivers' rows both describe their columns); it passes
// the description on, for callers of sql.Rows.ColumnTypes.
type describedRows struct {
	driver.Rows
}

func (r describedRows) ColumnTypeDatabaseTypeName(i int) string {
	return r.Rows.(driver.RowsColumnTypeDatabaseTypeName).ColumnTypeDatabaseTypeName(i)
}

func (r describedRows) ColumnTypeNullable(i int) (nullable, ok bool) {
	return r.Rows.(driver.RowsColumnTypeNullable).ColumnTypeNullable(i)
}

func (r describedRows) ColumnTypePrecisionScale(i int) (precision, scale int64, ok bool) {
	return r.Rows.(driver.RowsColumnTypePrecisionScale).ColumnTypePrecisionScale(i)
}

func (r describedRows) ColumnTypeScanType(i int) reflect.Type {
	return r.Rows.(driver.RowsColumnTypeScanType).ColumnTypeScanType(i)
}
