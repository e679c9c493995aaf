package wren

import (
	"reflect"
	satomic "sync/atomic"
	"unsafe"

	"github.com/wrensql/wren/dialect"
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
	offset   int64
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

// keptSelects is how many shapes a table keeps; keepSelectEvery how often
// it replaces one once all are taken (see keepSetsEvery).
const (
	keptSelects     = 4
	keepSelectEvery = 16
)

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
	if !d.InlineLimit() {
		if q.hasLimit {
			n++
		}
		if q.hasOffset {
			n++
		}
	}
	return n
}

// fits reports whether q, run for One when one is set, is k's shape.
func (k *keptSelect) fits(q *SelectQuery, d *dialect.Dialect, one bool) bool {
	if k.d != d || k.one != one || k.hasLimit != q.hasLimit || k.hasOff != q.hasOffset ||
		len(k.items) != len(q.items) || len(k.where) != len(q.where) || len(k.order) != len(q.orderBy) ||
		k.from != wordsOf(&q.from1) {
		return false
	}
	if q.hasLimit && (q.limit < 0 || d.InlineLimit() && q.limit != k.limit) ||
		q.hasOffset && (q.offset < 0 || d.InlineLimit() && q.offset != k.offset) {
		return false // a negative count fails where it is rendered
	}
	for i := range q.items {
		if wordsOf(&q.items[i]) != k.items[i] {
			return false
		}
	}
	for i := range q.where {
		p := &q.where[i]
		if p.op != pCmp || p.cmp != k.where[i].cmp || wordsOf(&p.l) != k.where[i].l || isNullValue(p.v) {
			return false
		}
	}
	for i := range q.orderBy {
		o := &q.orderBy[i]
		if wordsOf(&o.e) != k.order[i].e || o.desc != k.order[i].desc || o.nulls != k.order[i].nulls {
			return false
		}
	}
	return true
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

// bind returns the values q binds in k's text, in order: its conditions'
// values, then LIMIT and OFFSET where they are bound.
func (k *keptSelect) bind(q *SelectQuery) ([]any, error) {
	args := make([]any, 0, keptArgs(q, k.d))
	for i := range q.where {
		p := &q.where[i]
		v, err := argValue(k.d, forColumn(p.l, p.v))
		if err != nil {
			return nil, err
		}
		args = append(args, v)
	}
	if !k.d.InlineLimit() {
		if q.hasLimit {
			args = append(args, q.limit)
		}
		if q.hasOffset {
			args = append(args, q.offset)
		}
	}
	return args, nil
}

// keepSelect keeps the text r rendered for q (run for One when one is
// set) on t, when q's shape can be kept: every condition a comparison with
// a non-NULL value, and no values bound but those (in its items or ORDER
// BY).
func keepSelect(t *tableInfo, q *SelectQuery, r *renderer, one bool, text string) {
	if len(r.args) != keptArgs(q, r.d) || r.param != "" {
		return
	}
	for i := range q.where {
		p := &q.where[i]
		if p.op != pCmp || isNullValue(p.v) {
			return
		}
	}
	slot := -1
	for i := range t.selects {
		if t.selects[i].Load() == nil {
			slot = i
			break
		}
	}
	if slot < 0 {
		n := t.selectsMissed.Add(1)
		if n%keepSelectEvery != 0 {
			return
		}
		slot = int(n/keepSelectEvery) % keptSelects
	}
	k := &keptSelect{d: r.d, one: one, from: wordsOf(&q.from1), hasLimit: q.hasLimit, hasOff: q.hasOffset,
		limit: q.limit, offset: q.offset, text: text,
		items: make([]ifaceWords, len(q.items)), where: make([]keptCond, len(q.where)), order: make([]keptOrder, len(q.orderBy))}
	for i := range q.items {
		k.items[i] = wordsOf(&q.items[i])
	}
	for i := range q.where {
		k.where[i] = keptCond{l: wordsOf(&q.where[i].l), cmp: q.where[i].cmp}
	}
	for i := range q.orderBy {
		o := &q.orderBy[i]
		k.order[i] = keptOrder{e: wordsOf(&o.e), desc: o.desc, nulls: o.nulls}
	}
	t.selects[slot].Store(k)
}

// planFor is planFor for k's text, keeping the plan with k.
func (k *keptSelect) planFor(t reflect.Type, q Statement, rs rows) (planVariant, error) {
	if p := k.plan.Load(); p != nil && p.t == t && p.v.fits(rs) {
		return p.v, nil
	}
	v, err := variantFor(t, k.d, k.text, q, rs)
	if err == nil && len(v.names) > 0 {
		k.plan.Store(&keptPlan{t: t, v: v})
	}
	return v, err
}
