package wren

// lockClause is SELECT's FOR UPDATE / FOR SHARE.
type lockClause struct {
	mode string // "", "UPDATE", "NO KEY UPDATE", "SHARE"
	wait string // "", " NOWAIT", " SKIP LOCKED"
	of   []TableLike
}

// ForUpdate locks the selected rows for update until the transaction ends
// (SELECT … FOR UPDATE). SQLite has no row locks: rendering for it fails with
// ErrUnsupported.
func (q SelectQuery) ForUpdate() SelectQuery { q.edit().lock.mode = "UPDATE"; return q }

// ForNoKeyUpdate takes PostgreSQL's weaker lock for update
// (SELECT … FOR NO KEY UPDATE): it blocks other updates and deletes of the
// rows, but not inserts of rows whose foreign keys refer to them. Other
// dialects have no such lock, and rendering fails with ErrUnsupported.
func (q SelectQuery) ForNoKeyUpdate() SelectQuery { q.edit().lock.mode = "NO KEY UPDATE"; return q }

// ForShare locks the selected rows against updates by others
// (FOR SHARE on PostgreSQL, LOCK IN SHARE MODE semantics on MySQL/MariaDB).
func (q SelectQuery) ForShare() SelectQuery { q.edit().lock.mode = "SHARE"; return q }

// Of limits a row lock to the rows of the given tables of the query (their
// aliases, for aliased tables): SELECT … FOR UPDATE OF t. PostgreSQL and
// MySQL 8 have it; MariaDB does not, and rendering fails with
// ErrUnsupported. A table that is not in FROM or a join is an error.
func (q SelectQuery) Of(tables ...TableLike) SelectQuery {
	m := q.edit()
	m.lock.of = append(clip(m.lock.of), tables...)
	return q
}

// NoWait makes a row lock fail at once instead of waiting for other
// transactions.
func (q SelectQuery) NoWait() SelectQuery { q.edit().lock.wait = " NOWAIT"; return q }

// SkipLocked makes a row lock skip rows other transactions hold.
func (q SelectQuery) SkipLocked() SelectQuery { q.edit().lock.wait = " SKIP LOCKED"; return q }

func (l lockClause) appendLock(r *renderer) {
	if l.mode == "" {
		switch {
		case l.wait != "":
			r.fail("wren:%s without ForUpdate or ForShare", l.wait)
		case len(l.of) > 0:
			r.fail("wren: Of without ForUpdate, ForNoKeyUpdate or ForShare")
		}
		return
	}
	if !r.d.RowLocks() {
		r.unsupported("SELECT … FOR " + l.mode)
		return
	}
	if len(l.of) > 0 && !r.d.LockOf() {
		r.unsupported("SELECT … FOR " + l.mode + " OF (a lock limited to some tables of the query)")
		return
	}
	switch l.mode {
	case "SHARE":
		r.buf = append(r.buf, ' ')
		r.buf = append(r.buf, r.d.ShareLock()...)
	case "NO KEY UPDATE":
		if !r.d.NoKeyUpdateLock() {
			r.unsupported("SELECT … FOR NO KEY UPDATE (ForUpdate takes the stronger lock everywhere)")
			return
		}
		r.buf = append(r.buf, " FOR NO KEY UPDATE"...)
	default:
		r.buf = append(r.buf, " FOR UPDATE"...)
	}
	if len(l.of) > 0 {
		r.buf = append(r.buf, " OF "...)
		for i, t := range l.of {
			ti := infoOf(t)
			if ti == nil || !r.inScope(ti) {
				name := "a nil table descriptor"
				if ti != nil {
					name = "table " + ti.ref()
				}
				r.fail("wren: FOR %s OF names %s, which is not in FROM or a JOIN of the query", l.mode, name)
				return
			}
			if i > 0 {
				r.buf = append(r.buf, ", "...)
			}
			r.tableRef(ti)
		}
	}
	r.buf = append(r.buf, l.wait...)
}
