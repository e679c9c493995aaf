package wren

import (
	"github.com/wrensql/wren/dialect"
)

// keptSets is the text of a SET list ("a = $1, b = $2") as one dialect
// wrote it for a table: an UPDATE that sets the same columns to values, in
// the same order, with its first placeholder at the same position, writes
// the same text. A table keeps the last one (tableInfo.sets), so that an
// UPDATE built afresh for every run binds its values without writing its
// SET list again where the whole statement is not kept (see keptUpdate):
// with RETURNING, FROM, SetRow or an expression elsewhere, and in an
// upsert's DO UPDATE.
type keptSets struct {
	d         *dialect.Dialect
	first     int // the number of the list's first placeholder; 0 when unnumbered
	qualified bool
	cols      []*colInfo
	text      string
}

// setsFirst is the number the list's first placeholder has in the
// comparison with a kept list: its position where placeholders are
// numbered, 0 where they are all "?".
func setsFirst(d *dialect.Dialect, first int) int {
	if !d.NumberedParams() {
		return 0
	}
	return first
}

// appendKeptSets writes t's kept SET list and binds sets' values, when the
// list fits sets (see keptSets), and reports whether it did.
func (r *renderer) appendKeptSets(t *tableInfo, sets []Assignment, qualified bool) bool {
	k := t.sets.Load()
	if k == nil || k.d != r.d || r.consts || k.qualified != qualified || len(k.cols) != len(sets) ||
		k.first != setsFirst(r.d, len(r.args)+1) {
		return false
	}
	for i := range sets {
		if sets[i].col != k.cols[i] || sets[i].expr {
			return false
		}
	}
	for i := range sets {
		a := &sets[i]
		v, err := argValue(r.d, forColumn(a.col, a.v))
		if err != nil {
			r.fail("%w", err)
		}
		r.args = append(r.args, v)
	}
	r.buf = append(r.buf, k.text...)
	return true
}

// keepSets keeps the SET list r wrote from start, its first placeholder
// numbered first, as t's, when every assignment set a value and the
// rendering has not failed; a table whose lists change keeps one in
// keepEvery.
func (r *renderer) keepSets(t *tableInfo, sets []Assignment, qualified bool, start, first int) {
	if r.err != nil || r.consts || r.prepared || r.param != "" {
		return
	}
	for i := range sets {
		if sets[i].expr {
			return
		}
	}
	if t.setsMissed.Add(1)%keepEvery != 1 {
		return
	}
	cols := make([]*colInfo, len(sets))
	for i := range sets {
		cols[i] = sets[i].col
	}
	t.sets.Store(&keptSets{d: r.d, first: setsFirst(r.d, first), qualified: qualified, cols: cols, text: string(r.buf[start:])})
}
