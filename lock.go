package wren

// lockClause is SELECT's FOR UPDATE / FOR SHARE.
type lockClause struct {
	mode string // "", "UPDATE", "SHARE"
	wait string // "", " NOWAIT", " SKIP LOCKED"
}

// ForUpdate locks the selected rows for update until the transaction ends
// (SELECT … FOR UPDATE). SQLite has no row locks: rendering for it fails with
// ErrUnsupported.
func (q SelectQuery) ForUpdate() SelectQuery { q.lock.mode = "UPDATE"; return q }

// ForShare locks the selected rows against updates by others
// (FOR SHARE on PostgreSQL, LOCK IN SHARE MODE semantics on MySQL/MariaDB).
func (q SelectQuery) ForShare() SelectQuery { q.lock.mode = "SHARE"; return q }

// NoWait makes a row lock fail at once instead of waiting for other
// transactions.
func (q SelectQuery) NoWait() SelectQuery { q.lock.wait = " NOWAIT"; return q }

// SkipLocked makes a row lock skip rows other transactions hold.
func (q SelectQuery) SkipLocked() SelectQuery { q.lock.wait = " SKIP LOCKED"; return q }

func (l lockClause) appendLock(r *renderer) {
	if l.mode == "" {
		if l.wait != "" {
			r.fail("wren:%s without ForUpdate or ForShare", l.wait)
		}
		return
	}
	if !r.d.RowLocks() {
		r.unsupported("SELECT … FOR " + l.mode)
		return
	}
	if l.mode == "SHARE" {
		r.buf = append(r.buf, ' ')
		r.buf = append(r.buf, r.d.ShareLock()...)
	} else {
		r.buf = append(r.buf, " FOR UPDATE"...)
	}
	r.buf = append(r.buf, l.wait...)
}
