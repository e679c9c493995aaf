package wren

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/wrensql/wren/dialect"
)

// ErrTxDone is returned (wrapped) by a statement, Commit or Savepoint on a
// transaction or savepoint that has already ended: committed, rolled back,
// or undone by the rollback or release of an enclosing savepoint.
var ErrTxDone = errors.New("wren: the transaction or savepoint has already ended")

// Tx is a transaction, or a savepoint inside one. Every query helper takes a
// Tx as it takes a DB. A Tx is not safe for concurrent use.
//
// A Tx holds one connection of the pool from Begin until Commit or
// Rollback. Statements run on a savepoint, or on its parent while the
// savepoint is open, run in the savepoint's scope: rolling it back undoes
// them. Once a Tx has ended, every statement on it fails with ErrTxDone.
type Tx struct {
	d      *dialect.Dialect
	root   *txRoot
	parent *Tx    // set for a savepoint
	name   string // the savepoint's name, unique within the root transaction
	done   bool
}

// txRoot is what a transaction and all its savepoints share: the
// connection, the savepoint counter, and the savepoints still open.
type txRoot struct {
	run  conn      // runs the transaction's statements
	stmt conn      // run, reporting to the DB's hook: for the caller's statements
	sc   *sql.Conn // the pinned database/sql connection, or nil
	pgTx pgx.Tx    // the pgx transaction, or nil
	seq  int       // savepoints taken so far, for unique names
	open []*Tx     // savepoints not yet ended, outermost first
	db   *DB       // the handle the transaction came from
	self *Tx       // the root Tx
	// ended is the error with which the server rolled the whole
	// transaction back and left it (MySQL/MariaDB 1213: a deadlock, or a
	// Galera certification conflict): nothing more runs in it, and Commit
	// reports it.
	ended error
	// last is the last error a statement of the transaction returned, for
	// a COMMIT that PostgreSQL turns into a ROLLBACK.
	last error
	// afterCommit runs after a successful COMMIT (a cluster session notes
	// the write).
	afterCommit func()
}

// TxOptions are the isolation level, access mode and retry policy of a
// transaction.
type TxOptions struct {
	// Isolation is the isolation level; the zero value is the database's
	// default. SQLite only has serializable transactions, which satisfy
	// every level.
	Isolation sql.IsolationLevel
	// ReadOnly makes the transaction read-only where the database supports
	// it (PostgreSQL, MySQL/MariaDB). On SQLite a read-only transaction
	// begins DEFERRED; every other one begins IMMEDIATE (see BeginSQL in
	// package dialect).
	ReadOnly bool
	// MaxAttempts is how many times DB.Atomic runs the transaction in all
	// when it fails with an error that means "try again" (IsRetryable):
	// a serialization failure or deadlock, a lock wait timeout, SQLite's
	// BUSY or LOCKED. 0 and 1 mean once. Between attempts Atomic waits a
	// jittered, growing delay (RetryBackoff), and stops early when ctx
	// ends. Begin ignores it.
	MaxAttempts int
}

// Dialect returns the dialect statements are rendered for.
func (tx *Tx) Dialect() *dialect.Dialect { return tx.d }

func (tx *Tx) conn() conn { return txConn{tx} }

// txConn runs statements on a transaction, refusing them once it ended.
type txConn struct{ tx *Tx }

func (c txConn) query(ctx context.Context, text string, args []any) (rows, error) {
	if err := c.tx.usable(); err != nil {
		return nil, err
	}
	rs, err := c.tx.root.stmt.query(ctx, text, args)
	c.tx.root.note(err)
	if err != nil {
		return nil, err
	}
	return txRows{rs, c.tx.root}, nil
}

// txRows are a transaction's query result. They note the error that ends
// them: a server reports a conflict that rolled the transaction back while
// the query ran (a deadlock, or on Galera a conflict with a write set from
// another node, 1213) after the rows it had already sent, in place of the
// end of the result. The transaction must know, as when the error comes
// at the start: on MySQL/MariaDB its next statement would run in
// autocommit mode, and its COMMIT would succeed.
type txRows struct {
	rows
	root *txRoot
}

func (r txRows) Next() bool {
	if r.rows.Next() {
		return true
	}
	r.root.note(r.rows.Err())
	return false
}

func (r txRows) Err() error {
	err := r.rows.Err()
	r.root.note(err)
	return err
}

func (r txRows) Close() error {
	err := r.rows.Close()
	r.root.note(err)
	return err
}

// driverRows returns the rows a driver made, under a transaction's and a
// hook's, for what they tell of the result (columns, their types); rows
// are read and closed through rs.
func driverRows(rs rows) rows {
	for {
		switch r := rs.(type) {
		case txRows:
			rs = r.rows
		case *hookRows:
			rs = r.rows
		default:
			return rs
		}
	}
}

func (c txConn) exec(ctx context.Context, text string, args []any) (Result, error) {
	if err := c.tx.usable(); err != nil {
		return Result{}, err
	}
	res, err := c.tx.root.stmt.exec(ctx, text, args)
	c.tx.root.note(err)
	return res, err
}

// usable reports why no statement may run on tx: it ended, or the server
// already rolled the whole transaction back. On MySQL/MariaDB a statement
// run after that would not fail: it would run outside any transaction, in
// autocommit mode.
func (tx *Tx) usable() error {
	if tx.done {
		return tx.doneError()
	}
	if tx.root.ended != nil {
		return fmt.Errorf("wren: the server rolled the transaction back after an earlier statement: %w", tx.root.ended)
	}
	return nil
}

// note records a statement's error.
func (root *txRoot) note(err error) {
	if err == nil {
		return
	}
	root.last = err
	if endsTransaction(err) && root.ended == nil {
		root.ended = err
	}
}

func (tx *Tx) doneError() error {
	if tx.parent != nil {
		return fmt.Errorf("%w (savepoint %s)", ErrTxDone, tx.name)
	}
	return ErrTxDone
}

// Begin starts a transaction; the caller must Commit or Rollback it, which
// gives its connection back to the pool.
//
// A Begin that fails because its pooled connection turned out to be dead
// (its server session was ended while it sat idle) is tried again on
// another connection, up to once per pooled connection: starting a
// transaction has no effect that running it twice could repeat. See docs/reliability.md for what is retried where.
func (db *DB) Begin(ctx context.Context, opts ...TxOptions) (*Tx, error) {
	var o TxOptions
	if len(opts) > 0 {
		o = opts[0]
	}
	root := &txRoot{db: db}
	if db.pool != nil {
		po, err := pgxTxOptions(o)
		if err != nil {
			return nil, err
		}
		t, err := db.pool.BeginTx(ctx, po)
		// Each failure discards one dead connection: try until a live one
		// or a fresh one answers.
		for n := int(db.pool.Config().MaxConns); err != nil && n > 0 && beginRetryable(ctx, err); n-- {
			t, err = db.pool.BeginTx(ctx, po)
		}
		if err != nil {
			return nil, fmt.Errorf("wren: begin on %s: %w", db.d, err)
		}
		root.pgTx, root.run = t, pgxConn{db: t, wire: db.pgWire, direct: db.pgDirect}
	} else {
		stmts, err := db.d.BeginSQL(o.Isolation, o.ReadOnly)
		if err != nil {
			return nil, fmt.Errorf("wren: begin: %w", err)
		}
		sc, err := beginSQL(ctx, db.sqlDB, stmts)
		for n := db.sqlDB.Stats().Idle; err != nil && n > 0 && beginRetryable(ctx, err); n-- {
			sc, err = beginSQL(ctx, db.sqlDB, stmts)
		}
		if err != nil {
			return nil, fmt.Errorf("wren: begin on %s: %w", db.d, err)
		}
		root.sc, root.run = sc, sqlConn{db: sc}
	}
	root.stmt = withHook(root.run, db.hook, db.d, true)
	tx := &Tx{d: db.d, root: root}
	root.self = tx
	return tx, nil
}

func pgxTxOptions(o TxOptions) (pgx.TxOptions, error) {
	var po pgx.TxOptions
	switch o.Isolation {
	case sql.LevelDefault:
	case sql.LevelReadUncommitted:
		po.IsoLevel = pgx.ReadUncommitted
	case sql.LevelReadCommitted:
		po.IsoLevel = pgx.ReadCommitted
	case sql.LevelRepeatableRead, sql.LevelSnapshot:
		po.IsoLevel = pgx.RepeatableRead
	case sql.LevelSerializable, sql.LevelLinearizable:
		po.IsoLevel = pgx.Serializable
	default:
		return po, fmt.Errorf("wren: isolation level %v is not supported by postgres", o.Isolation)
	}
	if o.ReadOnly {
		po.AccessMode = pgx.ReadOnly
	}
	return po, nil
}

// beginSQL takes a connection from the pool and starts a transaction on it.
func beginSQL(ctx context.Context, db *sql.DB, stmts []string) (*sql.Conn, error) {
	sc, err := db.Conn(ctx)
	if err != nil {
		return nil, err
	}
	for _, s := range stmts {
		if _, err := sc.ExecContext(ctx, s); err != nil {
			discard(sc) // the session may be half-way into a transaction
			return nil, fmt.Errorf("%s: %w", s, err)
		}
	}
	return sc, nil
}

// discard closes a pinned database/sql connection without giving it back to
// the pool: its session is in an unknown state.
func discard(sc *sql.Conn) {
	sc.Raw(func(any) error { return driver.ErrBadConn })
	sc.Close()
}

// finishTimeout bounds the ROLLBACK that cleans up after a failed or
// cancelled transaction, which runs even when the caller's context ended.
const finishTimeout = 5 * time.Second

// Commit commits the transaction, or releases the savepoint.
//
// When COMMIT fails, the transaction is rolled back (SQLite does not end a
// transaction whose COMMIT failed, and would keep its write lock), and when
// even that fails the connection is closed rather than given back to the
// pool mid-transaction. The error wraps the cause: errors.Is(err,
// context.DeadlineExceeded) when ctx ended first.
func (tx *Tx) Commit(ctx context.Context) error {
	if tx.done {
		return fmt.Errorf("wren: commit: %w", tx.doneError())
	}
	if tx.root.ended != nil {
		// The server rolled back already, and a COMMIT now would succeed
		// without committing anything: report why, and end the session's
		// state cleanly.
		ended := tx.root.ended
		tx.root.self.Rollback(ctx)
		tx.done = true
		return fmt.Errorf("wren: commit on %s: the server had already rolled the transaction back: %w", tx.d, ended)
	}
	if tx.parent != nil {
		_, err := tx.root.run.exec(ctx, "RELEASE SAVEPOINT "+tx.name, nil)
		tx.root.end(tx)
		if err != nil {
			return fmt.Errorf("wren: release savepoint %s on %s: %w", tx.name, tx.d, err)
		}
		return nil
	}
	root := tx.root
	root.end(tx)
	if root.pgTx != nil {
		// pgx closes a connection whose COMMIT failed in flight, and the
		// pool destroys one that is not idle when it comes back.
		if err := root.pgTx.Commit(ctx); err != nil {
			if ctx.Err() != nil && !errors.Is(err, ctx.Err()) {
				err = fmt.Errorf("%w: %w", ctx.Err(), err)
			}
			if errors.Is(err, pgx.ErrTxCommitRollback) && root.last != nil {
				// An earlier statement failed and aborted the transaction:
				// that error says why (and whether to retry).
				err = fmt.Errorf("%w, after: %w", err, root.last)
			}
			return fmt.Errorf("wren: commit on %s: %w", tx.d, constraintError(err))
		}
		root.committed()
		return nil
	}
	_, err := root.run.exec(ctx, "COMMIT", nil)
	if err == nil {
		root.sc.Close()
		root.committed()
		return nil
	}
	if rerr := root.rollbackSQL(ctx); rerr != nil {
		return fmt.Errorf("wren: commit on %s: %w (and the rollback after it: %v; the connection was closed)", tx.d, constraintError(err), rerr)
	}
	return fmt.Errorf("wren: commit on %s: %w (rolled back)", tx.d, constraintError(err))
}

func (root *txRoot) committed() {
	if root.afterCommit != nil {
		root.afterCommit()
	}
}

// rollbackSQL rolls back a database/sql transaction even when ctx ended,
// and discards the connection when that fails.
func (root *txRoot) rollbackSQL(ctx context.Context) error {
	c, cancel := context.WithTimeout(context.WithoutCancel(ctx), finishTimeout)
	defer cancel()
	if _, err := root.sc.ExecContext(c, "ROLLBACK"); err != nil {
		discard(root.sc)
		return err
	}
	root.sc.Close()
	return nil
}

// Rollback undoes the transaction, or everything since the savepoint. It
// runs even when ctx has ended. Rolling back a finished transaction does
// nothing.
func (tx *Tx) Rollback(ctx context.Context) error {
	if tx.done {
		return nil
	}
	root := tx.root
	root.end(tx)
	var err error
	switch {
	case tx.parent != nil:
		c, cancel := context.WithTimeout(context.WithoutCancel(ctx), finishTimeout)
		defer cancel()
		_, err = root.run.exec(c, "ROLLBACK TO SAVEPOINT "+tx.name, nil)
		if err == nil {
			_, err = root.run.exec(c, "RELEASE SAVEPOINT "+tx.name, nil)
		}
	case root.pgTx != nil:
		c, cancel := context.WithTimeout(context.WithoutCancel(ctx), finishTimeout)
		defer cancel()
		err = root.pgTx.Rollback(c)
	default:
		err = root.rollbackSQL(ctx)
	}
	if err != nil {
		return fmt.Errorf("wren: rollback on %s: %w", tx.d, err)
	}
	return nil
}

// end marks tx ended, with every savepoint opened after it (a RELEASE or
// ROLLBACK TO of a savepoint ends the savepoints inside it, and the end of
// the transaction ends them all).
func (root *txRoot) end(tx *Tx) {
	tx.done = true
	if tx.parent == nil {
		for _, s := range root.open {
			s.done = true
		}
		root.open = nil
		return
	}
	for i, s := range root.open {
		if s == tx {
			for _, inner := range root.open[i:] {
				inner.done = true
			}
			clear(root.open[i:])
			root.open = root.open[:i]
			return
		}
	}
}

// Savepoint starts a nested transaction: SAVEPOINT, then RELEASE on Commit
// or ROLLBACK TO on Rollback, which undoes everything run since the
// savepoint was taken. Savepoint names are unique within the transaction,
// so two savepoints never shadow each other.
func (tx *Tx) Savepoint(ctx context.Context) (*Tx, error) {
	if err := tx.usable(); err != nil {
		return nil, fmt.Errorf("wren: savepoint: %w", err)
	}
	root := tx.root
	root.seq++
	name := "wren_sp_" + strconv.Itoa(root.seq)
	if _, err := root.run.exec(ctx, "SAVEPOINT "+name, nil); err != nil {
		return nil, fmt.Errorf("wren: savepoint on %s: %w", tx.d, err)
	}
	sp := &Tx{d: tx.d, root: root, parent: tx, name: name}
	root.open = append(root.open, sp)
	return sp, nil
}

// Atomic runs fn in a transaction: it commits when fn returns nil, rolls
// back when fn returns an error (which Atomic returns), and rolls back and
// panics again when fn panics.
//
// With TxOptions.MaxAttempts above 1, a transaction that failed with a
// retryable error (IsRetryable) is rolled back and run again, fn included,
// so fn must not have effects outside the transaction that cannot be
// repeated. A transaction whose COMMIT may have taken effect is never run
// again: only errors the server sends to say the transaction was rolled
// back count as retryable.
//
//	err := db.Atomic(ctx, func(tx *wren.Tx) error {
//		_, err := wren.Exec(ctx, tx, wren.Update(Counter).Set(…).Where(…))
//		return err
//	}, wren.TxOptions{MaxAttempts: 5})
func (db *DB) Atomic(ctx context.Context, fn func(tx *Tx) error, opts ...TxOptions) error {
	return retryAtomic(ctx, db.Begin, fn, opts)
}

// retryAtomic is Atomic on whatever begin starts transactions on.
func retryAtomic(ctx context.Context, begin func(context.Context, ...TxOptions) (*Tx, error), fn func(tx *Tx) error, opts []TxOptions) error {
	var o TxOptions
	if len(opts) > 0 {
		o = opts[0]
	}
	for attempt := 1; ; attempt++ {
		err := atomicOnce(ctx, begin, fn, o)
		if err == nil || attempt >= o.MaxAttempts || !IsRetryable(err) {
			if err != nil && attempt > 1 {
				err = fmt.Errorf("%w (after %d attempts)", err, attempt)
			}
			return err
		}
		t := time.NewTimer(RetryBackoff(attempt))
		select {
		case <-ctx.Done():
			t.Stop()
			return fmt.Errorf("wren: retrying the transaction after %d attempts: %w (last error: %w)", attempt, ctx.Err(), err)
		case <-t.C:
		}
	}
}

func atomicOnce(ctx context.Context, begin func(context.Context, ...TxOptions) (*Tx, error), fn func(tx *Tx) error, o TxOptions) error {
	tx, err := begin(ctx, o)
	if err != nil {
		return err
	}
	return tx.run(ctx, fn)
}

// Atomic runs fn in a savepoint of tx: an error or panic in fn undoes only
// what fn did, and leaves tx usable.
func (tx *Tx) Atomic(ctx context.Context, fn func(tx *Tx) error) error {
	sp, err := tx.Savepoint(ctx)
	if err != nil {
		return err
	}
	return sp.run(ctx, fn)
}

func (tx *Tx) run(ctx context.Context, fn func(tx *Tx) error) (err error) {
	defer func() {
		if p := recover(); p != nil {
			tx.Rollback(ctx)
			panic(p)
		}
	}()
	if err := fn(tx); err != nil {
		if rerr := tx.Rollback(ctx); rerr != nil {
			return errors.Join(err, rerr)
		}
		return err
	}
	return tx.Commit(ctx)
}

// atomic runs fn in a transaction on db, or in a savepoint when db is
// already a transaction.
func atomic(ctx context.Context, db Querier, fn func(tx *Tx) error) error {
	switch q := db.(type) {
	case *DB:
		return q.Atomic(ctx, fn)
	case *Tx:
		return q.Atomic(ctx, fn)
	case *Conn:
		return q.atomic(ctx, fn)
	case *Cluster:
		return q.Atomic(ctx, fn)
	case *Session:
		return q.Atomic(ctx, fn)
	}
	return fmt.Errorf("wren: cannot start a transaction on %T", db)
}
