package wren

import (
	"context"
	"fmt"
	"reflect"
	"slices"
	"unsafe"
)

// Create inserts rows into table t and sets each row's auto-increment key
// to the key the database generated (when the key was zero).
//
// Rows that would pass the dialect's limit on bound parameters in one
// statement are split over several INSERTs, run in one transaction (a
// savepoint when db is a Tx), so that a failure writes no row at all.
//
// Keys come back through RETURNING on PostgreSQL, and on SQLite and MariaDB
// for several rows; one row's key is the driver's last-insert id where there
// is one. None of the three promises the order of RETURNING's rows, so the
// keys are sorted and given to the rows in order: this relies on one
// multi-row INSERT … VALUES generating its keys in the order of its rows,
// which all three do (a concurrent insert may take keys in between, which
// is fine).
//
// MySQL has no RETURNING, and its last-insert id is only the key of the
// first row of an INSERT. Create assigns no key it has not established: it
// reads innodb_autoinc_lock_mode and auto_increment_increment (the step, a
// session variable that Galera also manages) on the same connection, in
// the same transaction as the INSERT. With lock mode 0 or 1 the keys of one
// INSERT are first, first+step, first+2·step…; with lock mode 2 (MySQL 8's
// default, and Galera's requirement) nothing promises that, so several rows
// are inserted one INSERT each, still in one transaction.
func Create[T any](ctx context.Context, db Querier, t TableLike, rows ...*T) error {
	if len(rows) == 0 {
		return nil
	}
	if err := checkDB(db); err != nil {
		return err
	}
	ti := infoOf(t)
	if ti == nil {
		return fmt.Errorf("wren: Create without a table (a nil table descriptor?)")
	}
	if ti.err != nil {
		return ti.err
	}
	m, err := rowMapFor(reflect.TypeFor[T](), ti)
	if err != nil {
		return err
	}
	for i, r := range rows {
		if r == nil {
			return fmt.Errorf("wren: Create into %s: row %d is nil", ti.ref(), i)
		}
	}
	fillUUIDKeys(m, rows)
	per := db.Dialect().MaxParams() / len(m.cols)
	if per < 1 {
		return fmt.Errorf("wren: Create into %s: one row needs more parameters than %s allows", ti.ref(), db.Dialect())
	}
	if len(rows) <= per {
		return createBatch(ctx, db, ti, m, rows)
	}
	return atomic(ctx, db, func(tx *Tx) error {
		for start := 0; start < len(rows); start += per {
			end := min(start+per, len(rows))
			if err := createBatch(ctx, tx, ti, m, rows[start:end]); err != nil {
				return err
			}
		}
		return nil
	})
}

func createBatch[T any](ctx context.Context, db Querier, ti *tableInfo, m *rowMap, rows []*T) error {
	args := make([]any, len(rows))
	for i, r := range rows {
		args[i] = r
	}
	q := Insert(tableRef{ti}).Rows(args...)
	wantKeys := m.auto >= 0 && isZeroAt(m.typs[m.auto], unsafe.Add(unsafe.Pointer(rows[0]), m.offs[m.auto]))
	if !wantKeys {
		_, err := Exec(ctx, db, q)
		return err
	}
	key := m.cols[m.auto]
	setKey := func(r *T, id int64) {
		f := reflect.NewAt(m.typs[m.auto], unsafe.Add(unsafe.Pointer(r), m.offs[m.auto])).Elem()
		if f.CanInt() {
			f.SetInt(id)
		} else {
			f.SetUint(uint64(id))
		}
	}
	d := db.Dialect()
	// The driver's last-insert id is exact for one row where it has one; an
	// Exec costs less than reading keys back.
	if len(rows) == 1 && d.LastInsertID() {
		res, err := Exec(ctx, db, q)
		if err != nil {
			return err
		}
		setKey(rows[0], res.LastInsertID)
		return nil
	}
	if !d.Returning("INSERT") {
		return createSteppedKeys(ctx, db, ti, rows, setKey)
	}
	ids, err := All[int64](ctx, db, q.Returning(Expr[int64]{n: &key.self}))
	if err != nil {
		return err
	}
	if len(ids) != len(rows) {
		return fmt.Errorf("wren: Create into %s: %d rows inserted but %d keys returned", ti.ref(), len(rows), len(ids))
	}
	// RETURNING emits rows in no promised order (SQLite says so outright);
	// keys are generated in the order of the VALUES rows, so the sorted keys
	// follow the rows.
	slices.Sort(ids)
	for i, r := range rows {
		setKey(r, ids[i])
	}
	return nil
}

// tableRef is a TableLike for a table description held directly.
type tableRef struct{ t *tableInfo }

func (t tableRef) info() *tableInfo { return t.t }

// autoIncKeys is how a MySQL session hands out auto-increment keys.
type autoIncKeys struct {
	LockMode int64 // innodb_autoinc_lock_mode: 0 or 1 give one INSERT stepped keys
	Step     int64 // auto_increment_increment
}

// createSteppedKeys inserts rows on a database whose last-insert id is the
// first row's key only: in one INSERT where the lock mode promises stepped
// keys (read with the step on the same connection, in the transaction), one
// INSERT per row otherwise.
func createSteppedKeys[T any](ctx context.Context, db Querier, ti *tableInfo, rows []*T, setKey func(*T, int64)) error {
	return atomic(ctx, db, func(tx *Tx) error {
		keys, err := One[autoIncKeys](ctx, tx, RawStmt(tx.d.AutoIncKeysSQL()))
		if err != nil {
			return err
		}
		if keys.LockMode <= 1 {
			step := keys.Step
			args := make([]any, len(rows))
			for i, r := range rows {
				args[i] = r
			}
			res, err := Exec(ctx, tx, Insert(tableRef{ti}).Rows(args...))
			if err != nil {
				return err
			}
			for i, r := range rows {
				setKey(r, res.LastInsertID+int64(i)*step)
			}
			return nil
		}
		for _, r := range rows {
			res, err := Exec(ctx, tx, Insert(tableRef{ti}).Rows(r))
			if err != nil {
				return err
			}
			setKey(r, res.LastInsertID)
		}
		return nil
	})
}
