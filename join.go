package wren

// joinClause is one JOIN of a SELECT.
type joinClause struct {
	kind  string // "JOIN", "LEFT JOIN", …
	table TableLike
	on    []Predicate
}

// Join adds an INNER JOIN of t. With no conditions, the condition is inferred
// from a foreign key (`wren:"references=table.column"`) between t and a table
// already in the query, as Peewee does; rendering fails if there is none or
// more than one.
func (q SelectQuery) Join(t TableLike, on ...Predicate) SelectQuery {
	return q.join("JOIN", t, on)
}

// LeftJoin adds a LEFT OUTER JOIN of t. Columns of t may be NULL in the
// result even when declared NOT NULL; scan them into pointers or sql.Null.
func (q SelectQuery) LeftJoin(t TableLike, on ...Predicate) SelectQuery {
	return q.join("LEFT JOIN", t, on)
}

// RightJoin adds a RIGHT OUTER JOIN of t.
func (q SelectQuery) RightJoin(t TableLike, on ...Predicate) SelectQuery {
	return q.join("RIGHT JOIN", t, on)
}

// FullJoin adds a FULL OUTER JOIN of t. MySQL and MariaDB have none:
// rendering for them fails with ErrUnsupported.
func (q SelectQuery) FullJoin(t TableLike, on ...Predicate) SelectQuery {
	return q.join("FULL JOIN", t, on)
}

// CrossJoin adds a CROSS JOIN of t.
func (q SelectQuery) CrossJoin(t TableLike) SelectQuery {
	return q.join("CROSS JOIN", t, nil)
}

func (q SelectQuery) join(kind string, t TableLike, on []Predicate) SelectQuery {
	q.joins = append(clip(q.joins), joinClause{kind: kind, table: t, on: on})
	return q
}

// appendJoin writes the join; before holds the tables of FROM and of the
// joins before this one, where an omitted ON looks for a foreign key.
func (j joinClause) appendJoin(r *renderer, before []*tableInfo) {
	switch {
	case j.kind == "FULL JOIN" && !r.d.FullJoin():
		r.unsupported("FULL OUTER JOIN")
		return
	case j.kind == "RIGHT JOIN" && !r.d.RightJoin():
		r.unsupported("RIGHT OUTER JOIN")
		return
	}
	r.buf = append(r.buf, ' ')
	r.buf = append(r.buf, j.kind...)
	r.buf = append(r.buf, ' ')
	ti := infoOf(j.table)
	ti.appendFrom(r)
	if ti == nil {
		return
	}
	if j.kind == "CROSS JOIN" {
		return
	}
	on := j.on
	if len(on) == 0 {
		p, err := inferJoin(before, ti)
		if err != nil {
			r.fail("%v", err)
			return
		}
		on = []Predicate{p}
	}
	r.buf = append(r.buf, " ON "...)
	appendConds(r, on)
}

// inferJoin finds the one foreign key between t and the other tables in
// scope and returns the equality it implies.
func inferJoin(scope []*tableInfo, t *tableInfo) (Predicate, error) {
	var found []Predicate
	for _, o := range scope {
		if o == t {
			continue
		}
		for _, c := range t.cols { // t references o
			if c.opts.refTable == o.name {
				if oc := o.column(c.opts.refColumn); oc != nil {
					found = append(found, cmpExpr(c, opEq, oc))
				}
			}
		}
		for _, c := range o.cols { // o references t
			if c.opts.refTable == t.name {
				if tc := t.column(c.opts.refColumn); tc != nil {
					found = append(found, cmpExpr(c, opEq, tc))
				}
			}
		}
	}
	switch len(found) {
	case 1:
		return found[0], nil
	case 0:
		return Predicate{}, errorf("wren: JOIN %s without On: no foreign key (references=…) links it to a table already in the query", t.ref())
	}
	return Predicate{}, errorf("wren: JOIN %s without On: %d foreign keys link it to the query; say which with On", t.ref(), len(found))
}
