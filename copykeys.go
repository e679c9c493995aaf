package wren

import (
	"context"
	"errors"
	"unsafe"

	"github.com/jackc/pgx/v5/pgconn"
)

// Keys for a COPY, from the server. Drawing every key before the COPY costs
// the server about as much again as the COPY itself spends on the rows'
// defaults, on the same connection, one after the other. Instead,
// copyServerKeys leaves the key column out of the COPY, so that the server
// fills it from the sequence as it writes each row (in the rows' order).
// Just before the COPY it reads a value below every key the sequence will
// give (its last value: see dialect.SequenceStartSQL), and just after it
// reads currval, the last key the COPY drew. If the two are n increments
// apart, no one else drew from the sequence in between: the rows got the n
// values after the first, in order. If someone did, the keys are read back
// from the table — those in the range that this transaction wrote — or,
// where that cannot be told (inside a savepoint), the COPY is rolled back
// and Create draws the keys first after all.
//
// It all runs in one transaction: one of its own on a *DB over a pgx pool,
// a savepoint inside a caller's transaction. Elsewhere (a Cluster, a pgx
// connection given to OpenDB) Create draws the keys first.

// serverKeysMin is the number of rows from which Create leaves the keys
// of a COPY to the server rather than drawing them first. It costs two
// round trips more (the transaction's) and saves the server building and
// sending an array of keys. Measured on this machine (bench/
// BenchmarkBulkInsert, ten columns, 10 alternating rounds, median ratio to
// pgx's CopyFrom without keys, load average about 1.5): drawing first
// 0.87 at 1,000 rows and 1.09 at 10,000; the server's keys 0.93 and 1.01.
// Where the lines cross, about 2,000 rows, is the threshold.
const serverKeysMin = 2000

// keysOutcome is what copyServerKeys did.
type keysOutcome int

const (
	keysWritten    keysOutcome = iota // the rows are written (or the error says why not)
	keysNoSequence                    // nothing done: the key column has no sequence
	keysDrawFirst                     // nothing done: draw the keys first
)

// beginCopyScope opens the transaction a COPY with the server's keys runs
// in: Create's own on a *DB over a pgx pool (own), a savepoint in a
// caller's transaction; nil where there is none to open.
func beginCopyScope(ctx context.Context, db Querier) (tx *Tx, own bool, err error) {
	switch db := db.(type) {
	case *DB:
		if db.pool != nil {
			tx, err = db.Begin(ctx)
			return tx, true, err
		}
	case *Tx:
		tx, err = db.Savepoint(ctx)
		return tx, false, err
	}
	return nil, false, nil
}

// copyServerKeys writes rows with COPY, the key column left to its
// sequence, and sets the keys the rows got (see above).
func copyServerKeys(ctx context.Context, db Querier, ti *tableInfo, m *rowMap, table string, names []string, all copyCols, rows []unsafe.Pointer) (keysOutcome, error) {
	tx, own, err := beginCopyScope(ctx, db)
	switch {
	case err != nil:
		return keysWritten, err
	case tx == nil:
		return keysDrawFirst, nil
	}
	res, err := copyInScope(ctx, tx, own, ti, m, table, names, all, rows)
	if res != keysWritten || err != nil {
		if rbErr := tx.Rollback(ctx); err == nil {
			err = rbErr
		}
		resetKeys(m, rows)
		return res, err
	}
	if err := tx.Commit(ctx); err != nil {
		resetKeys(m, rows) // a failed COMMIT rolled the rows back
		return keysWritten, err
	}
	return keysWritten, nil
}

// copyInScope is copyServerKeys in tx, Create's own transaction (own) or
// a savepoint.
func copyInScope(ctx context.Context, tx *Tx, own bool, ti *tableInfo, m *rowMap, table string, names []string, all copyCols, rows []unsafe.Pointer) (keysOutcome, error) {
	d := tx.Dialect()
	n := int64(len(rows))
	var start, inc int64
	var seq string
	text := d.SequenceStartSQL()
	var oids []uint32
	var exact *bool
	found, err := queryRow(ctx, tx, text, []any{table, m.cols[m.auto].name, names}, &start, &inc, &seq, &oids, &exact)
	switch {
	case insufficientPrivilege(err):
		// Reading the sequence (and currval) needs SELECT or USAGE on it,
		// drawing from it USAGE or UPDATE: a role with UPDATE alone
		// draws the keys first.
		return keysDrawFirst, nil
	case err != nil || !found:
		return keysNoSequence, err
	case exact == nil || !*exact:
		// The default is not the sequence's next value as it is: give
		// the keys drawn from it, as a caller's INSERT would.
		return keysDrawFirst, nil
	}
	all.binary = takesBinary(all.fields, oids)
	if err := runCopy(ctx, tx, ti, table, all.without(m.auto), rows); err != nil {
		return keysWritten, err
	}
	// Every key the rows got lies beyond start, and the last is currval:
	// if the two are n increments apart, the rows got every value in
	// between, in order.
	var last int64
	if _, err := queryRow(ctx, tx, d.CurrvalSQL(), []any{seq}, &last); err != nil {
		return keysWritten, err
	}
	if last-start == n*inc {
		for i, p := range rows {
			setKeyAt(m, p, start+int64(i+1)*inc)
		}
		return keysWritten, nil
	}
	if !own {
		return keysDrawFirst, nil // in a savepoint, xmin is not the transaction's
	}
	// Someone else drew from the sequence during the COPY: the rows' keys
	// are the ones from beyond start up to last that this transaction
	// wrote.
	var ids []int64
	if _, err := queryRow(ctx, tx, d.OwnKeysSQL(table, all.names[m.auto], inc > 0), []any{start, last}, &ids); err != nil {
		return keysWritten, err
	}
	if int64(len(ids)) != n {
		return keysDrawFirst, nil
	}
	for i, p := range rows {
		setKeyAt(m, p, ids[i])
	}
	return keysWritten, nil
}

// queryRow runs a query of one row at most, scanning it into dest; found
// reports whether there was a row.
func queryRow(ctx context.Context, q Querier, text string, args []any, dest ...any) (found bool, err error) {
	rs, err := q.conn().query(ctx, text, args)
	if err != nil {
		return false, stmtError(ctx, "query", q, text, err)
	}
	defer rs.Close()
	if rs.Next() {
		if err := rs.Scan(dest...); err != nil {
			return false, stmtError(ctx, "query", q, text, err)
		}
		found = true
	}
	if err := rs.Err(); err != nil {
		return false, stmtError(ctx, "query", q, text, err)
	}
	return found, nil
}

// insufficientPrivilege reports whether err is PostgreSQL's permission
// error (SQLSTATE 42501).
func insufficientPrivilege(err error) bool {
	var pe *pgconn.PgError
	return errors.As(err, &pe) && pe.Code == "42501"
}
