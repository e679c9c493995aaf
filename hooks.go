package wren

import (
	"context"
	"slices"
	"time"

	"github.com/wrensql/wren/dialect"
)

// Hook observes the statements a [DB] runs, and those of its transactions:
// for logging ([SlogHook]), tracing (package wrenotel), metrics. Set one
// with [DB.SetHook]; a DB without a hook pays nothing for the feature.
//
// Every statement a query helper sends is reported — queries, writes, DDL,
// and those wren sends for a helper (Create's key lookup on MySQL) — but
// not the transaction control statements (BEGIN, COMMIT, ROLLBACK,
// SAVEPOINT), which Tx runs by its own means on each driver. A Hook is called from the goroutines that run
// statements, so it must be safe for concurrent use.
type Hook interface {
	// BeforeQuery is called before the statement is sent. The context it
	// returns is the one the statement runs with and the one AfterQuery
	// gets: a tracer starts its span here, and a driver's own tracer (pgx's
	// QueryTracer) then sees that span as its parent. Return ctx when there
	// is nothing to add.
	BeforeQuery(ctx context.Context, e *QueryEvent) context.Context
	// AfterQuery is called once the statement has finished: for an exec
	// when it returns, for a query when its rows are closed (read to the
	// end, or abandoned), with Duration, Rows and Err set.
	AfterQuery(ctx context.Context, e *QueryEvent)
}

// QueryEvent describes one statement to a [Hook]. The event and its Args
// belong to the hook call: a hook that keeps them past AfterQuery copies
// what it needs.
type QueryEvent struct {
	// Op is "query" for a statement whose rows are read, "exec" otherwise.
	Op string
	// SQL is the statement's text as sent, with the dialect's placeholders.
	SQL string
	// Args are the statement's argument values, in placeholder order. They
	// may be secrets: log them only where that is allowed (SlogOptions.LogArgs).
	Args []any
	// Dialect is the dialect the statement was rendered for.
	Dialect *dialect.Dialect
	// InTx reports whether the statement ran inside a transaction.
	InTx bool
	// Start is when the statement was about to be sent.
	Start time.Time
	// Duration is how long it took: for a query, until its rows were closed.
	Duration time.Duration
	// Rows is the number of rows affected (exec) or read (query).
	Rows int64
	// Err is the statement's error, or for a query the error that ended
	// its rows; nil on success. Constraint violations match
	// ErrUniqueViolation and its siblings with errors.Is.
	Err error
}

// SetHook makes h observe every statement run on db and on the
// transactions begun on it from now on; nil removes the hook. Several hooks
// combine with [Hooks]. Call SetHook before db is shared between
// goroutines: it is not synchronised with statements running.
func (db *DB) SetHook(h Hook) {
	if hc, ok := db.c.(hookConn); ok {
		db.c = hc.c
	}
	db.hook = h
	if h != nil {
		db.c = withHook(db.c, h, db.d, false)
	}
}

// Hook returns the hook set with SetHook, or nil.
func (db *DB) Hook() Hook { return db.hook }

// Hooks combines hooks into one: BeforeQuery runs them in order, each
// given the context the previous one returned, and AfterQuery in reverse
// order. Nil hooks are left out.
func Hooks(hooks ...Hook) Hook {
	var hs multiHook
	for _, h := range hooks {
		if h != nil {
			hs = append(hs, h)
		}
	}
	if len(hs) == 1 {
		return hs[0]
	}
	return hs
}

type multiHook []Hook

func (hs multiHook) BeforeQuery(ctx context.Context, e *QueryEvent) context.Context {
	for _, h := range hs {
		ctx = h.BeforeQuery(ctx, e)
	}
	return ctx
}

func (hs multiHook) AfterQuery(ctx context.Context, e *QueryEvent) {
	for i := len(hs) - 1; i >= 0; i-- {
		hs[i].AfterQuery(ctx, e)
	}
}

// withHook returns c reporting its statements to h, or c itself when h is
// nil. Hooks attach here, at the conn layer, so that any handle made of
// conns (a DB, a Tx, a routing handle) reports the same way; a handle
// without a hook runs its conn directly, with no check per statement.
func withHook(c conn, h Hook, d *dialect.Dialect, inTx bool) conn {
	if h == nil {
		return c
	}
	return hookConn{c: c, h: h, d: d, inTx: inTx}
}

// hookConn runs statements on c, reporting each to h.
type hookConn struct {
	c    conn
	h    Hook
	d    *dialect.Dialect
	inTx bool
}

func (c hookConn) before(ctx context.Context, op, text string, args []any) (context.Context, *QueryEvent) {
	// The arguments are copied: the caller reuses its slice once the
	// statement was sent, and a query's AfterQuery comes later.
	e := &QueryEvent{Op: op, SQL: text, Args: slices.Clone(args), Dialect: c.d, InTx: c.inTx}
	ctx = c.h.BeforeQuery(ctx, e)
	e.Start = time.Now()
	return ctx, e
}

func (c hookConn) after(ctx context.Context, e *QueryEvent, n int64, err error) {
	e.Duration = time.Since(e.Start)
	e.Rows = n
	if err != nil {
		e.Err = constraintError(err)
	}
	c.h.AfterQuery(ctx, e)
}

func (c hookConn) exec(ctx context.Context, text string, args []any) (Result, error) {
	ctx, e := c.before(ctx, "exec", text, args)
	res, err := c.c.exec(ctx, text, args)
	c.after(ctx, e, res.RowsAffected, err)
	return res, err
}

func (c hookConn) query(ctx context.Context, text string, args []any) (rows, error) {
	ctx, e := c.before(ctx, "query", text, args)
	rs, err := c.c.query(ctx, text, args)
	if err != nil {
		c.after(ctx, e, 0, err)
		return nil, err
	}
	return &hookRows{rows: rs, c: c, ctx: ctx, e: e}, nil
}

// hookRows counts the rows read and reports the query when closed.
type hookRows struct {
	rows
	c    hookConn
	ctx  context.Context
	e    *QueryEvent
	n    int64
	done bool
}

func (r *hookRows) Next() bool {
	if r.rows.Next() {
		r.n++
		return true
	}
	return false
}

func (r *hookRows) Close() error {
	err := r.rows.Close()
	if !r.done {
		r.done = true
		r.c.after(r.ctx, r.e, r.n, r.rows.Err())
	}
	return err
}

// batchHook reports the statements of a batch sent in one round trip to
// a hook: each is announced before anything is sent, and reported once,
// when its result was read (a query's when its rows are closed) or when
// it failed. A nil batchHook reports nothing.
type batchHook struct {
	c    hookConn
	ctxs []context.Context
	es   []*QueryEvent
	done []bool
}

// newBatchHook announces the statements of items, of texts and args, to
// c's hook.
func newBatchHook(ctx context.Context, c hookConn, texts []string, args [][]any, items []batchItem) *batchHook {
	h := &batchHook{c: c, ctxs: make([]context.Context, len(texts)), es: make([]*QueryEvent, len(texts)), done: make([]bool, len(texts))}
	for i, text := range texts {
		op := "query"
		if items[i].exec {
			op = "exec"
		}
		h.ctxs[i], h.es[i] = c.before(ctx, op, text, args[i])
	}
	return h
}

// report reports statement i, once.
func (h *batchHook) report(i int, n int64, err error) {
	if h == nil || h.done[i] {
		return
	}
	h.done[i] = true
	h.c.after(h.ctxs[i], h.es[i], n, err)
}

// rows returns statement i's rows, which report it when closed.
func (h *batchHook) rows(i int, rs rows) rows {
	if h == nil {
		return rs
	}
	h.done[i] = true
	return &hookRows{rows: rs, c: h.c, ctx: h.ctxs[i], e: h.es[i]}
}
