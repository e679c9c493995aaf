package wren

import (
	"reflect"
	"slices"

	"github.com/wrensql/wren/scan"
)

var boolType = reflect.TypeFor[bool]()

// sourced is implemented by selected items whose columns come straight from
// one table: a column, an aliased column, a table descriptor.
type sourced interface {
	sourceTable() *tableInfo
}

func (e Expr[T]) sourceTable() *tableInfo {
	if e.n != nil {
		if ci, ok := e.n.Expression.(*colInfo); ok {
			return ci.table
		}
	}
	return nil
}

func (a Aliased[T]) sourceTable() *tableInfo { return a.e.sourceTable() }

func (t Table) sourceTable() *tableInfo { return t.t }

func (s exprSel) sourceTable() *tableInfo {
	if st, ok := s.e.(sourced); ok {
		return st.sourceTable()
	}
	return nil
}

// outerJoined lists the tables on the nullable side of the query's outer
// joins: the joined table of a LEFT JOIN, every table before a RIGHT JOIN,
// both sides of a FULL JOIN.
func (q SelectQuery) outerJoined() []*tableInfo {
	var out []*tableInfo
	before := func(i int) {
		for k := 0; k < q.fromCount(); k++ {
			out = append(out, q.fromAt(k).info())
		}
		for _, j := range q.joins[:i] {
			out = append(out, j.table.info())
		}
	}
	for i, j := range q.joins {
		switch j.kind {
		case "LEFT JOIN":
			out = append(out, j.table.info())
		case "RIGHT JOIN":
			before(i)
		case "FULL JOIN":
			before(i)
			out = append(out, j.table.info())
		}
	}
	return out
}

// markNullable flags the columns item added when its table is on the
// nullable side of an outer join.
func markNullable(cols []scan.Column, item Selectable, outer []*tableInfo) {
	st, ok := item.(sourced)
	if !ok {
		return
	}
	if t := st.sourceTable(); t != nil && slices.Contains(outer, t) {
		for i := range cols {
			cols[i].Nullable = true
		}
	}
}
