package wren

import (
	"unsafe"

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
	table TableLike
	sets  []Assignment
	where []Predicate
	all   bool
	// more holds the rarer clauses, so that the usual UPDATE stays small:
	// it is copied whole by every builder call and boxed as a Statement by
	// every run. Queries share it; a builder method changes a copy (see
	// edit).
	more *updateMore
}

// updateMore is the clauses of an UPDATE that most have not.
type updateMore struct {
	row       any        // SetRow's struct
	rowCols   []*colInfo // SetRow's columns; nil = every mapped field but the key
	from      []TableLike
	returning returning
	wc        writeClauses // WITH, ORDER BY, LIMIT
}

// noUpdateMore is the rarer clauses of an UPDATE that has none of them.
var noUpdateMore updateMore

// x returns q's rarer clauses, empty ones when it has none; not to be
// changed (see edit).
func (q *UpdateQuery) x() *updateMore {
	if q.more == nil {
		return &noUpdateMore
	}
	return q.more
}

// edit gives q a copy of its rarer clauses of its own, to change.
func (q *UpdateQuery) edit() *updateMore {
	m := *q.x()
	q.more = &m
	return q.more
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

// SetRow assigns the fields of row, a struct or a pointer to one, mapped to
// columns as Insert's Rows maps them. Every mapped field is written, zero
// values included, except the auto-increment key; name cols to write only
// those. A column tagged autoupdate is set to CURRENT_TIMESTAMP whatever
// its field holds (and whether or not cols name it), unless Set assigns it;
// the struct's field is not changed. It adds to Set's assignments, and
// still needs a Where:
//
//	wren.Update(Users).SetRow(u).Where(Users.ID.Eq(u.ID))
//	wren.Update(Users).SetRow(u, Users.Email).Where(Users.ID.Eq(u.ID))
func (q UpdateQuery) SetRow(row any, cols ...ColumnRef) UpdateQuery {
	m := q.edit()
	m.row = row
	m.rowCols = nil
	for _, c := range cols {
		m.rowCols = append(m.rowCols, colOf(c))
	}
	return q
}

// From adds other tables the WHERE clause and the assignments may read:
// UPDATE … FROM on PostgreSQL and SQLite, UPDATE t, other … on MySQL.
func (q UpdateQuery) From(tables ...TableLike) UpdateQuery {
	m := q.edit()
	m.from = append(clip(m.from), tables...)
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
	m := q.edit()
	m.returning = append(clip(m.returning), items...)
	return q
}

// ResultColumns lists what Returning selects.
func (q UpdateQuery) ResultColumns() []scan.Column { return q.x().returning.resultColumns() }

// SQL renders the statement for d.
func (q UpdateQuery) SQL(d *dialect.Dialect) (string, []any, error) { return renderSQL(d, q) }

func (q UpdateQuery) appendStatement(r *renderer) {
	x := q.x()
	t := tableOf(r, q.table, "UPDATE")
	if t == nil {
		return
	}
	if !q.all && refuseAllRows(r, q.where, "UPDATE", t.ref(), "update") {
		return
	}
	defer r.pop(len(r.scope))
	r.push(t)
	for _, f := range x.from {
		r.push(infoOf(f))
	}
	multi := len(x.from) > 0 && r.d.UpdateFromStyle() == dialect.UpdateMultiTable
	if !x.wc.appendHead(r, "UPDATE") {
		return
	}
	r.buf = append(r.buf, "UPDATE "...)
	t.appendFrom(r)
	if multi {
		for _, f := range x.from {
			r.buf = append(r.buf, ", "...)
			infoOf(f).appendFrom(r)
		}
	}
	r.buf = append(r.buf, " SET "...)
	if x.row != nil {
		appendRowSets(r, t, x.row, x.rowCols, q.sets, multi)
		if len(q.sets) > 0 {
			r.buf = append(r.buf, ", "...)
		}
	}
	if x.row == nil || len(q.sets) > 0 {
		appendSets(r, t, q.sets, multi)
	}
	if len(x.from) > 0 && !multi {
		r.buf = append(r.buf, " FROM "...)
		appendList(r, x.from, func(r *renderer, f TableLike) { infoOf(f).appendFrom(r) })
	}
	if len(q.where) > 0 {
		r.buf = append(r.buf, " WHERE "...)
		appendConds(r, q.where)
	}
	x.wc.appendTail(r, "UPDATE", multi)
	x.returning.appendReturning(r, dialect.Update)
}

// appendRowSets writes "col = ?, …" for SetRow's struct: the columns only,
// or every mapped one but the auto-increment key.
func appendRowSets(r *renderer, t *tableInfo, row any, only []*colInfo, sets []Assignment, qualified bool) {
	base, m, ok := rowMapAt(r, t, row)
	if !ok {
		return
	}
	for _, c := range only {
		if c == nil || c.table.name != t.name {
			r.fail("wren: UPDATE %s … SetRow names a column of another table", t.ref())
			return
		}
		if !hasColumn(m.cols, c.name) {
			r.fail("wren: UPDATE %s … SetRow: struct %s has no field for column %s", t.ref(), m.typ, c.name)
			return
		}
	}
	n := 0
	for i, c := range m.cols {
		touch := c.opts.autoUpdate
		if !touch && (len(only) > 0 && !hasColumn(only, c.name) || len(only) == 0 && i == m.auto) {
			continue
		}
		if touch && assigns(sets, c.name) && !hasColumn(only, c.name) {
			continue // an explicit Set of the autoupdate column wins
		}
		if assigns(sets, c.name) {
			r.fail("wren: SET on %s assigns column %s twice (SetRow and Set)", t.ref(), c.name)
			return
		}
		if n > 0 {
			r.buf = append(r.buf, ", "...)
		}
		if qualified {
			r.tableRef(t)
			r.buf = append(r.buf, '.')
		}
		r.ident(roleColumn, c.name)
		r.buf = append(r.buf, " = "...)
		if touch {
			r.buf = append(r.buf, "CURRENT_TIMESTAMP"...)
		} else {
			r.arg(m.get[i](unsafe.Add(base, m.offs[i])))
		}
		n++
	}
	if n == 0 {
		r.fail("wren: UPDATE %s … SetRow: struct %s sets no column but the key", t.ref(), m.typ)
	}
}

// assigns reports whether sets assign column name.
func assigns(sets []Assignment, name string) bool {
	for _, a := range sets {
		if a.col != nil && a.col.name == name {
			return true
		}
	}
	return false
}

func hasColumn(cols []*colInfo, name string) bool {
	for _, c := range cols {
		if c.name == name {
			return true
		}
	}
	return false
}
