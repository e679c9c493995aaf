package wren

import (
	"github.com/wrensql/wren/dialect"
	"github.com/wrensql/wren/scan"
)

// InsertQuery is an INSERT statement: one row of assignments, rows of Go
// structs, or the rows of a SELECT. Like every builder it is a value:
// methods return a modified copy.
//
//	wren.Insert(Users).Set(wren.Set(Users.Username, "huey"))
//	wren.Insert(Users).Rows(huey, mickey)
type InsertQuery struct {
	table     TableLike
	sets      []Assignment
	rows      []any // structs or pointers to structs
	cols      []*colInfo
	sel       *SelectQuery
	conflict  *conflict
	returning returning
	err       error
	with      []CTE // for Select's query
	recursive bool
	replace   bool // REPLACE INTO
}

// Insert starts an INSERT into table t.
func Insert(t TableLike) InsertQuery { return InsertQuery{table: t} }

// Set adds assignments for a single-row INSERT.
func (q InsertQuery) Set(sets ...Assignment) InsertQuery {
	q.sets = append(clip(q.sets), sets...)
	return q
}

// Rows adds rows given as Go structs (or pointers to structs), whose fields
// are matched to the table's columns by `db` tag or snake_case name, as the
// scanner matches them. Every mapped field is written, zero values included,
// except an auto-increment key that is zero in every row, which the database
// generates. A field with no column is an error; a column with no field
// gets its DEFAULT.
//
// An InsertQuery is one statement: rendering fails when its rows need more
// bound parameters than the dialect allows. [Create] splits any number of
// rows over several statements in one transaction, and fills in their keys.
func (q InsertQuery) Rows(rows ...any) InsertQuery {
	q.rows = append(clip(q.rows), rows...)
	return q
}

// ColumnRef is a column of a table descriptor, for column lists.
type ColumnRef interface{ info() *colInfo }

// Select makes it INSERT INTO t (cols…) SELECT …: the query's columns fill
// cols in order.
func (q InsertQuery) Select(cols []ColumnRef, sel SelectQuery) InsertQuery {
	q.cols = make([]*colInfo, len(cols))
	for i, c := range cols {
		q.cols[i] = colOf(c)
	}
	q.sel = &sel
	return q
}

// Columns is a helper to list the target columns of Select.
func Columns(cols ...ColumnRef) []ColumnRef { return cols }

// Returning makes the INSERT return the given columns of the inserted rows
// (PostgreSQL, SQLite, MariaDB; MySQL has none, and rendering fails with
// ErrUnsupported).
func (q InsertQuery) Returning(items ...Selectable) InsertQuery {
	q.returning = append(clip(q.returning), items...)
	return q
}

// ResultColumns lists what Returning selects.
func (q InsertQuery) ResultColumns() []scan.Column { return q.returning.resultColumns() }

// SQL renders the statement for d.
func (q InsertQuery) SQL(d *dialect.Dialect) (string, []any, error) { return renderSQL(d, q) }

func (q InsertQuery) appendStatement(r *renderer) {
	t := tableOf(r, q.table, "INSERT")
	if t == nil {
		return
	}
	if q.err != nil {
		r.fail("%v", q.err)
		return
	}
	forms := 0
	for _, has := range []bool{len(q.sets) > 0, len(q.rows) > 0, q.sel != nil} {
		if has {
			forms++
		}
	}
	if forms != 1 {
		r.fail("wren: INSERT INTO %s needs exactly one of Set, Rows or Select", t.ref())
		return
	}
	if len(q.with) > 0 && q.sel == nil {
		r.fail("wren: INSERT INTO %s … With needs Select: only the rows of a query can read a CTE", t.ref())
		return
	}
	defer r.pop(len(r.scope))
	r.push(t)
	if !q.appendInsertHead(r, t) {
		return
	}
	t.appendName(r)
	switch {
	case len(q.sets) > 0:
		r.buf = append(r.buf, " ("...)
		for i, a := range q.sets {
			if i > 0 {
				r.buf = append(r.buf, ", "...)
			}
			if a.col == nil || a.col.table.name != t.name {
				r.fail("wren: INSERT INTO %s sets a column of another table", t.ref())
				return
			}
			if assignedBefore(q.sets, i) {
				r.fail("wren: INSERT INTO %s assigns column %s twice", t.ref(), a.col.name)
				return
			}
			a.col.appendName(r)
		}
		r.buf = append(r.buf, ") VALUES ("...)
		for i, a := range q.sets {
			if i > 0 {
				r.buf = append(r.buf, ", "...)
			}
			a.appendValue(r)
		}
		r.buf = append(r.buf, ')')
	case len(q.rows) > 0:
		appendStructRows(r, t, q.rows)
	default:
		sel := q.insertSelect()
		if q.conflict != nil && len(sel.where) == 0 && r.d.UpsertSelectWhere() {
			s := *sel
			s.where = []Predicate{{op: pConst, v: true}}
			sel = &s
		}
		if !checkInsertSelect(r, t, q.cols, sel) {
			return
		}
		r.buf = append(r.buf, " ("...)
		appendList(r, q.cols, func(r *renderer, c *colInfo) { c.appendName(r) })
		r.buf = append(r.buf, ") "...)
		sel.appendSelectSQL(r)
	}
	// After INSERT … SELECT, MySQL reads a bare column in ON DUPLICATE KEY
	// UPDATE as the query's too: name the table's columns with the table.
	qualify := r.qualify
	r.qualify = r.qualify || q.sel != nil
	q.conflict.appendConflict(r, t)
	r.qualify = qualify
	q.returning.appendReturning(r, dialect.Insert)
}

// checkInsertSelect fails the rendering unless INSERT … SELECT names its
// target columns, each a column of t, as many as the query selects.
func checkInsertSelect(r *renderer, t *tableInfo, cols []*colInfo, sel *SelectQuery) bool {
	if len(cols) == 0 {
		r.fail("wren: INSERT INTO %s … Select: no target columns (list them with wren.Columns)", t.ref())
		return false
	}
	for i, c := range cols {
		if c == nil {
			r.fail("wren: INSERT INTO %s … Select: target column %d of %d is nil", t.ref(), i+1, len(cols))
			return false
		}
		if c.table.name != t.name {
			r.fail("wren: INSERT INTO %s … Select: target column %s is a column of %s", t.ref(), c.name, c.table.ref())
			return false
		}
	}
	if n := len(sel.ResultColumns()); n != len(cols) {
		r.fail("wren: INSERT INTO %s … Select: %d target columns, but the query selects %d", t.ref(), len(cols), n)
		return false
	}
	return true
}
