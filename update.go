package wren

import (
	"github.com/wrensql/wren/dialect"
	"github.com/wrensql/wren/scan"
)

// UpdateQuery is an UPDATE statement. Like every builder it is a value:
// methods return a modified copy.
//
//	wren.Update(Counter).
//		Set(wren.SetExpr(Counter.Count, Counter.Count.Add(1))).
//		Where(Counter.URL.Eq(url))
type UpdateQuery struct {
	table     TableLike
	sets      []Assignment
	from      []TableLike
	where     []Predicate
	all       bool
	returning returning
}

// Update starts an UPDATE of table t. An UPDATE without Where is refused
// when rendered, unless All says every row is meant.
//
// Exec's RowsAffected counts the rows matched on PostgreSQL and SQLite, but
// the rows changed on MySQL and MariaDB: a row set to the value it already
// holds is not counted there unless the DSN sets clientFoundRows=true.
func Update(t TableLike) UpdateQuery { return UpdateQuery{table: t} }

// Set adds assignments, made with [Set], [SetExpr] or [SetNull].
func (q UpdateQuery) Set(sets ...Assignment) UpdateQuery {
	q.sets = append(clip(q.sets), sets...)
	return q
}

// From adds other tables the WHERE clause and the assignments may read:
// UPDATE … FROM on PostgreSQL and SQLite, UPDATE t, other … on MySQL.
func (q UpdateQuery) From(tables ...TableLike) UpdateQuery {
	q.from = append(clip(q.from), tables...)
	return q
}

// Where adds conditions, joined with AND.
func (q UpdateQuery) Where(conds ...Predicate) UpdateQuery {
	q.where = append(clip(q.where), conds...)
	return q
}

// All allows the UPDATE to run without a WHERE clause, on every row.
func (q UpdateQuery) All() UpdateQuery { q.all = true; return q }

// Returning makes the UPDATE return the given columns of the updated rows
// (PostgreSQL and SQLite; MySQL and MariaDB have none, and rendering fails
// with ErrUnsupported).
func (q UpdateQuery) Returning(items ...Selectable) UpdateQuery {
	q.returning = append(clip(q.returning), items...)
	return q
}

// ResultColumns lists what Returning selects.
func (q UpdateQuery) ResultColumns() []scan.Column { return q.returning.resultColumns() }

// SQL renders the statement for d.
func (q UpdateQuery) SQL(d *dialect.Dialect) (string, []any, error) { return renderSQL(d, q) }

func (q UpdateQuery) appendStatement(r *renderer) {
	t := tableOf(r, q.table, "UPDATE")
	if t == nil {
		return
	}
	if !q.all && !restricts(q.where) {
		if len(q.where) == 0 {
			r.fail("wren: UPDATE %s without Where: call All() to update every row", t.ref())
		} else {
			r.fail("wren: UPDATE %s: Where has no condition (an empty And()): call All() to update every row", t.ref())
		}
		return
	}
	defer r.pop(len(r.scope))
	r.push(t)
	for _, f := range q.from {
		r.push(f.info())
	}
	multi := len(q.from) > 0 && r.d.UpdateFromStyle() == dialect.UpdateMultiTable
	r.buf = append(r.buf, "UPDATE "...)
	t.appendFrom(r)
	if multi {
		for _, f := range q.from {
			r.buf = append(r.buf, ", "...)
			f.info().appendFrom(r)
		}
	}
	r.buf = append(r.buf, " SET "...)
	appendSets(r, t, q.sets, multi)
	if len(q.from) > 0 && !multi {
		r.buf = append(r.buf, " FROM "...)
		appendList(r, q.from, func(r *renderer, f TableLike) { f.info().appendFrom(r) })
	}
	if len(q.where) > 0 {
		r.buf = append(r.buf, " WHERE "...)
		appendConds(r, q.where)
	}
	q.returning.appendReturning(r, dialect.Update)
}
