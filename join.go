package wren

// joinClause is one JOIN of a SELECT.
type joinClause struct {
	kind    string // "JOIN", "LEFT JOIN", …
	table   TableLike
	on      []Predicate
	lateral bool
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

// JoinLateral adds JOIN LATERAL (subquery) AS alias: t is a [Derived]
// table whose query may use the columns of the tables before it, as a
// correlated subquery does, and return several columns and rows for each
// of their rows. With no conditions the join is ON TRUE. PostgreSQL and
// MySQL 8.0.14+ have LATERAL; MariaDB and SQLite do not, and rendering
// for them fails with ErrUnsupported.
//
//	// Each user's two most liked tweets.
//	top := wren.Derived[TopTable](wren.Select(Tweets.ID.As("tweet_id"), Tweets.Likes.As("likes")).
//		From(Tweets).Where(Tweets.UserID.EqExpr(Users.ID)).OrderBy(Tweets.Likes.Desc()).Limit(2), "top")
//	wren.Select(Users.Username, top.TweetID, top.Likes).From(Users).JoinLateral(top)
func (q SelectQuery) JoinLateral(t TableLike, on ...Predicate) SelectQuery {
	return q.joinLateral("JOIN", t, on)
}

// LeftJoinLateral adds LEFT JOIN LATERAL (subquery) AS alias … ON: the
// rows of the tables before it are kept when the subquery returns none
// (its columns are then NULL). With no conditions the join is ON TRUE.
func (q SelectQuery) LeftJoinLateral(t TableLike, on ...Predicate) SelectQuery {
	return q.joinLateral("LEFT JOIN", t, on)
}

// CrossJoinLateral adds CROSS JOIN LATERAL (subquery) AS alias.
func (q SelectQuery) CrossJoinLateral(t TableLike) SelectQuery {
	return q.joinLateral("CROSS JOIN", t, nil)
}

func (q SelectQuery) joinLateral(kind string, t TableLike, on []Predicate) SelectQuery {
	q.joins = append(clip(q.joins), joinClause{kind: kind, table: t, on: on, lateral: true})
	return q
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
	if j.lateral && !lateralOK(r, ti) {
		return
	}
	ti.appendFrom(r)
	if ti == nil {
		return
	}
	if j.kind == "CROSS JOIN" {
		return
	}
	on := j.on
	if len(on) == 0 && j.lateral {
		on = []Predicate{{op: pConst, v: true}}
	}
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

// lateralOK writes LATERAL before a derived table, or fails the rendering
// where the dialect has none or ti is not a subquery.
func lateralOK(r *renderer, ti *tableInfo) bool {
	if !r.d.Lateral() {
		r.unsupported("JOIN LATERAL")
		return false
	}
	if ti != nil {
		if _, ok := ti.src.(derivedSrc); !ok {
			r.fail("wren: JOIN LATERAL of %s, which is not a subquery: make it with wren.Derived", ti.ref())
			return false
		}
	}
	r.buf = append(r.buf, "LATERAL "...)
	return true
}

// JoinLateral adds JOIN LATERAL (see SelectQuery.JoinLateral).
func (s TypedSelect[R]) JoinLateral(t TableLike, on ...Predicate) TypedSelect[R] {
	return TypedSelect[R]{s.q.JoinLateral(t, on...)}
}

// LeftJoinLateral adds LEFT JOIN LATERAL (see SelectQuery.LeftJoinLateral).
func (s TypedSelect[R]) LeftJoinLateral(t TableLike, on ...Predicate) TypedSelect[R] {
	return TypedSelect[R]{s.q.LeftJoinLateral(t, on...)}
}

// CrossJoinLateral adds CROSS JOIN LATERAL.
func (s TypedSelect[R]) CrossJoinLateral(t TableLike) TypedSelect[R] {
	return TypedSelect[R]{s.q.CrossJoinLateral(t)}
}
