package wren

import (
	"context"
	"errors"
	"fmt"
	"slices"
	satomic "sync/atomic"
	"time"
	"unsafe"

	"github.com/wrensql/wren/dialect"
)

// Create of one row — the most common write — and of a batch of rows that
// all leave the same generated columns zero renders its INSERT once per row
// type, table, dialect, set of generated columns left zero and number of
// rows: the text is kept on the row map, and each later call only collects
// the rows' values. The text is the one Insert(t).Rows(rows...) renders
// (with RETURNING the key where the key comes back that way), so hooks,
// statement caches and logs see the same statement either way.

// keptInsert is a kept INSERT of some rows.
type keptInsert struct {
	d         *dialect.Dialect
	ret       bool // RETURNING the auto-increment key
	rows      int
	text      string
	args      int // values bound
	*boundSet     // the generated columns the rows leave zero (mask), the columns each row binds
	plan      satomic.Pointer[planVariant]
}

// maxKeptBatches is how many multi-row INSERTs a row map keeps: a bulk
// insert split into chunks uses two (the full chunk and the rest).
const maxKeptBatches = 4

// createKept inserts rows, which all leave the generated columns of mask
// zero: none, or only the auto-increment key (key), which it then reads
// back. It reports false, having done nothing, where the general path must
// run.
func createKept[T any](ctx context.Context, db Querier, ti *tableInfo, m *rowMap, rows []*T, mask uint64, key bool) (bool, error) {
	d := db.Dialect()
	// One row's key is the driver's last-insert id where there is one;
	// several rows' keys come back through RETURNING, or on MySQL, through a
	// pool Open made, from the last-insert id and the session's step.
	stepped := key && len(rows) > 1 && !d.Returning("INSERT") && steppedKeys(db)
	ret := key && !stepped && (len(rows) > 1 || !d.LastInsertID())
	if ret && !d.Returning("INSERT") {
		return false, nil
	}
	for i, r := range rows {
		if err := m.keyError(ti, unsafe.Pointer(r), i); err != nil {
			return true, err
		}
	}
	k := m.keptFor(d, mask, ret, len(rows))
	if k == nil {
		var err error
		if k, err = keepInsert(d, ti, m, rows, mask, ret); err != nil {
			return true, err
		}
	}
	// The values go into a pooled renderer's argument slice, as a rendered
	// statement's do: a split bulk insert reuses it chunk after chunk.
	pr := getRenderer(d)
	defer pr.release()
	pr.growArgs(k.args)
	box := newArgBox(k.boundSet, len(rows))
	for _, r := range rows {
		var err error
		if pr.args, err = m.appendArgs(pr.args, d, unsafe.Pointer(r), k.cols, &box); err != nil {
			return true, err
		}
	}
	b := boundStmt{text: k.text, args: pr.args, plan: &k.plan}
	switch {
	case stepped:
		sink := keysSink{stepped: true}
		_, err := Exec(context.WithValue(ctx, keysSinkKey{}, &sink), db, b)
		if errors.Is(err, errNoSteppedKeys) {
			// Lock mode 2: nothing ran. The general path inserts the rows
			// one by one, in a transaction.
			wrappedDB(db).noSteppedKeys.Store(true)
			return false, nil
		}
		if err != nil {
			return true, err
		}
		if sink.n != int64(len(rows)) {
			return true, fmt.Errorf("wren: Create into %s: the INSERT of %d rows reported %d", ti.ref(), len(rows), sink.n)
		}
		setSteppedKeys(m, rows, sink.first, sink.step)
	case ret && len(rows) == 1:
		id, err := One[int64](ctx, db, b)
		if errors.Is(err, ErrNoRows) {
			err = notInserted(ti)
		}
		if err != nil {
			return true, err
		}
		setKeyAt(m, unsafe.Pointer(rows[0]), id)
	case ret && sinkKeys(db):
		// MariaDB through wren's own pool: the connection collects the keys.
		sink := keysSink{ids: make([]int64, 0, len(rows))}
		if _, err := Exec(context.WithValue(ctx, keysSinkKey{}, &sink), db, b); err != nil {
			return true, err
		}
		return true, setSortedKeys(ti, m, rows, sink.ids)
	case ret:
		ids, err := All[int64](ctx, db, b)
		if err != nil {
			return true, err
		}
		return true, setSortedKeys(ti, m, rows, ids)
	case key:
		res, err := Exec(ctx, db, b)
		if err == nil && res.RowsAffected == 0 {
			err = notInserted(ti) // the last-insert id is another row's
		}
		if err != nil {
			return true, err
		}
		setKeyAt(m, unsafe.Pointer(rows[0]), res.LastInsertID)
	default:
		_, err := Exec(ctx, db, b)
		return true, err
	}
	return true, nil
}

// keptFor returns the INSERT kept on m for n rows on d, or nil.
func (m *rowMap) keptFor(d *dialect.Dialect, mask uint64, ret bool, n int) *keptInsert {
	match := func(k *keptInsert) bool { return k.d == d && k.mask == mask && k.ret == ret && k.rows == n }
	if n == 1 {
		if k := m.one.Load(); k != nil && match(k) {
			return k
		}
		return nil
	}
	if ks := m.many.Load(); ks != nil {
		for _, k := range *ks {
			if match(k) {
				return k
			}
		}
	}
	return nil
}

// keepInsert renders the INSERT of rows for d and keeps it on m.
func keepInsert[T any](d *dialect.Dialect, ti *tableInfo, m *rowMap, rows []*T, mask uint64, ret bool) (*keptInsert, error) {
	vals := make([]any, len(rows))
	for i, r := range rows {
		vals[i] = r
	}
	q := Insert(tableRef{ti}).Rows(vals...)
	if ret {
		q = q.Returning(Expr[int64]{n: &m.cols[m.auto].self})
	}
	r, err := render(d, q)
	if err != nil {
		return nil, err
	}
	k := &keptInsert{d: d, ret: ret, rows: len(vals), text: texts.intern(r.buf), args: len(r.args), boundSet: m.boundFor(mask)}
	r.release()
	if len(k.cols)*k.rows != k.args {
		return nil, fmt.Errorf("wren: Create into %s: the INSERT binds %d values, not %d per row", ti.ref(), k.args, len(k.cols))
	}
	if k.rows == 1 {
		m.one.Store(k)
		return k, nil
	}
	// Copied on write: the newest first, the oldest dropped.
	ks := []*keptInsert{k}
	if old := m.many.Load(); old != nil {
		ks = append(ks, (*old)[:min(len(*old), maxKeptBatches-1)]...)
	}
	m.many.Store(&ks)
	return k, nil
}

// appendArgs appends the values of columns cols of the row at base, as
// the INSERT binds them: fields of plain kinds read in place (and boxed by
// box), others through their getter and argValue.
func (m *rowMap) appendArgs(args []any, d *dialect.Dialect, base unsafe.Pointer, cols []int, box *argBox) ([]any, error) {
	n := len(args)
	args = slices.Grow(args, len(cols))[:n+len(cols)]
	out, offs, kinds := args[n:], m.offs, m.kind
	for j, i := range cols {
		p := unsafe.Add(base, offs[i])
		switch kinds[i] {
		case argInt64:
			out[j] = box.int64(*(*int64)(p))
		case argString:
			out[j] = box.string(*(*string)(p))
		case argFloat64:
			out[j] = box.float64(*(*float64)(p))
		case argBool:
			out[j] = *(*bool)(p)
		case argTime:
			out[j] = box.time(*(*time.Time)(p))
		default:
			v, err := argValue(d, m.get[i](p))
			if err != nil {
				return nil, err
			}
			out[j] = v
		}
	}
	return args, nil
}

// boundSet is the columns a row of mask binds, in the order its VALUES list
// binds them (see appendStructRows): all but those generated; words and
// strs count the values among them that an argBox holds.
type boundSet struct {
	mask               uint64
	cols               []int
	words, strs, times int
}

// boundFor returns the columns rows of mask bind, kept on m for the last
// mask asked (rows of one kind usually leave the same columns zero).
func (m *rowMap) boundFor(mask uint64) *boundSet {
	if b := m.bound.Load(); b != nil && b.mask == mask {
		return b
	}
	b := &boundSet{mask: mask}
	for i := range m.cols {
		if !m.generated(i, mask) {
			b.cols = append(b.cols, i)
		}
	}
	b.words, b.strs, b.times = m.boxCounts(b.cols)
	m.bound.Store(b)
	return b
}

// setSortedKeys gives rows, inserted by one INSERT, the keys RETURNING
// gave back. RETURNING emits rows in no promised order (SQLite says so
// outright); keys are generated in the order of the VALUES rows, so the
// sorted keys follow the rows.
func setSortedKeys[T any](ti *tableInfo, m *rowMap, rows []*T, ids []int64) error {
	if len(ids) != len(rows) {
		return fmt.Errorf("wren: Create into %s: %d rows inserted but %d keys returned", ti.ref(), len(rows), len(ids))
	}
	slices.Sort(ids)
	for i, r := range rows {
		setKeyAt(m, unsafe.Pointer(r), ids[i])
	}
	return nil
}

// notInserted is the error of a one-row INSERT that inserted nothing: a
// trigger dropped the row (PostgreSQL's BEFORE INSERT returning NULL,
// SQLite's RAISE(IGNORE)), so there is no key to give it.
func notInserted(ti *tableInfo) error {
	return fmt.Errorf("wren: Create into %s: the row was not inserted (a trigger dropped it?), so it has no key", ti.ref())
}
