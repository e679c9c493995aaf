package wren

import (
	"reflect"
	"slices"
	satomic "sync/atomic"
	"unsafe"

	"github.com/wrensql/wren/dialect"
	"github.com/wrensql/wren/scan"
)

// A kept SELECT is the text of a plain query on one table, as a dialect
// wrote it: items and conditions that are the same values (the same
// columns, the same descriptors), each condition a comparison of a column
// with a bound value, and the same ORDER BY, LIMIT and OFFSET form. The
// next query of that shape, built afresh for every run as queries usually
// are, binds its values and runs the kept text: nothing is rendered, and
// the text needs no interning or plan lookup by text. A table keeps up to
// keptSelects shapes.
type keptSelect struct {
	d        *dialect.Dialect
	one      bool // for One: LIMIT 1 where the query allows
	from     ifaceWords
	items    []ifaceWords
	where    []keptCond
	order    []keptOrder
	hasLimit bool
	hasOff   bool
	limit    int64 // compared only where the dialect writes it in the text
	text     string
	// plan is the scan plan of the last type this text was read into.
	plan satomic.Pointer[keptPlan]
}

// ifaceWords are an interface value's two words: its type (or itab) and
// its data. Two values with the same words are the same value: a
// pointer-shaped one is the same pointer, a boxed one the same box, which
// nothing changes. (Values are not compared with ==, which panics on
// types that are not comparable.)
type ifaceWords [2]unsafe.Pointer

func wordsOf[I any](v *I) ifaceWords { return *(*ifaceWords)(unsafe.Pointer(v)) }

type keptCond struct {
	l   ifaceWords
	cmp cmpOp
}

type keptOrder struct {
	e     ifaceWords
	desc  bool
	nulls int8
}

// keptPlan is a scan plan kept with a text, for the type it scans into.
type keptPlan struct {
	t reflect.Type
	v planVariant
}

// keptSelects is how many SELECT shapes a table keeps, keptUpdates how
// many UPDATE shapes; keepEvery is how often, once all are taken, a query
// of another shape replaces one (so that statements of ever new shapes
// allocate a kept one only that often).
const (
	keptSelects = 4
	keptUpdates = 2
	keepEvery   = 16
)

// keptSlot returns the slot of slots a new shape goes into: a free one,
// else one in turn for one call in keepEvery (counted in missed), else -1.
func keptSlot[T any](slots []satomic.Pointer[T], missed *satomic.Uint32) int {
	for i := range slots {
		if slots[i].Load() == nil {
			return i
		}
	}
	n := missed.Add(1)
	if n%keepEvery != 0 {
		return -1
	}
	return int(n/keepEvery) % len(slots)
}

// plainConds reports whether conditions ps can be kept: each a comparison
// of an expression with a non-NULL value.
func plainConds(ps []Predicate) bool {
	for i := range ps {
		if ps[i].op != pCmp || isNullValue(ps[i].v) {
			return false
		}
	}
	return true
}

// keptConds is the shape of plain conditions ps.
func keptConds(ps []Predicate) []keptCond {
	out := make([]keptCond, len(ps))
	for i := range ps {
		out[i] = keptCond{l: wordsOf(&ps[i].l), cmp: ps[i].cmp}
	}
	return out
}

// condsFit reports whether conditions ps have the shape kept.
func condsFit(ps []Predicate, kept []keptCond) bool {
	if len(ps) != len(kept) {
		return false
	}
	for i := range ps {
		p := &ps[i]
		if p.op != pCmp || p.cmp != kept[i].cmp || wordsOf(&p.l) != kept[i].l || isNullValue(p.v) {
			return false
		}
	}
	return true
}

// bindConds appends the values of plain conditions ps to args, as the
// renderer binds them.
func bindConds(d *dialect.Dialect, args []any, ps []Predicate) ([]any, error) {
	for i := range ps {
		v, err := argValue(d, forColumn(ps[i].l, ps[i].v))
		if err != nil {
			return nil, err
		}
		args = append(args, v)
	}
	return args, nil
}

// plainSelect reports whether q's form can be kept at all, and returns the
// table it reads.
func plainSelect(q *SelectQuery) *tableInfo {
	if q.err != nil || q.more != nil || q.distinct || len(q.from) > 0 || len(q.joins) > 0 || q.from1 == nil {
		return nil
	}
	return infoOf(q.from1)
}

// keptArgs is how many values a query of q's shape binds on d.
func keptArgs(q *SelectQuery, d *dialect.Dialect) int {
	n := len(q.where)
	if q.hasLimit && !d.InlineLimit() {
		n++
	}
	if q.hasOffset {
		n++
	}
	return n
}

// fits reports whether q, run for One when one is set, is k's shape.
func (k *keptSelect) fits(q *SelectQuery, d *dialect.Dialect, one bool) bool {
	if k.d != d || k.one != one || k.hasLimit != q.hasLimit || k.hasOff != q.hasOffset ||
		len(k.items) != len(q.items) || len(k.order) != len(q.orderBy) ||
		k.from != wordsOf(&q.from1) {
		return false
	}
	if q.hasLimit && (q.limit < 0 || d.InlineLimit() && q.limit != k.limit) ||
		q.hasOffset && q.offset < 0 {
		return false // a negative count fails where it is rendered
	}
	for i := range q.items {
		if wordsOf(&q.items[i]) != k.items[i] {
			return false
		}
	}
	if !condsFit(q.where, k.where) {
		return false
	}
	for i := range q.orderBy {
		o := &q.orderBy[i]
		if wordsOf(&o.e) != k.order[i].e || o.desc != k.order[i].desc || o.nulls != k.order[i].nulls {
			return false
		}
	}
	return true
}

// lookupKept returns, for q run on d (for One when one is set), the kept
// shape it fits; or, when there is none, the table to keep its shape on,
// nil where q cannot be kept. A plain q is copied to sq, which both
// describe.
func lookupKept(q Statement, d *dialect.Dialect, one bool, sq *SelectQuery) (*tableInfo, *keptSelect) {
	var ok bool
	if *sq, ok = q.(SelectQuery); !ok || d == nil {
		return nil, nil
	}
	ti := plainSelect(sq)
	if ti == nil {
		return nil, nil
	}
	return ti, ti.keptFor(sq, d, one)
}

// keptFor returns the kept shape q fits on t, if any.
func (t *tableInfo) keptFor(q *SelectQuery, d *dialect.Dialect, one bool) *keptSelect {
	for i := range t.selects {
		if k := t.selects[i].Load(); k != nil && k.fits(q, d, one) {
			return k
		}
	}
	return nil
}

// bind appends to args the values q binds in k's text, in order: its
// conditions' values, then LIMIT and OFFSET where they are bound.
func (k *keptSelect) bind(args []any, q *SelectQuery) ([]any, error) {
	args, err := bindConds(k.d, slices.Grow(args, keptArgs(q, k.d)), q.where)
	if err != nil {
		return nil, err
	}
	if q.hasLimit && !k.d.InlineLimit() {
		args = append(args, q.limit)
	}
	if q.hasOffset {
		args = append(args, q.offset)
	}
	return args, nil
}

// keepSelect keeps the text r rendered for q (run for One when one is
// set) on t, when q's shape can be kept: every condition a comparison with
// a non-NULL value, and no values bound but those (in its items or ORDER
// BY).
func keepSelect(t *tableInfo, q *SelectQuery, r *renderer, one bool, text string) {
	if len(r.args) != keptArgs(q, r.d) || r.param != "" || !plainConds(q.where) {
		return
	}
	slot := keptSlot(t.selects[:], &t.selectsMissed)
	if slot < 0 {
		return
	}
	k := &keptSelect{d: r.d, one: one, from: wordsOf(&q.from1), hasLimit: q.hasLimit, hasOff: q.hasOffset,
		limit: q.limit, text: text,
		items: make([]ifaceWords, len(q.items)), where: keptConds(q.where), order: make([]keptOrder, len(q.orderBy))}
	for i := range q.items {
		k.items[i] = wordsOf(&q.items[i])
	}
	for i := range q.orderBy {
		o := &q.orderBy[i]
		k.order[i] = keptOrder{e: wordsOf(&o.e), desc: o.desc, nulls: o.nulls}
	}
	t.selects[slot].Store(k)
}

// planForKept is planFor for the result rs of q, run as text: through
// kept's plan when kept is the shape whose text ran, which keeps the plan.
func planForKept(kept *keptSelect, t reflect.Type, d *dialect.Dialect, text string, q Statement, rs rows) (*scan.Plan, error) {
	if kept == nil {
		return planFor(t, d, text, q, rs)
	}
	if p := kept.plan.Load(); p != nil && p.t == t && p.v.fits(rs) {
		return p.v.plan, nil
	}
	v, err := variantFor(t, d, text, q, rs)
	if err == nil && len(v.names) > 0 {
		kept.plan.Store(&keptPlan{t: t, v: v})
	}
	return v.plan, err
}
