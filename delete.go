package wren

import (
	"github.com/wrensql/wren/dialect"
	"github.com/wrensql/wren/scan"
)

// DeleteQuery is a DELETE statement. Like every builder it is a value:
// methods return a modified copy.
type DeleteQuery struct {
	table     TableLike
	where     []Predicate
	all       bool
	returning returning
	wc        writeClauses // WITH, ORDER BY, LIMIT
}

// Delete starts a DELETE from table t. A DELETE without Where is refused
// when rendered, unless All says every row is meant.
func Delete(t TableLike) DeleteQuery { return DeleteQuery{table: t} }

// Where adds conditions, joined with AND.
func (q DeleteQuery) Where(conds ...Predicate) DeleteQuery {
	q.where = append(clip(q.where), conds...)
	return q
}

// All allows the DELETE to run without a WHERE clause, on every row.
func (q DeleteQuery) All() DeleteQuery { q.all = true; return q }

// Returning makes the DELETE return the given columns of the deleted rows
// (PostgreSQL, SQLite, MariaDB; MySQL has no RETURNING and rendering fails
// with ErrUnsupported).
func (q DeleteQuery) Returning(items ...Selectable) DeleteQuery {
	q.returning = append(clip(q.returning), items...)
	return q
}

// ResultColumns lists what Returning selects.
func (q DeleteQuery) ResultColumns() []scan.Column { return q.returning.resultColumns() }

// SQL renders the statement for d.
func (q DeleteQuery) SQL(d *dialect.Dialect) (string, []any, error) { return renderSQL(d, q) }

func (q DeleteQuery) appendStatement(r *renderer) {
	t := tableOf(r, q.table, "DELETE")
	if t == nil {
		return
	}
	if !q.all && refuseAllRows(r, q.where, "DELETE FROM", t.ref(), "delete") {
		return
	}
	if t.alias != "" && !r.d.DeleteAlias() {
		r.unsupported("DELETE FROM an aliased table (" + t.alias + ")")
		return
	}
	defer r.pop(len(r.scope))
	r.push(t)
	if !q.wc.appendHead(r, "DELETE") {
		return
	}
	r.buf = append(r.buf, "DELETE FROM "...)
	t.appendFrom(r)
	if len(q.where) > 0 {
		r.buf = append(r.buf, " WHERE "...)
		appendConds(r, q.where)
	}
	q.wc.appendTail(r, "DELETE", false)
	q.returning.appendReturning(r, dialect.Delete)
}
