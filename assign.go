package wren

import "github.com/wrensql/wren/scan"

// Assignment is one "column = value" of an UPDATE, an INSERT or an upsert,
// made by [Set] or [SetExpr].
type Assignment struct {
	col  *colInfo
	v    any  // the value, or by SetExpr the Expression
	expr bool // v is an Expression to render
}

// Set assigns the value v to column c. The value has the column's Go type:
// wren.Set(Users.ID, "x") does not compile. An expression computed by the
// database is assigned with [SetExpr] (Go generics cannot let one function
// take either a T or an expression of T).
func Set[T any](c Column[T], v T) Assignment {
	return Assignment{col: c.info(), v: v}
}

// SetExpr assigns an expression of the column's type, computed by the
// database: wren.SetExpr(Counter.Count, Counter.Count.Add(1)).
func SetExpr[T any](c Column[T], e TypedExpr[T]) Assignment {
	return Assignment{col: c.info(), v: e, expr: true}
}

// SetNull assigns NULL to column c.
func SetNull[T any](c Column[T]) Assignment {
	return Assignment{col: c.info(), v: nil}
}

func (a Assignment) appendValue(r *renderer) {
	if a.expr {
		e, _ := a.v.(Expression)
		appendExpr(r, e)
		return
	}
	r.arg(forColumn(a.col, a.v))
}

// appendSets writes "col = value, …"; qualified writes table.col (MySQL's
// multi-table UPDATE needs it).
func appendSets(r *renderer, t *tableInfo, sets []Assignment, qualified bool) {
	if len(sets) == 0 {
		r.fail("wren: %s: nothing to set", t.ref())
		return
	}
	// seen holds the positions of the columns assigned so far while every
	// one is t's own (names are unique within a table); past the first
	// that is not, or past 64 columns, earlier names are compared.
	var seen uint64
	byName := false
	for i := range sets {
		a := &sets[i]
		if i > 0 {
			r.buf = append(r.buf, ", "...)
		}
		if a.col == nil {
			r.fail("wren: Set on a zero Column (declare tables with wren.NewTable)")
			return
		}
		if a.col.table != t && a.col.table.name != t.name {
			r.fail("wren: Set(%s.%s) in a statement on table %s", a.col.table.ref(), a.col.name, t.ref())
			return
		}
		var dup bool
		if !byName && a.col.table == t && a.col.pos < 64 {
			bit := uint64(1) << a.col.pos
			dup, seen = seen&bit != 0, seen|bit
		} else {
			byName = true
			dup = assignedBefore(sets, i)
		}
		if dup {
			r.fail("wren: SET on %s assigns column %s twice", t.ref(), a.col.name)
			return
		}
		if qualified {
			r.tableRef(t)
			r.buf = append(r.buf, '.')
		}
		a.col.appendName(r)
		r.buf = append(r.buf, " = "...)
		a.appendValue(r)
	}
}

// assignedBefore reports whether sets[i]'s column is already assigned by
// an earlier one (PostgreSQL refuses that, MySQL silently keeps the last).
func assignedBefore(sets []Assignment, i int) bool {
	for _, b := range sets[:i] {
		if b.col.name == sets[i].col.name {
			return true
		}
	}
	return false
}

// returning is a RETURNING clause shared by INSERT, UPDATE and DELETE.
type returning []Selectable

func (ret returning) appendReturning(r *renderer, kind string) {
	if len(ret) == 0 {
		return
	}
	if !r.d.Returning(kind) {
		r.unsupported(kind + " … RETURNING")
		return
	}
	if !checkItems(r, ret, "Returning") {
		return
	}
	r.buf = append(r.buf, " RETURNING "...)
	appendList(r, ret, func(r *renderer, s Selectable) { s.appendSelect(r) })
}

func (ret returning) resultColumns() []scan.Column {
	var cols []scan.Column
	for _, s := range ret {
		if isNil(s) {
			cols = append(cols, scan.Column{})
			continue
		}
		cols = s.appendResultCols(cols)
	}
	return cols
}

// tableOf returns the description of a statement's target table, failing
// the rendering for a nil or uninitialised one.
func tableOf(r *renderer, t TableLike, stmt string) *tableInfo {
	ti := infoOf(t)
	if ti == nil {
		r.fail("wren: %s without a table (a nil table descriptor?)", stmt)
		return nil
	}
	if ti.err != nil {
		r.fail("%w", ti.err)
		return nil
	}
	if ti.src != nil {
		r.fail("wren: %s on %s, a subquery or CTE: name a table", stmt, ti.ref())
		return nil
	}
	return ti
}
