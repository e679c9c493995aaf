package wren

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"

	"github.com/jackc/pgx/v5"

	"github.com/wrensql/wren/dialect"
)

// Tx is a transaction, or a savepoint inside one. Every query helper takes a
// Tx as it takes a DB. A Tx is not safe for concurrent use.
type Tx struct {
	d      *dialect.Dialect
	c      conn
	sqlTx  *sql.Tx
	pgTx   pgx.Tx
	parent *Tx    // set for a savepoint
	name   string // the savepoint's name
	depth  int
	done   bool
	// consecutive is the DB's: multi-row INSERTs get consecutive keys.
	consecutive bool
}

// TxOptions are the isolation level and access mode of a transaction.
type TxOptions struct {
	// Isolation is the isolation level; the zero value is the database's
	// default. SQLite only has serializable transactions.
	Isolation sql.IsolationLevel
	// ReadOnly makes the transaction read-only where the database supports
	// it (PostgreSQL, MySQL/MariaDB).
	ReadOnly bool
}

// Dialect returns the dialect statements are rendered for.
func (tx *Tx) Dialect() *dialect.Dialect { return tx.d }

func (tx *Tx) conn() conn { return tx.c }

// Begin starts a transaction; the caller must Commit or Rollback it.
func (db *DB) Begin(ctx context.Context, opts ...TxOptions) (*Tx, error) {
	var o TxOptions
	if len(opts) > 0 {
		o = opts[0]
	}
	if db.pool != nil {
		po := pgx.TxOptions{}
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
			return nil, fmt.Errorf("wren: isolation level %v is not supported by postgres", o.Isolation)
		}
		if o.ReadOnly {
			po.AccessMode = pgx.ReadOnly
		}
		t, err := db.pool.BeginTx(ctx, po)
		if err != nil {
			return nil, fmt.Errorf("wren: begin: %w", err)
		}
		return &Tx{d: db.d, c: pgxConn{db: t}, pgTx: t, consecutive: db.consecutive}, nil
	}
	t, err := db.sqlDB.BeginTx(ctx, &sql.TxOptions{Isolation: o.Isolation, ReadOnly: o.ReadOnly})
	if err != nil {
		return nil, fmt.Errorf("wren: begin on %s: %w", db.d, err)
	}
	return &Tx{d: db.d, c: sqlConn{db: t}, sqlTx: t, consecutive: db.consecutive}, nil
}

// Commit commits the transaction, or releases the savepoint.
func (tx *Tx) Commit(ctx context.Context) error {
	if tx.done {
		return errors.New("wren: Commit on a finished transaction")
	}
	tx.done = true
	var err error
	switch {
	case tx.parent != nil:
		_, err = tx.c.exec(ctx, "RELEASE SAVEPOINT "+tx.name, nil)
	case tx.pgTx != nil:
		err = tx.pgTx.Commit(ctx)
	default:
		err = tx.sqlTx.Commit()
	}
	if err != nil {
		return fmt.Errorf("wren: commit: %w", err)
	}
	return nil
}

// Rollback undoes the transaction, or everything since the savepoint.
// Rolling back a finished transaction does nothing.
func (tx *Tx) Rollback(ctx context.Context) error {
	if tx.done {
		return nil
	}
	tx.done = true
	var err error
	switch {
	case tx.parent != nil:
		_, err = tx.c.exec(ctx, "ROLLBACK TO SAVEPOINT "+tx.name, nil)
		if err == nil {
			_, err = tx.c.exec(ctx, "RELEASE SAVEPOINT "+tx.name, nil)
		}
	case tx.pgTx != nil:
		err = tx.pgTx.Rollback(ctx)
	default:
		err = tx.sqlTx.Rollback()
	}
	if err != nil {
		return fmt.Errorf("wren: rollback: %w", err)
	}
	return nil
}

// Savepoint starts a nested transaction: SAVEPOINT, then RELEASE on Commit
// or ROLLBACK TO on Rollback, which undoes only the nested work.
func (tx *Tx) Savepoint(ctx context.Context) (*Tx, error) {
	if tx.done {
		return nil, errors.New("wren: Savepoint on a finished transaction")
	}
	name := "wren_sp_" + strconv.Itoa(tx.depth+1)
	if _, err := tx.c.exec(ctx, "SAVEPOINT "+name, nil); err != nil {
		return nil, fmt.Errorf("wren: savepoint: %w", err)
	}
	return &Tx{d: tx.d, c: tx.c, parent: tx, name: name, depth: tx.depth + 1, consecutive: tx.consecutive}, nil
}

// Atomic runs fn in a transaction: it commits when fn returns nil, rolls
// back when fn returns an error (which Atomic returns), and rolls back and
// panics again when fn panics.
//
//	err := db.Atomic(ctx, func(tx *wren.Tx) error {
//		_, err := wren.Exec(ctx, tx, wren.Update(Counter).Set(…).Where(…))
//		return err
//	})
func (db *DB) Atomic(ctx context.Context, fn func(tx *Tx) error, opts ...TxOptions) error {
	tx, err := db.Begin(ctx, opts...)
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
			tx.Rollback(context.WithoutCancel(ctx))
			panic(p)
		}
	}()
	if err := fn(tx); err != nil {
		if rerr := tx.Rollback(context.WithoutCancel(ctx)); rerr != nil {
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
	}
	return fmt.Errorf("wren: cannot start a transaction on %T", db)
}
