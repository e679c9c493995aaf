package wren

import "errors"

// With GROUP BY, a selected column that is neither grouped nor determined
// by a grouped primary key has no single value per group: PostgreSQL and
// MySQL with ONLY_FULL_GROUP_BY refuse the query, but SQLite (and MariaDB
// and MySQL without that mode) return some row's value. wren refuses it on
// every database when the query renders, where it can know: a plain column
// of the query's own tables, in the SELECT list, HAVING or ORDER BY,
// outside any aggregate. What it cannot see into (Raw, Func, subqueries, window
// functions, a GROUP BY of an alias) is let through.

// groupCheck holds what one SELECT groups by.
type groupCheck struct {
	own     []*tableInfo // the query's own tables (FROM and JOIN)
	grouped []*colInfo   // columns grouped as such
	inExprs []*colInfo   // columns inside grouped expressions (LOWER(x), …)
}

// checkGrouping fails the rendering if q selects or orders by a column
// that GROUP BY does not determine; own are q's tables.
func checkGrouping(r *renderer, q *SelectQuery, own []*tableInfo) bool {
	g := groupCheck{own: own}
	for _, e := range q.x().groupBy {
		if isNil(e) {
			return true // reported when GROUP BY renders
		}
		switch x := unwrapExpr(e).(type) {
		case *colInfo:
			g.grouped = append(g.grouped, x)
		case aliasRef, rawExpr:
			return true // refers to what wren cannot see
		default:
			if !collectColumns(e, &g.inExprs) {
				return true
			}
		}
	}
	for _, it := range q.items {
		if tl, ok := it.(TableLike); ok {
			if ti := infoOf(tl); ti != nil {
				for _, c := range ti.cols {
					if !g.determined(c) {
						g.fail(r, c, "selected")
						return false
					}
				}
			}
			continue
		}
		if c := g.ungrouped(selectedExpr(it)); c != nil {
			g.fail(r, c, "selected")
			return false
		}
	}
	for _, p := range q.x().having {
		if c := g.ungrouped(p); c != nil {
			g.fail(r, c, "used in Having")
			return false
		}
	}
	for _, o := range q.orderBy {
		if c := g.ungrouped(o.e); c != nil {
			g.fail(r, c, "ordered by")
			return false
		}
	}
	return true
}

func (g *groupCheck) fail(r *renderer, c *colInfo, how string) {
	r.fail("wren: column %s.%s is %s, but GROUP BY does not determine it: add it to GroupBy, group by the primary key of %s, or put it in an aggregate (Min, Max, …); SQLite and MySQL without ONLY_FULL_GROUP_BY would return an arbitrary row's value",
		c.table.ref(), c.name, how, c.table.ref())
}

// determined reports whether GROUP BY gives c one value per group.
func (g *groupCheck) determined(c *colInfo) bool {
	if !containsTable(g.own, c.table) {
		return true // an outer query's column: one value per evaluation
	}
	if containsCol(g.grouped, c) || containsCol(g.inExprs, c) {
		return true
	}
	// Functionally dependent on a grouped primary key.
	pk := 0
	for _, k := range c.table.cols {
		if isPrimaryKey(c.table, k) {
			if !containsCol(g.grouped, k) {
				return false
			}
			pk++
		}
	}
	return pk > 0
}

func isPrimaryKey(t *tableInfo, c *colInfo) bool {
	if len(t.opts.pk) > 0 {
		for _, n := range t.opts.pk {
			if n == c.name {
				return true
			}
		}
		return false
	}
	return c.opts.pk
}

func containsTable(ts []*tableInfo, t *tableInfo) bool {
	for _, x := range ts {
		if x == t {
			return true
		}
	}
	return false
}

func containsCol(cs []*colInfo, c *colInfo) bool {
	for _, x := range cs {
		if x == c {
			return true
		}
	}
	return false
}

// selectedExpr is the expression a SELECT item renders, or nil.
func selectedExpr(it Selectable) Expression {
	switch x := it.(type) {
	case interface{ aliased() Expression }:
		return x.aliased()
	case exprSel:
		return x.e
	case Expression:
		return x
	}
	return nil
}

func (a Aliased[T]) aliased() Expression { return a.e }

// ungrouped returns the first column of e, outside aggregates, that GROUP
// BY does not determine, or nil.
func (g *groupCheck) ungrouped(e Expression) (bad *colInfo) {
	walkColumns(e, func(c *colInfo) bool {
		if !g.determined(c) {
			bad = c
			return false
		}
		return true
	})
	return bad
}

// collectColumns appends the columns of e to dst; it reports false if e
// holds something wren cannot see into.
func collectColumns(e Expression, dst *[]*colInfo) bool {
	return walkColumns(e, func(c *colInfo) bool {
		*dst = append(*dst, c)
		return true
	})
}

// walkColumns calls fn for each column of e outside aggregates, as long as
// fn returns true. Parts it cannot see into (aggregates, Raw, Func,
// subqueries) are skipped; it reports false if fn stopped it or such a
// part was met while collecting.
func walkColumns(e Expression, fn func(*colInfo) bool) bool {
	switch x := unwrapExpr(e).(type) {
	case nil:
	case *colInfo:
		return fn(x)
	case *funcExpr:
		if !x.scalar || x.over != nil {
			return true // an aggregate, a window, or a function wren does not know
		}
		for _, a := range x.args {
			if !walkColumns(a, fn) {
				return false
			}
		}
	case *arithExpr:
		if x.l != nil && !walkColumns(x.l, fn) {
			return false
		}
		return walkColumns(x.r, fn)
	case dialectFunc:
		for _, a := range x.args {
			if !walkColumns(a, fn) {
				return false
			}
		}
	case concatExpr:
		for _, a := range x {
			if !walkColumns(a, fn) {
				return false
			}
		}
	case roundExpr:
		return walkColumns(x.e, fn)
	case castExpr:
		return walkColumns(x.e, fn)
	case caseExpr:
		for _, w := range x.whens {
			if !walkColumns(w.cond, fn) || !walkColumns(w.then, fn) {
				return false
			}
		}
		return walkColumns(x.els, fn)
	case simpleCaseExpr:
		if !walkColumns(x.x, fn) {
			return false
		}
		for _, w := range x.whens {
			if !walkColumns(w.k, fn) || !walkColumns(w.then, fn) {
				return false
			}
		}
		return walkColumns(x.els, fn)
	case Predicate:
		switch x.op {
		case pConst, pInvalid:
		case pExpr:
			if in, ok := x.l.(inSub); ok {
				return walkColumns(in.l, fn)
			}
		case pCmpExpr:
			if !walkColumns(x.l, fn) {
				return false
			}
			o, _ := x.v.(Expression)
			return walkColumns(o, fn)
		case pAnd, pOr, pNot:
			for _, k := range x.kids {
				if !walkColumns(k, fn) {
					return false
				}
			}
		default:
			return walkColumns(x.l, fn)
		}
	}
	return true
}

// appendGrouped appends GROUP BY expressions to dst, a table descriptor as
// its columns.
func appendGrouped(dst []Expression, exprs []Expression) []Expression {
	for _, e := range exprs {
		if tl, ok := e.(TableLike); ok {
			switch ti := infoOf(tl); {
			case ti == nil:
				dst = append(dst, invalidPredicate(errors.New("wren: GroupBy: a nil table descriptor")))
			case ti.err != nil:
				dst = append(dst, invalidPredicate(ti.err))
			default:
				for _, c := range ti.cols {
					dst = append(dst, c)
				}
			}
			continue
		}
		dst = append(dst, e)
	}
	return dst
}

// appendSQL makes a table descriptor an Expression, so that GroupBy takes
// it (and expands it into its columns). Anywhere else a table is not one
// value, and rendering fails.
func (t Table) appendSQL(r *renderer) {
	name := "a zero Table"
	if t.t != nil {
		name = t.t.ref()
	}
	r.fail("wren: table %s used as an expression: a table descriptor stands for all its columns only in GroupBy and in SELECT lists", name)
}
