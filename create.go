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
// for several rows (one row's key is the driver's last-insert id there; on
// a MariaDB server that Open found to hand out consecutive keys — lock mode
// 0 or 1, increment 1 — several rows' keys too, which saves reading them).
// None of the three promises the order of RETURNING's rows, so the keys are
// sorted and given to the rows in order: this relies on one multi-row
// INSERT … VALUES generating its keys in the order of its rows, which all
// three do (a concurrent insert may take keys in between, which is fine).
// MySQL has no RETURNING: its last-insert id is the key of the first row of
// each INSERT, and the others are taken to follow it one by one. What MySQL
// documents: with innodb_autoinc_lock_mode 0 or 1 the keys of one INSERT
// are consecutive; with 2 (the default since MySQL 8.0) they are unique and
// increasing, and the manual names gaps only for inserts whose row count is
// not known in advance (INSERT … SELECT, LOAD DATA), which Create never
// sends, yet its general wording for mode 2 ("may not be consecutive")
// promises no more. Keys are also off when auto_increment_increment is not
// 1 (Galera clusters set it). Where exact keys matter there, create one row
// at a time, or use MariaDB, whose RETURNING wren uses.
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
	// The driver's last-insert id is exact for one row where it has one, and
	// for several on a MySQL/MariaDB server that hands out consecutive keys;
	// an Exec costs less than reading keys back. Otherwise: RETURNING.
	lastID := db.Dialect().LastInsertID() && (len(rows) == 1 || consecutiveKeys(db))
	if db.Dialect().Returning("INSERT") && !lastID {
		ids, err := All[int64](ctx, db, q.Returning(Expr[int64]{n: &key.self}))
		if err != nil {
			return err
		}
		if len(ids) != len(rows) {
			return fmt.Errorf("wren: Create into %s: %d rows inserted but %d keys returned", ti.ref(), len(rows), len(ids))
		}
		// RETURNING emits rows in no promised order (SQLite says so
		// outright); keys are generated in the order of the VALUES rows, so
		// the sorted keys follow the rows.
		slices.Sort(ids)
		for i, r := range rows {
			setKey(r, ids[i])
		}
		return nil
	}
	res, err := Exec(ctx, db, q)
	if err != nil {
		return err
	}
	for i, r := range rows {
		setKey(r, res.LastInsertID+int64(i))
	}
	return nil
}

// tableRef is a TableLike for a table description held directly.
type tableRef struct{ t *tableInfo }

func (t tableRef) info() *tableInfo { return t.t }

// consecutiveKeys reports whether one multi-row INSERT on db gets
// consecutive auto-increment keys: true on a MySQL/MariaDB server with
// innodb_autoinc_lock_mode 0 or 1 and auto_increment_increment 1, as Open
// finds out.
func consecutiveKeys(db Querier) bool {
	switch q := db.(type) {
	case *DB:
		return q.consecutive
	case *Tx:
		return q.consecutive
	}
	return false
}
