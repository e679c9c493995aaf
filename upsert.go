package wren

import "github.com/wrensql/wren/dialect"

// conflict is INSERT's ON CONFLICT / ON DUPLICATE KEY clause.
type conflict struct {
	target  []*colInfo
	nothing bool
	sets    []Assignment
	where   []Predicate

	// targetWhere names a partial unique index (ConflictClause.Where).
	targetWhere []Predicate
}

// ConflictClause is an upsert being built: OnConflict(…) followed by
// DoNothing or DoUpdate.
type ConflictClause struct {
	q      InsertQuery
	target []*colInfo

	targetWhere []Predicate
}

// OnConflict starts an upsert for rows that collide with an existing row on
// the unique columns cols. PostgreSQL and SQLite need cols for DoUpdate;
// MySQL and MariaDB ignore them and act on a collision with any unique key.
//
// The rows end up the same on every database. Rows affected differ: an
// upsert that updates counts 1 on PostgreSQL and SQLite, but 2 on MySQL and
// MariaDB (0 when the update changed nothing); DoNothing on a collision
// counts 0 everywhere.
func (q InsertQuery) OnConflict(cols ...ColumnRef) ConflictClause {
	c := ConflictClause{q: q}
	for _, col := range cols {
		c.target = append(c.target, colOf(col))
	}
	return c
}

// DoNothing keeps the existing row and drops the proposed one.
func (c ConflictClause) DoNothing() InsertQuery {
	c.q.conflict = &conflict{target: c.target, nothing: true, targetWhere: c.targetWhere}
	return c.q
}

// DoUpdate updates the existing row with sets, which can read the proposed
// row through [Excluded]. where, if given, limits which existing rows are
// updated (PostgreSQL and SQLite; MySQL has no such clause and rendering
// fails with ErrUnsupported).
func (c ConflictClause) DoUpdate(sets []Assignment, where ...Predicate) InsertQuery {
	c.q.conflict = &conflict{target: c.target, sets: sets, where: where, targetWhere: c.targetWhere}
	return c.q
}

// Excluded refers to column c of the row an INSERT proposed, inside
// DoUpdate: excluded.c on PostgreSQL and SQLite, VALUES(c) on MySQL and
// MariaDB. (MySQL 8.0.20 and later deprecate VALUES(c) in favour of a row
// alias, but still accept it with a warning; MariaDB knows only VALUES(c).
// Only MariaDB was available to test this.)
func Excluded[T any](c Column[T]) Expr[T] { return newExpr[T](excludedExpr{c.info()}) }

type excludedExpr struct{ c *colInfo }

func (e excludedExpr) appendSQL(r *renderer) {
	if e.c == nil {
		r.fail("wren: Excluded of a zero Column")
		return
	}
	if r.d.Upsert() == dialect.OnDuplicateKey {
		r.buf = append(r.buf, "VALUES("...)
		r.ident(roleColumn, e.c.name)
		r.buf = append(r.buf, ')')
		return
	}
	r.buf = append(r.buf, "excluded."...)
	r.ident(roleColumn, e.c.name)
}

func (c *conflict) appendConflict(r *renderer, t *tableInfo) {
	if c == nil {
		return
	}
	for _, col := range c.target {
		if col == nil || col.table.name != t.name {
			r.fail("wren: INSERT INTO %s … OnConflict names a column of another table", t.ref())
			return
		}
	}
	if r.d.Upsert() == dialect.OnDuplicateKey {
		if len(c.where) > 0 {
			r.unsupported("ON DUPLICATE KEY UPDATE … WHERE")
			return
		}
		if len(c.targetWhere) > 0 {
			r.unsupported("OnConflict(…).Where (a partial unique index, which MySQL and MariaDB do not have)")
			return
		}
		r.buf = append(r.buf, " ON DUPLICATE KEY UPDATE "...)
		if c.nothing {
			// A no-op assignment: unlike INSERT IGNORE it swallows no other error.
			k := t.cols[0]
			if len(c.target) > 0 {
				k = c.target[0]
			}
			for i := 0; i < 2; i++ {
				if i > 0 {
					r.buf = append(r.buf, " = "...)
				}
				if r.qualify { // INSERT … SELECT: the query's columns are in scope too
					r.tableRef(t)
					r.buf = append(r.buf, '.')
				}
				r.ident(roleColumn, k.name)
			}
			return
		}
		appendSets(r, t, c.sets, false)
		return
	}
	r.buf = append(r.buf, " ON CONFLICT"...)
	if len(c.target) > 0 {
		r.buf = append(r.buf, " ("...)
		appendList(r, c.target, func(r *renderer, col *colInfo) { r.ident(roleColumn, col.name) })
		r.buf = append(r.buf, ')')
		c.appendTargetWhere(r, t)
	} else if len(c.targetWhere) > 0 {
		c.appendTargetWhere(r, t) // fails: no columns
		return
	} else if !c.nothing {
		r.fail("wren: INSERT INTO %s … DoUpdate needs the conflicting columns: OnConflict(cols…)", t.ref())
		return
	}
	if c.nothing {
		r.buf = append(r.buf, " DO NOTHING"...)
		return
	}
	r.buf = append(r.buf, " DO UPDATE SET "...)
	// Both the existing and the proposed (excluded) row are in scope here:
	// name the existing row's columns explicitly.
	qualify := r.qualify
	r.qualify = true
	appendSets(r, t, c.sets, false)
	if len(c.where) > 0 {
		r.buf = append(r.buf, " WHERE "...)
		appendConds(r, c.where)
	}
	r.qualify = qualify
}
