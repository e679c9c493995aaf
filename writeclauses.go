package wren

import (
	"reflect"
	"strconv"
)

// The clauses of UPDATE and DELETE beyond SET and WHERE — WITH before the
// statement, ORDER BY and LIMIT after it — and the other forms of INSERT:
// WITH for INSERT … SELECT, REPLACE, and a conflict target that names a
// partial unique index.

// writeClauses are the clauses UPDATE and DELETE share beyond WHERE.
type writeClauses struct {
	with      []CTE
	recursive bool
	orderBy   []OrderTerm
	limit     int64
	hasLimit  bool
}

func (w writeClauses) addWith(recursive bool, ctes []CTE) writeClauses {
	w.with = append(clip(w.with), ctes...)
	w.recursive = w.recursive || recursive
	return w
}

func (w writeClauses) addOrder(terms []Orderable) writeClauses {
	o := make([]OrderTerm, len(w.orderBy), len(w.orderBy)+len(terms))
	copy(o, w.orderBy)
	w.orderBy = appendOrderTerms(o, terms)
	return w
}

// appendHead writes the WITH clause before the statement; it reports false
// when the dialect has none there.
func (w *writeClauses) appendHead(r *renderer, kind string) bool {
	if len(w.with) == 0 {
		return true
	}
	if !r.d.WriteWith() {
		r.unsupported("WITH before " + kind + " (a CTE can go in a subquery instead: Where(col.InQuery(AsSubquery(Select1(…).With(…)))))")
		return false
	}
	appendWith(r, w.with, w.recursive)
	return r.err == nil
}

// appendTail writes ORDER BY and LIMIT after WHERE. multi says the
// statement reads other tables (UPDATE … From), where MySQL takes neither.
func (w *writeClauses) appendTail(r *renderer, kind string, multi bool) {
	if len(w.orderBy) == 0 && !w.hasLimit {
		return
	}
	switch {
	case !r.d.WriteLimit():
		r.unsupported(kind + " … ORDER BY / LIMIT (select the keys in a subquery instead: Where(T.ID.InQuery(SubqueryOf(T.ID).…OrderBy(…).Limit(n))))")
	case multi:
		r.unsupported(kind + " of several tables (From) with ORDER BY / LIMIT")
	default:
		appendOrderLimit(r, w.orderBy, w.limit, 0, w.hasLimit, false, false)
	}
}

// orWhere joins conds to the conditions so far with OR: (where…) OR c1 OR c2.
func orWhere(where, conds []Predicate) []Predicate {
	switch {
	case len(conds) == 0:
		return where
	case len(where) == 0:
		return []Predicate{Or(clip(conds)...)}
	}
	ps := make([]Predicate, 0, 1+len(conds))
	ps = append(ps, And(clip(where)...))
	return []Predicate{Or(append(ps, conds...)...)}
}

// With adds common table expressions before the UPDATE: WITH name (cols…)
// AS (…) UPDATE …; read them with From or in subqueries. PostgreSQL,
// SQLite and MySQL 8 have it; MariaDB has WITH only in SELECT, and
// rendering fails with ErrUnsupported there.
func (q UpdateQuery) With(ctes ...CTE) UpdateQuery {
	m := q.edit()
	m.wc = m.wc.addWith(false, ctes)
	return q
}

// WithRecursive is With for CTEs that refer to themselves: WITH RECURSIVE.
func (q UpdateQuery) WithRecursive(ctes ...CTE) UpdateQuery {
	m := q.edit()
	m.wc = m.wc.addWith(true, ctes)
	return q
}

// OrderBy sets the order in which rows are updated, for Limit (MySQL and
// MariaDB; other dialects fail with ErrUnsupported).
func (q UpdateQuery) OrderBy(terms ...Orderable) UpdateQuery {
	m := q.edit()
	m.wc = m.wc.addOrder(terms)
	return q
}

// Limit updates at most n rows: UPDATE … LIMIT n (MySQL and MariaDB; other
// dialects fail with ErrUnsupported, as does an UPDATE with From on MySQL).
// A Limit does not lift the need for Where or All.
func (q UpdateQuery) Limit(n int) UpdateQuery {
	m := q.edit()
	m.wc.limit, m.wc.hasLimit = int64(n), true
	return q
}

// OrWhere adds conditions joined with OR: the WHERE becomes
// (what it was) OR c1 OR c2…, for conditions built step by step.
func (q UpdateQuery) OrWhere(conds ...Predicate) UpdateQuery {
	q.where = orWhere(q.where, conds)
	return q
}

// With adds common table expressions before the DELETE (see
// UpdateQuery.With; MariaDB has none).
func (q DeleteQuery) With(ctes ...CTE) DeleteQuery { q.wc = q.wc.addWith(false, ctes); return q }

// WithRecursive is With for CTEs that refer to themselves.
func (q DeleteQuery) WithRecursive(ctes ...CTE) DeleteQuery {
	q.wc = q.wc.addWith(true, ctes)
	return q
}

// OrderBy sets the order in which rows are deleted, for Limit (MySQL and
// MariaDB; other dialects fail with ErrUnsupported).
func (q DeleteQuery) OrderBy(terms ...Orderable) DeleteQuery { q.wc = q.wc.addOrder(terms); return q }

// Limit deletes at most n rows: DELETE … LIMIT n (MySQL and MariaDB; other
// dialects fail with ErrUnsupported). A Limit does not lift the need for
// Where or All.
func (q DeleteQuery) Limit(n int) DeleteQuery {
	q.wc.limit, q.wc.hasLimit = int64(n), true
	return q
}

// OrWhere adds conditions joined with OR: (what it was) OR c1 OR c2….
func (q DeleteQuery) OrWhere(conds ...Predicate) DeleteQuery {
	q.where = orWhere(q.where, conds)
	return q
}

// With adds common table expressions to INSERT … Select, which its query
// can read. It is written before the SELECT — INSERT INTO t (cols) WITH …
// SELECT … — the one place every dialect accepts it. An INSERT of Set or
// Rows with With is an error.
func (q InsertQuery) With(ctes ...CTE) InsertQuery {
	q.with = append(clip(q.with), ctes...)
	return q
}

// WithRecursive is With for CTEs that refer to themselves.
func (q InsertQuery) WithRecursive(ctes ...CTE) InsertQuery {
	q.recursive = true
	return q.With(ctes...)
}

// insertSelect is the query of INSERT … Select with the INSERT's CTEs.
func (q InsertQuery) insertSelect() *SelectQuery {
	if len(q.with) == 0 {
		return q.sel
	}
	s := *q.sel
	m := s.edit()
	m.with = append(clip(q.with), m.with...)
	m.recursive = m.recursive || q.recursive
	return &s
}

// Replace starts an INSERT that first deletes any existing row the new one
// collides with on a unique key: REPLACE INTO on MySQL and MariaDB, INSERT
// OR REPLACE INTO on SQLite. It takes Set, Rows or Select like Insert.
// PostgreSQL has no such statement: rendering fails with ErrUnsupported
// (use Insert(t).OnConflict(key).DoUpdate(…)).
//
// The old row is deleted, not updated: columns the new row does not set get
// their defaults, an auto-increment key may change, and ON DELETE actions
// of foreign keys run.
func Replace(t TableLike) InsertQuery { return InsertQuery{table: t, replace: true} }

// appendInsertHead writes INSERT INTO, or the dialect's REPLACE.
func (q *InsertQuery) appendInsertHead(r *renderer, t *tableInfo) bool {
	if !q.replace {
		r.buf = append(r.buf, "INSERT INTO "...)
		return true
	}
	if q.conflict != nil {
		r.fail("wren: Replace(%s) with OnConflict: REPLACE already settles every collision", t.ref())
		return false
	}
	head := r.d.Replace()
	if head == "" {
		r.unsupported("REPLACE INTO " + t.ref() + " (use Insert(t).OnConflict(key).DoUpdate(…))")
		return false
	}
	r.buf = append(r.buf, head...)
	r.buf = append(r.buf, ' ')
	return true
}

// Where limits the conflict target to a partial unique index:
// ON CONFLICT (cols) WHERE … on PostgreSQL and SQLite, which pick the index
// whose predicate the conditions imply. MySQL and MariaDB have no partial
// indexes: rendering fails with ErrUnsupported there.
//
// The conditions are written with constants, not bound parameters, since
// PostgreSQL matches an index only against constants (with a parameter a
// prepared statement stops finding the index once it is planned
// generically): compare with booleans and integers, or use IsNull and
// IsNotNull; any other value is an error. SQLite matches the index's WHERE
// term by term, so write it as the index does.
func (c ConflictClause) Where(conds ...Predicate) ConflictClause {
	c.targetWhere = append(clip(c.targetWhere), conds...)
	return c
}

// appendTargetWhere writes the WHERE of a conflict target.
func (c *conflict) appendTargetWhere(r *renderer, t *tableInfo) {
	if len(c.targetWhere) == 0 {
		return
	}
	if len(c.target) == 0 {
		r.fail("wren: INSERT INTO %s … OnConflict().Where: a partial index is found by its columns: name them in OnConflict", t.ref())
		return
	}
	r.buf = append(r.buf, " WHERE "...)
	bare, consts := r.bare, r.consts
	r.bare, r.consts = true, true
	appendConds(r, c.targetWhere)
	r.bare, r.consts = bare, consts
}

// constant writes v as a literal, for an index predicate: booleans and
// integers only, which no value can turn into other SQL.
func (r *renderer) constant(v any) {
	rv := reflect.ValueOf(v)
	if rv.Kind() == reflect.Pointer && !rv.IsNil() {
		rv = rv.Elem()
	}
	switch rv.Kind() {
	case reflect.Bool:
		r.buf = append(r.buf, r.d.Bool(rv.Bool())...)
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		r.buf = strconv.AppendInt(r.buf, rv.Int(), 10)
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		r.buf = strconv.AppendUint(r.buf, rv.Uint(), 10)
	default:
		shown := v
		if rv.IsValid() && rv.CanInterface() {
			shown = rv.Interface()
		}
		r.fail("wren: OnConflict(…).Where: the value %v (%T) would be a bound parameter, but a partial unique index is matched only against constants (PostgreSQL stops finding it once a prepared statement is planned generically): compare with a boolean or an integer, use IsNull/IsNotNull, or write the index's predicate with wren.Raw", shown, v)
	}
}
