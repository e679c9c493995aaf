package wren

import (
	"reflect"
	"unsafe"

	"github.com/wrensql/wren/dialect"
)

// DynTable makes a table descriptor whose column names are chosen at run
// time (a declared descriptor's come from struct tags), for the fuzz tests:
// string columns, the first one indexed.
func DynTable(name string, cols ...string) (Table, []Column[string]) {
	ti := &tableInfo{name: name, goName: "fuzzTable"}
	out := make([]Column[string], len(cols))
	for i, n := range cols {
		ci := &colInfo{name: n, field: "F", typ: reflect.TypeFor[string](), table: ti, opts: columnOptions{name: n, index: i == 0}}
		ci.self.Expression = ci
		out[i].bindColumn(ci)
		ti.cols = append(ti.cols, ci)
	}
	return Table{t: ti}, out
}

// DynAlias is [Alias] for a descriptor made by DynTable.
func DynAlias(t Table, alias string) (Table, []Column[string]) {
	proto := t.t
	ti := &tableInfo{name: proto.name, alias: alias, goName: proto.goName, opts: proto.opts}
	out := make([]Column[string], len(proto.cols))
	for i, pc := range proto.cols {
		ci := pc.clone()
		ci.table = ti
		ci.self.Expression = ci
		out[i].bindColumn(ci)
		ti.cols = append(ti.cols, ci)
	}
	return Table{t: ti}, out
}

// CreateArraysSQL renders the array-per-column INSERT that Create sends on
// a dialect that binds arrays, or reports that Create would use VALUES.
func CreateArraysSQL[T any](d *dialect.Dialect, t TableLike, rows ...*T) (string, []any, bool, error) {
	ti := infoOf(t)
	m, err := rowMapFor(reflect.TypeFor[T](), ti)
	if err != nil {
		return "", nil, false, err
	}
	fields := bulkFieldsFor(d, m)
	if fields == nil {
		return "", nil, false, nil
	}
	ptrs := make([]unsafe.Pointer, len(rows))
	for i, r := range rows {
		ptrs[i] = unsafe.Pointer(r)
	}
	withKeys := !isZeroAt(m.typs[m.auto], unsafe.Add(ptrs[0], m.offs[m.auto]))
	text, args, err := arrayInsert{ti: ti, m: m, fields: fields, rows: ptrs, withKeys: withKeys}.SQL(d)
	return text, args, true, err
}

// OneSQL renders q as One runs it: with LIMIT 1 where One adds it.
func OneSQL(d *dialect.Dialect, q Statement) (string, []any, error) {
	r, err := renderLimit(d, q, limitsToOne(q))
	if err != nil {
		return "", nil, err
	}
	defer r.release()
	return string(r.buf), append([]any(nil), r.args...), nil
}

// IsNil is isNil, for TestIsNil.
func IsNil(v any) bool { return isNil(v) }
