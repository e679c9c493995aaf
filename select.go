package wren

import (
	"math"
	"strconv"

	"github.com/wrensql/wren/dialect"
	"github.com/wrensql/wren/scan"
)

// SelectQuery is a SELECT statement. It is a value: every method returns a
// new query and leaves its receiver as it was, so a base query can be
// extended in several directions.
//
//	q := wren.Select(Users.ID, Users.Username).
//		From(Users).
//		Where(Users.Username.Eq("huey")).
//		OrderBy(Users.ID.Desc()).
//		Limit(10)
type SelectQuery struct {
	distinct  bool
	hasLimit  bool
	hasOffset bool
	items     []Selectable
	from1     TableLike   // the first table of FROM, kept apart so one table allocates nothing
	from      []TableLike // the others
	joins     []joinClause
	where     []Predicate
	orderBy   []OrderTerm
	limit     int64
	offset    int64
	// more holds the rarer clauses, so that a query without them stays
	// small: it is copied whole, and boxed as a Statement, by every
	// builder call and every run. Queries share it; a builder method
	// changes a copy (see edit).
	more *selectMore
	err  error
}

// selectMore is the clauses of a SELECT that most queries do not have.
type selectMore struct {
	with       []CTE
	recursive  bool
	distinctOn []Expression
	groupBy    []Expression
	having     []Predicate
	lock       lockClause
	windows    []NamedWindow
}

// noMore is the rarer clauses of a query that has none of them.
var noMore selectMore

// x returns q's rarer clauses, empty ones when it has none; not to be
// changed (see edit).
func (q *SelectQuery) x() *selectMore {
	if q.more == nil {
		return &noMore
	}
	return q.more
}

// edit gives q a copy of its rarer clauses of its own and returns it, for
// a builder method to change: the query it was copied from keeps its own.
// Their slices are shared until appended to through clip.
func (q *SelectQuery) edit() *selectMore {
	m := new(selectMore)
	if q.more != nil {
		*m = *q.more
	}
	q.more = m
	return m
}

// Select starts a SELECT of the given columns, expressions and tables. A table
// descriptor selects all of its columns in declaration order.
func Select(items ...Selectable) SelectQuery {
	return SelectQuery{items: items}
}

// clip returns s with no spare capacity, so that appending to it copies and
// the receiver of a builder method keeps its own slice.
func clip[E any](s []E) []E { return s[:len(s):len(s)] }

// Columns adds items to the SELECT list.
func (q SelectQuery) Columns(items ...Selectable) SelectQuery {
	q.items = append(clip(q.items), items...)
	return q
}

// ReplaceColumns replaces the SELECT list with items, keeping every other
// clause: the same query selecting other things (a count, the keys only).
func (q SelectQuery) ReplaceColumns(items ...Selectable) SelectQuery {
	q.items = clip(items)
	return q
}

// From sets the tables the query reads; several tables are a cross product.
// Calling From again adds tables.
func (q SelectQuery) From(tables ...TableLike) SelectQuery {
	for i, t := range tables {
		if isNil(t) && q.err == nil {
			q.err = errorf("wren: From: table %d of %d is a nil table descriptor", i+1, len(tables))
		}
	}
	if q.from1 == nil && len(tables) > 0 {
		q.from1, tables = tables[0], tables[1:]
	}
	if len(tables) > 0 {
		q.from = append(clip(q.from), tables...)
	}
	return q
}

// fromCount is the number of tables in FROM.
func (q SelectQuery) fromCount() int {
	if q.from1 == nil {
		return 0
	}
	return 1 + len(q.from)
}

// fromAt returns the i-th table of FROM.
func (q SelectQuery) fromAt(i int) TableLike {
	if i == 0 {
		return q.from1
	}
	return q.from[i-1]
}

// Where adds conditions. Several conditions, and repeated calls, are joined
// with AND: a later Where never replaces an earlier one.
func (q SelectQuery) Where(conds ...Predicate) SelectQuery {
	q.where = append(clip(q.where), conds...)
	return q
}

// OrWhere adds conditions joined with OR: the WHERE becomes
// (what it was) OR c1 OR c2…, as Peewee's orwhere does. Starting from no
// WHERE, repeated OrWhere calls build c1 OR c2 OR …; a later Where ANDs
// with the whole.
func (q SelectQuery) OrWhere(conds ...Predicate) SelectQuery {
	q.where = orWhere(q.where, conds)
	return q
}

// GroupBy adds GROUP BY expressions. A table descriptor stands for all of
// its columns, in declaration order: GroupBy(Users) groups by every column
// of users, so that any of them may be selected.
func (q SelectQuery) GroupBy(exprs ...Expression) SelectQuery {
	m := q.edit()
	m.groupBy = appendGrouped(clip(m.groupBy), exprs)
	return q
}

// Having adds HAVING conditions, joined with AND like Where's.
func (q SelectQuery) Having(conds ...Predicate) SelectQuery {
	m := q.edit()
	m.having = append(clip(m.having), conds...)
	return q
}

// OrderBy adds ORDER BY terms: columns and expressions (ascending), or
// terms made with Asc and Desc, optionally NullsFirst or NullsLast.
func (q SelectQuery) OrderBy(terms ...Orderable) SelectQuery {
	o := make([]OrderTerm, len(q.orderBy), len(q.orderBy)+len(terms))
	copy(o, q.orderBy)
	q.orderBy = appendOrderTerms(o, terms)
	return q
}

// Limit caps the number of rows. A negative n is an error when the query is
// rendered.
func (q SelectQuery) Limit(n int) SelectQuery {
	q.limit, q.hasLimit = int64(n), true
	return q
}

// Offset skips n rows. An OFFSET without a LIMIT is rendered in the form
// each dialect accepts.
func (q SelectQuery) Offset(n int) SelectQuery {
	q.offset, q.hasOffset = int64(n), true
	return q
}

// Paginate selects page number page (counting from 1, as Peewee does) of
// perPage rows: LIMIT perPage OFFSET (page-1)*perPage.
func (q SelectQuery) Paginate(page, perPage int) SelectQuery {
	if page < 1 || perPage < 1 {
		q.err = errorf("wren: Paginate(%d, %d): page and perPage count from 1", page, perPage)
		return q
	}
	if page-1 > math.MaxInt/perPage {
		q.err = errorf("wren: Paginate(%d, %d): page %d of %d rows would start past the largest OFFSET: the page number is out of range", page, perPage, page, perPage)
		return q
	}
	return q.Limit(perPage).Offset((page - 1) * perPage)
}

// Distinct makes it SELECT DISTINCT.
func (q SelectQuery) Distinct() SelectQuery {
	q.distinct = true
	return q
}

// DistinctOn makes it SELECT DISTINCT ON (exprs…), which only PostgreSQL
// has; rendering for another dialect fails with ErrUnsupported.
func (q SelectQuery) DistinctOn(exprs ...Expression) SelectQuery {
	m := q.edit()
	m.distinctOn = append(clip(m.distinctOn), exprs...)
	return q
}

// SQL renders the query for d.
func (q SelectQuery) SQL(d *dialect.Dialect) (string, []any, error) { return renderSQL(d, q) }

// ResultColumns lists what the query selects, in order: for each column
// its table (or alias) and name, for each aliased expression its alias,
// with the Go type of its values and whether an outer join makes it
// nullable.
func (q SelectQuery) ResultColumns() []scan.Column {
	var cols []scan.Column
	outer := q.outerJoined()
	for _, it := range q.items {
		if isNil(it) {
			cols = append(cols, scan.Column{})
			continue
		}
		n := len(cols)
		cols = it.appendResultCols(cols)
		if len(outer) > 0 {
			markNullable(cols[n:], it, outer)
		}
	}
	return cols
}

func (q SelectQuery) appendStatement(r *renderer) { q.appendSelectSQL(r) }

// appendSQL writes the query as a parenthesised subquery.
func (q SelectQuery) appendSQL(r *renderer) {
	r.buf = append(r.buf, '(')
	q.appendSelectSQL(r)
	r.buf = append(r.buf, ')')
}

func (q SelectQuery) appendSelectSQL(r *renderer) {
	// One's LIMIT 1 is for this SELECT, not for those nested in it. It is
	// written as a literal: the same for every run, and nothing to bind
	// (binding it cost SQLite's driver a quarter of a one-row read, issue
	// 19).
	one := r.limitOne && !q.hasLimit
	r.limitOne = false
	if q.err != nil {
		if r.err == nil {
			r.err = q.err
		}
		return
	}
	outer := len(r.scope)
	defer r.pop(outer)
	x := q.x()
	if len(x.windows) > 0 || len(r.windows) > 0 {
		saved := r.windows
		r.windows = x.windows
		defer func() { r.windows = saved }()
	}
	nfrom := q.fromCount()
	for i := 0; i < nfrom; i++ {
		r.push(infoOf(q.fromAt(i)))
	}
	for _, j := range q.joins {
		r.push(infoOf(j.table))
	}
	for _, ti := range r.scope[outer:] {
		if ti == nil {
			r.fail("wren: From or Join: a nil table descriptor")
			return
		}
	}

	if len(x.groupBy) > 0 && !checkGrouping(r, &q, r.scope[outer:]) {
		return
	}
	appendWith(r, x.with, x.recursive)
	r.buf = append(r.buf, "SELECT "...)
	if len(x.distinctOn) > 0 {
		if !r.d.DistinctOn() {
			r.unsupported("SELECT DISTINCT ON")
			return
		}
		r.buf = append(r.buf, "DISTINCT ON ("...)
		appendList(r, x.distinctOn, appendExpr)
		r.buf = append(r.buf, ") "...)
	} else if q.distinct {
		r.buf = append(r.buf, "DISTINCT "...)
	}
	if len(q.items) == 0 {
		r.fail("wren: SELECT with nothing to select")
		return
	}
	if !checkItems(r, q.items, "Select") {
		return
	}
	appendList(r, q.items, func(r *renderer, s Selectable) { s.appendSelect(r) })
	if nfrom > 0 {
		r.buf = append(r.buf, " FROM "...)
		for i := 0; i < nfrom; i++ {
			if i > 0 {
				r.buf = append(r.buf, ", "...)
			}
			infoOf(q.fromAt(i)).appendFrom(r)
		}
	}
	for i, j := range q.joins {
		j.appendJoin(r, r.scope[outer:outer+nfrom+i])
	}
	if len(q.where) > 0 {
		r.buf = append(r.buf, " WHERE "...)
		appendConds(r, q.where)
	}
	if len(x.groupBy) > 0 {
		r.buf = append(r.buf, " GROUP BY "...)
		appendList(r, x.groupBy, appendExpr)
	}
	if len(x.having) > 0 {
		r.buf = append(r.buf, " HAVING "...)
		appendConds(r, x.having)
	}
	if len(x.windows) > 0 {
		appendWindows(r, x.windows)
	}
	appendOrderLimit(r, q.orderBy, q.limit, q.offset, q.hasLimit, q.hasOffset, one)
	x.lock.appendLock(r)
}

func appendExpr(r *renderer, e Expression) {
	if e == nil {
		r.fail("wren: nil expression")
		return
	}
	e.appendSQL(r)
}

// appendOrderLimit writes ORDER BY, LIMIT and OFFSET; LIMIT and OFFSET are
// bound parameters, so every page of a query shares one statement text,
// except One's LIMIT 1 (litOne), written as it is.
func appendOrderLimit(r *renderer, order []OrderTerm, limit, offset int64, hasLimit, hasOffset, litOne bool) {
	if len(order) > 0 {
		r.buf = append(r.buf, " ORDER BY "...)
		appendList(r, order, func(r *renderer, o OrderTerm) { o.appendOrder(r) })
	}
	if hasLimit && limit < 0 {
		r.fail("wren: negative LIMIT %d", limit)
		return
	}
	if hasOffset && offset < 0 {
		r.fail("wren: negative OFFSET %d", offset)
		return
	}
	if litOne {
		r.buf = append(r.buf, " LIMIT 1"...)
	} else if hasLimit {
		r.buf = append(r.buf, " LIMIT "...)
		if r.d.InlineLimit() {
			r.buf = strconv.AppendInt(r.buf, limit, 10)
		} else {
			r.arg(limit)
		}
	} else if hasOffset {
		if l := r.d.OffsetOnlyLimit(); l != "" {
			r.buf = append(r.buf, " LIMIT "...)
			r.buf = append(r.buf, l...)
		}
	}
	if hasOffset {
		r.buf = append(r.buf, " OFFSET "...)
		r.arg(offset) // always bound: see dialect.InlineLimit
	}
}

// rowsHint is how many rows All should make room for: the LIMIT, or 0
// without one (see limitHint).
func (q SelectQuery) rowsHint() int { return limitHint(q.hasLimit, q.limit) }

// maxRowsHint bounds a LIMIT taken as a number of rows to make room for;
// All bounds it further by bytes (see presize).
const maxRowsHint = 1 << 20

// limitHint is the rows a query with this LIMIT can return, at most
// maxRowsHint; 0 when it has no LIMIT (or a negative one, an error).
func limitHint(has bool, limit int64) int {
	if !has || limit <= 0 {
		return 0
	}
	return int(min(limit, maxRowsHint))
}
