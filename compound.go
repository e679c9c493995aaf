package wren

import (
	"github.com/wrensql/wren/dialect"
	"github.com/wrensql/wren/scan"
)

// CompoundQuery is SELECTs combined with UNION, UNION ALL, INTERSECT or
// EXCEPT, with an optional ORDER BY and LIMIT on the whole. The operators
// apply with the database's own precedence (INTERSECT before UNION on
// PostgreSQL and MySQL; left to right on SQLite): for another grouping,
// put a part in a subquery.
type CompoundQuery struct {
	first     SelectQuery
	rest      []compoundPart
	orderBy   []OrderTerm
	limit     int64
	offset    int64
	hasLimit  bool
	hasOffset bool
	with      []CTE
	recursive bool
}

type compoundPart struct {
	op string
	q  SelectQuery
}

// Union is "q UNION o": the distinct rows of both.
func (q SelectQuery) Union(o SelectQuery) CompoundQuery { return CompoundQuery{first: q}.Union(o) }

// UnionAll is "q UNION ALL o": all rows of both.
func (q SelectQuery) UnionAll(o SelectQuery) CompoundQuery {
	return CompoundQuery{first: q}.UnionAll(o)
}

// Intersect is "q INTERSECT o": the rows in both.
func (q SelectQuery) Intersect(o SelectQuery) CompoundQuery {
	return CompoundQuery{first: q}.Intersect(o)
}

// Except is "q EXCEPT o": the rows of q not in o.
func (q SelectQuery) Except(o SelectQuery) CompoundQuery { return CompoundQuery{first: q}.Except(o) }

func (c CompoundQuery) add(op string, o SelectQuery) CompoundQuery {
	c.rest = append(clip(c.rest), compoundPart{op, o})
	return c
}

// Union adds "UNION o".
func (c CompoundQuery) Union(o SelectQuery) CompoundQuery { return c.add(" UNION ", o) }

// UnionAll adds "UNION ALL o".
func (c CompoundQuery) UnionAll(o SelectQuery) CompoundQuery { return c.add(" UNION ALL ", o) }

// Intersect adds "INTERSECT o".
func (c CompoundQuery) Intersect(o SelectQuery) CompoundQuery { return c.add(" INTERSECT ", o) }

// Except adds "EXCEPT o".
func (c CompoundQuery) Except(o SelectQuery) CompoundQuery { return c.add(" EXCEPT ", o) }

// OrderBy orders the combined rows. Columns are written by their result
// names, as the SQL standard requires here.
func (c CompoundQuery) OrderBy(terms ...Orderable) CompoundQuery {
	c.orderBy = appendOrderTerms(clip(c.orderBy), terms)
	return c
}

// rowsHint is how many rows All should make room for: the LIMIT on the
// whole, or 0 without one.
func (c CompoundQuery) rowsHint() int { return limitHint(c.hasLimit, c.limit) }

// Limit caps the combined rows.
func (c CompoundQuery) Limit(n int) CompoundQuery {
	c.limit, c.hasLimit = int64(n), true
	return c
}

// Offset skips n of the combined rows.
func (c CompoundQuery) Offset(n int) CompoundQuery {
	c.offset, c.hasOffset = int64(n), true
	return c
}

// With adds common table expressions that every member of the compound can
// read: WITH name (cols…) AS (…) SELECT … UNION SELECT …. (A WITH on the
// first SELECT alone is only visible to the other members while that
// SELECT needs no parentheses.)
func (c CompoundQuery) With(ctes ...CTE) CompoundQuery {
	c.with = append(clip(c.with), ctes...)
	return c
}

// WithRecursive is With for common table expressions that refer to
// themselves: WITH RECURSIVE.
func (c CompoundQuery) WithRecursive(ctes ...CTE) CompoundQuery {
	c.recursive = true
	return c.With(ctes...)
}

// SQL renders the query for d.
func (c CompoundQuery) SQL(d *dialect.Dialect) (string, []any, error) { return renderSQL(d, c) }

// ResultColumns are the first SELECT's.
func (c CompoundQuery) ResultColumns() []scan.Column { return c.first.ResultColumns() }

func (c CompoundQuery) appendSQL(r *renderer) {
	r.buf = append(r.buf, '(')
	c.appendStatement(r)
	r.buf = append(r.buf, ')')
}

func (c CompoundQuery) appendStatement(r *renderer) {
	appendWith(r, c.with, c.recursive)
	appendMember(r, c.first)
	for _, p := range c.rest {
		r.buf = append(r.buf, p.op...)
		appendMember(r, p.q)
	}
	bare, noScope := r.bare, r.noScope
	r.bare, r.noScope = true, true
	appendOrderLimit(r, c.orderBy, c.limit, c.offset, c.hasLimit, c.hasOffset, false)
	r.bare, r.noScope = bare, noScope
}

// appendMember writes one SELECT of a compound; one with its own ORDER BY
// or LIMIT is parenthesised, or on SQLite wrapped as SELECT * FROM (…).
func appendMember(r *renderer, q SelectQuery) {
	if len(q.orderBy) == 0 && !q.hasLimit && !q.hasOffset {
		q.appendSelectSQL(r)
		return
	}
	if r.d.CompoundParens() {
		q.appendSQL(r)
		return
	}
	r.buf = append(r.buf, "SELECT * FROM "...)
	q.appendSQL(r)
}
