package wren

// CTE is one common table expression of a WITH clause: a table descriptor
// (made with NewTable, whose columns give the CTE's typed columns) and the
// statement that fills it.
type CTE struct {
	t   TableLike
	q   Statement
	err error // the descriptor's column types disagree with q's
}

// CTEOf defines the CTE named like the descriptor t, filled by q:
//
//	type NumsTable struct {
//		wren.Table
//		N wren.Column[int64]
//	}
//	var Nums = wren.NewTable[NumsTable]("nums")
//
//	body := wren.Select(wren.Val(int64(1)).As("n")).
//		UnionAll(wren.Select(Nums.N.Add(1)).From(Nums).Where(Nums.N.Lt(10)))
//	q := wren.Select(Nums.N).From(Nums).WithRecursive(wren.CTEOf(Nums, body))
//
// A column of t declared with another type than q selects for it is an
// error when the query renders.
func CTEOf(t TableLike, q Statement) CTE {
	c := CTE{t: t, q: q}
	if rs, ok := q.(RowSource); ok {
		if ti := infoOf(t); ti != nil {
			c.err = checkColumnTypes(ti, rs, "CTE "+ti.name)
		}
	}
	return c
}

// With adds common table expressions: WITH name (cols…) AS (…) SELECT ….
func (q SelectQuery) With(ctes ...CTE) SelectQuery {
	m := q.edit()
	m.with = append(clip(m.with), ctes...)
	return q
}

// WithRecursive adds common table expressions that may refer to themselves:
// WITH RECURSIVE.
func (q SelectQuery) WithRecursive(ctes ...CTE) SelectQuery {
	q.edit().recursive = true
	return q.With(ctes...)
}

func appendWith(r *renderer, ctes []CTE, recursive bool) {
	if len(ctes) == 0 {
		return
	}
	r.buf = append(r.buf, "WITH "...)
	if recursive {
		r.buf = append(r.buf, "RECURSIVE "...)
	}
	for i, c := range ctes {
		if i > 0 {
			r.buf = append(r.buf, ", "...)
		}
		ti := tableOf(r, c.t, "WITH")
		if ti == nil || isNil(c.q) {
			r.fail("wren: WITH: a CTE needs a table descriptor and a query")
			return
		}
		if c.err != nil {
			r.fail("%w", c.err)
			return
		}
		r.ident(roleCTE, ti.name)
		r.buf = append(r.buf, " ("...)
		appendList(r, ti.cols, func(r *renderer, c *colInfo) { r.ident(roleCTEColumn, c.name) })
		r.buf = append(r.buf, ") AS ("...)
		c.q.appendStatement(r)
		r.buf = append(r.buf, ')')
	}
	r.buf = append(r.buf, ' ')
}
