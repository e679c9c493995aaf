package wren

import (
	"context"
	"errors"
	"fmt"
	satomic "sync/atomic"
	"unsafe"

	"github.com/wrensql/wren/dialect"
)

// Create of one row — the most common write — renders its INSERT once per
// row type, table, dialect and set of generated columns left zero: the
// text is kept on the row map, and each later row only collects its
// values. The text is the one Insert(t).Rows(row) renders (with RETURNING
// the key where the key comes back that way), so hooks, statement caches
// and logs see the same statement either way.

// oneInsert is the kept INSERT of one row.
type oneInsert struct {
	d    *dialect.Dialect
	mask uint64 // the generated columns the row leaves zero
	ret  bool   // RETURNING the auto-increment key
	text string
	args int // values bound
	plan satomic.Pointer[planVariant]
}

// createOne inserts row, which leaves the generated columns of mask zero:
// none, or only the auto-increment key (key), which it then reads back. It
// reports false, having done nothing, where the general path must run.
func createOne[T any](ctx context.Context, db Querier, ti *tableInfo, m *rowMap, row *T, mask uint64, key bool) (bool, error) {
	d := db.Dialect()
	ret := key && !d.LastInsertID()
	if ret && !d.Returning("INSERT") {
		return false, nil
	}
	base := unsafe.Pointer(row)
	if err := m.keyError(ti, base, 0); err != nil {
		return true, err
	}
	k := m.one.Load()
	if k == nil || k.d != d || k.mask != mask || k.ret != ret {
		var err error
		if k, err = m.keepOne(d, ti, row, mask, ret); err != nil {
			return true, err
		}
	}
	args, err := m.oneArgs(d, base, mask, k.args)
	if err != nil {
		return true, err
	}
	b := boundStmt{text: k.text, args: args, plan: &k.plan}
	switch {
	case ret:
		id, err := One[int64](ctx, db, b)
		if errors.Is(err, ErrNoRows) {
			err = notInserted(ti)
		}
		if err != nil {
			return true, err
		}
		setKeyAt(m, base, id)
	case key:
		res, err := Exec(ctx, db, b)
		if err == nil && res.RowsAffected == 0 {
			err = notInserted(ti) // the last-insert id is another row's
		}
		if err != nil {
			return true, err
		}
		setKeyAt(m, base, res.LastInsertID)
	default:
		_, err := Exec(ctx, db, b)
		return true, err
	}
	return true, nil
}

// keepOne renders the INSERT of row for d and keeps it on m.
func (m *rowMap) keepOne(d *dialect.Dialect, ti *tableInfo, row any, mask uint64, ret bool) (*oneInsert, error) {
	q := Insert(tableRef{ti}).Rows(row)
	if ret {
		q = q.Returning(Expr[int64]{n: &m.cols[m.auto].self})
	}
	r, err := render(d, q)
	if err != nil {
		return nil, err
	}
	k := &oneInsert{d: d, mask: mask, ret: ret, text: texts.intern(r.buf), args: len(r.args)}
	r.release()
	m.one.Store(k)
	return k, nil
}

// oneArgs collects the values the INSERT of the row at base binds, in the
// order its VALUES list binds them (see appendStructRows); n is how many.
func (m *rowMap) oneArgs(d *dialect.Dialect, base unsafe.Pointer, mask uint64, n int) ([]any, error) {
	args := make([]any, 0, n)
	for i := range m.cols {
		if m.generated(i, mask) {
			continue // omitted, or written as CURRENT_TIMESTAMP
		}
		v, err := argValue(d, m.get[i](unsafe.Add(base, m.offs[i])))
		if err != nil {
			return nil, err
		}
		args = append(args, v)
	}
	return args, nil
}

// notInserted is the error of a one-row INSERT that inserted nothing: a
// trigger dropped the row (PostgreSQL's BEFORE INSERT returning NULL,
// SQLite's RAISE(IGNORE)), so there is no key to give it.
func notInserted(ti *tableInfo) error {
	return fmt.Errorf("wren: Create into %s: the row was not inserted (a trigger dropped it?), so it has no key", ti.ref())
}
