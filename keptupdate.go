package wren

import (
	"reflect"
	"slices"
	"time"

	"github.com/wrensql/wren/dialect"
)

// A kept UPDATE is the text of a plain UPDATE of one table, as a dialect
// wrote it: values set to the same columns in the same order, and
// conditions that compare the same columns with bound values (see
// keptSelect). The next UPDATE of that shape binds its values and runs the
// kept text. A table keeps up to keptUpdates shapes.
type keptUpdate struct {
	d     *dialect.Dialect
	table ifaceWords
	all   bool
	sets  []*colInfo
	where []keptCond
	text  string
	// direct has bit i set when the values of sets[i] are bound as they
	// are (see directArg).
	direct uint64
}

// plainUpdate reports whether q's form can be kept at all (no SetRow,
// FROM, RETURNING, WITH, ORDER BY or LIMIT), and returns its table.
func plainUpdate(q *UpdateQuery) *tableInfo {
	if q.more != nil || len(q.sets) == 0 || q.table == nil {
		return nil
	}
	return infoOf(q.table)
}

func (k *keptUpdate) fits(q *UpdateQuery, d *dialect.Dialect) bool {
	if k.d != d || k.all != q.all || len(k.sets) != len(q.sets) || k.table != wordsOf(&q.table) {
		return false
	}
	for i := range q.sets {
		if q.sets[i].col != k.sets[i] || q.sets[i].expr {
			return false
		}
	}
	return condsFit(q.where, k.where)
}

// keptUpdateFor returns the kept shape q fits on t, if any.
func (t *tableInfo) keptUpdateFor(q *UpdateQuery, d *dialect.Dialect) *keptUpdate {
	for i := range t.updates {
		if k := t.updates[i].Load(); k != nil && k.fits(q, d) {
			return k
		}
	}
	return nil
}

// bind appends to args the values q binds in k's text: those it sets,
// then its conditions'.
func (k *keptUpdate) bind(args []any, q *UpdateQuery) ([]any, error) {
	args = slices.Grow(args, len(q.sets)+len(q.where))
	for i := range q.sets {
		a := &q.sets[i]
		if i < 64 && k.direct&(1<<i) != 0 {
			args = append(args, a.v)
			continue
		}
		v, err := argValue(k.d, forColumn(a.col, a.v))
		if err != nil {
			return nil, err
		}
		args = append(args, v)
	}
	return bindConds(k.d, args, q.where)
}

// keepUpdate keeps the text r rendered for q on t, when q's shape can be
// kept: every assignment a value, every condition a comparison with a
// non-NULL value, and nothing else bound.
func keepUpdate(t *tableInfo, q *UpdateQuery, r *renderer, text string) {
	if len(r.args) != len(q.sets)+len(q.where) || r.param != "" || !plainConds(q.where) {
		return
	}
	for i := range q.sets {
		if q.sets[i].expr {
			return
		}
	}
	slot := keptSlot(t.updates[:], &t.updatesMissed)
	if slot < 0 {
		return
	}
	k := &keptUpdate{d: r.d, table: wordsOf(&q.table), all: q.all, sets: make([]*colInfo, len(q.sets)), where: keptConds(q.where), text: text}
	for i, a := range q.sets {
		k.sets[i] = a.col
		if i < 64 && directArg(a.col) {
			k.direct |= 1 << i
		}
	}
	t.updates[slot].Store(k)
}

// directArg reports whether the values Set assigns to c are bound as they
// are: a Set value has the column's Go type (or is nil, from SetNull),
// which argValue binds as it is, and forColumn leaves alone but for a time
// on a date column.
func directArg(c *colInfo) bool {
	return argAsIs(c.typ) && !(c.typ == reflect.TypeFor[time.Time]() && isDateColumn(c))
}
