package wren

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"unsafe"

	"github.com/go-sql-driver/mysql"
	"github.com/jackc/pgx/v5/pgconn"
	"modernc.org/sqlite"
)

// GetOrCreate reads the row of table t whose columns keys hold the values
// of row's fields for them (a unique key: the primary key, or columns
// declared unique). When there is one, it is stored in *row and created is
// false. Otherwise row is inserted as [Create] inserts it, with the values
// the database generates read back, and created is true:
//
//	u := User{Username: "huey", Email: "huey@example.com"}
//	created, err := wren.GetOrCreate(ctx, db, Users, &u, Users.Username)
//
// It is safe against a concurrent GetOrCreate of the same key: an INSERT
// that loses the race on the unique key (see [IsUniqueViolation]) reads
// the row the winner inserted instead. On a [*Tx] the INSERT runs in a
// savepoint, so that a lost race does not abort the transaction on
// PostgreSQL, and the read after it locks the row (FOR SHARE, on
// PostgreSQL and MySQL) so that it sees the winner's row even in a
// REPEATABLE READ snapshot. Under PostgreSQL's REPEATABLE READ or
// SERIALIZABLE the winner's row stays invisible; then the unique
// violation is returned.
func GetOrCreate[T any](ctx context.Context, db Querier, t TableLike, row *T, keys ...ColumnRef) (created bool, err error) {
	ti, m, where, err := keyedWrite(db, t, row, keys, "GetOrCreate")
	if err != nil {
		return false, err
	}
	sel := Select(m.colsItem(allCols(m))).From(tableRef{ti}).Where(where...).Limit(1)
	got, err := One[T](ctx, db, sel)
	if err == nil {
		*row = got
		return false, nil
	}
	if !errors.Is(err, ErrNoRows) {
		return false, err
	}
	if tx, ok := db.(*Tx); ok {
		err = tx.Atomic(ctx, func(sp *Tx) error { return Create(ctx, sp, t, row) })
	} else {
		err = Create(ctx, db, t, row)
	}
	if err == nil {
		return true, nil
	}
	if !IsUniqueViolation(err) {
		return false, err
	}
	// Lost the race: the row is there now.
	if _, inTx := db.(*Tx); inTx && db.Dialect().RowLocks() {
		sel = sel.ForShare()
	}
	got, rerr := One[T](ctx, db, sel)
	if rerr != nil {
		return false, fmt.Errorf("wren: GetOrCreate in %s: the INSERT collided with another row, and reading that row failed (%w): %w", ti.ref(), rerr, err)
	}
	*row = got
	return false, nil
}

// UpsertRow inserts row into table t or, when it collides with an existing
// row on the unique columns keys, updates that row, and then stores the row
// as the database holds it in *row (generated keys, DEFAULTs, the existing
// row's columns that were not updated).
//
// The update writes the columns update from row; with none given, every
// mapped column but the keys, the auto-increment key and omitzero columns
// that are zero. An autoupdate column is set to CURRENT_TIMESTAMP.
//
//	err := wren.UpsertRow(ctx, db, Counters, &c, wren.Columns(Counters.URL), Counters.Hits)
//
// It is [InsertQuery.OnConflict] … DoUpdate with RETURNING on PostgreSQL,
// SQLite and MariaDB; MySQL has no RETURNING, and the row is read back by
// keys in the same transaction. As with OnConflict, MySQL and MariaDB act
// on a collision with any unique key of the table, not only keys.
func UpsertRow[T any](ctx context.Context, db Querier, t TableLike, row *T, keys []ColumnRef, update ...ColumnRef) error {
	ti, m, where, err := keyedWrite(db, t, row, keys, "UpsertRow")
	if err != nil {
		return err
	}
	mask := m.genMask(unsafe.Pointer(row))
	var sets []Assignment
	if len(update) > 0 {
		for _, u := range update {
			c := colOf(u)
			if c == nil || c.table.name != ti.name || !hasColumn(m.cols, c.name) {
				return fmt.Errorf("wren: UpsertRow into %s: update column %v is not a column of %s that %s has a field for", ti.ref(), colName(c), ti.ref(), m.typ)
			}
			sets = append(sets, excludedSet(c))
		}
	} else {
		for i, c := range m.cols {
			if i == m.auto || hasColumn(keyCols(keys), c.name) || m.omitted(i, mask) {
				continue
			}
			sets = append(sets, excludedSet(c))
		}
	}
	for _, c := range m.cols {
		if c.opts.autoUpdate && !assigns(sets, c.name) {
			sets = append(sets, excludedSet(c))
		}
	}
	if len(sets) == 0 { // nothing but keys: a no-op update, so that the row comes back
		sets = append(sets, Assignment{col: colOf(keys[0]), v: excludedExpr{colOf(keys[0])}, expr: true})
	}
	q := Insert(tableRef{ti}).Rows(row).OnConflict(keys...).DoUpdate(sets)
	all := m.colsItem(allCols(m))
	if db.Dialect().Returning("INSERT") {
		got, err := One[T](ctx, db, q.Returning(all))
		if err != nil {
			return err
		}
		*row = got
		return nil
	}
	return atomic(ctx, db, func(tx *Tx) error {
		if _, err := Exec(ctx, tx, q); err != nil {
			return err
		}
		got, err := One[T](ctx, tx, Select(all).From(tableRef{ti}).Where(where...))
		if err != nil {
			return fmt.Errorf("wren: UpsertRow into %s: reading the row back: %w", ti.ref(), err)
		}
		*row = got
		return nil
	})
}

// excludedSet assigns column c the proposed row's value: excluded.c (or
// VALUES(c)), or CURRENT_TIMESTAMP for an autoupdate column.
func excludedSet(c *colInfo) Assignment {
	if c.opts.autoUpdate {
		return Assignment{col: c, v: keyword("CURRENT_TIMESTAMP"), expr: true}
	}
	return Assignment{col: c, v: excludedExpr{c}, expr: true}
}

func colName(c *colInfo) string {
	if c == nil {
		return "(nil)"
	}
	return c.table.ref() + "." + c.name
}

func keyCols(keys []ColumnRef) []*colInfo {
	out := make([]*colInfo, 0, len(keys))
	for _, k := range keys {
		if c := colOf(k); c != nil {
			out = append(out, c)
		}
	}
	return out
}

func allCols(m *rowMap) []int {
	out := make([]int, len(m.cols))
	for i := range out {
		out[i] = i
	}
	return out
}

// keyedWrite checks the arguments of GetOrCreate and UpsertRow and returns
// the conditions that find row by keys.
func keyedWrite[T any](db Querier, t TableLike, row *T, keys []ColumnRef, what string) (*tableInfo, *rowMap, []Predicate, error) {
	if err := checkDB(db); err != nil {
		return nil, nil, nil, err
	}
	ti := infoOf(t)
	switch {
	case ti == nil:
		return nil, nil, nil, fmt.Errorf("wren: %s without a table (a nil table descriptor?)", what)
	case ti.err != nil:
		return nil, nil, nil, ti.err
	case row == nil:
		return nil, nil, nil, fmt.Errorf("wren: %s into %s: nil row", what, ti.ref())
	case len(keys) == 0:
		return nil, nil, nil, fmt.Errorf("wren: %s into %s: no key columns; name the unique columns that identify the row", what, ti.ref())
	}
	m, err := rowMapFor(reflect.TypeFor[T](), ti)
	if err != nil {
		return nil, nil, nil, err
	}
	var where []Predicate
	for _, k := range keys {
		c := colOf(k)
		if c == nil || c.table.name != ti.name {
			return nil, nil, nil, fmt.Errorf("wren: %s into %s: key column %s is not a column of %s", what, ti.ref(), colName(c), ti.ref())
		}
		i := -1
		for j, mc := range m.cols {
			if mc.name == c.name {
				i = j
			}
		}
		if i < 0 {
			return nil, nil, nil, fmt.Errorf("wren: %s into %s: %s has no field for key column %s", what, ti.ref(), m.typ, c.name)
		}
		v := m.get[i](unsafe.Add(unsafe.Pointer(row), m.offs[i]))
		if isNullValue(v) {
			return nil, nil, nil, fmt.Errorf("wren: %s into %s: key column %s is NULL in the row; NULLs never collide on a unique key, so the row cannot be found by it", what, ti.ref(), c.name)
		}
		where = append(where, Predicate{op: pCmp, cmp: opEq, l: c, v: v})
	}
	return ti, m, where, nil
}

// IsUniqueViolation reports whether err is a database's refusal of a row
// that collides with another on a unique key or the primary key:
//
//	PostgreSQL    23505 unique_violation
//	MySQL/MariaDB 1062 ER_DUP_ENTRY, 1586 ER_DUP_ENTRY_WITH_KEY_NAME
//	SQLite        SQLITE_CONSTRAINT_UNIQUE (2067), SQLITE_CONSTRAINT_PRIMARYKEY (1555)
func IsUniqueViolation(err error) bool {
	if err == nil {
		return false
	}
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		return pe.Code == "23505"
	}
	var me *mysql.MySQLError
	if errors.As(err, &me) {
		return me.Number == 1062 || me.Number == 1586
	}
	var se *sqlite.Error
	if errors.As(err, &se) {
		return se.Code() == 2067 || se.Code() == 1555
	}
	return false
}
