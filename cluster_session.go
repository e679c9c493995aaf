package wren

import (
	"context"
	"strings"
	"sync"
	"time"

	"github.com/wrensql/wren/dialect"
)

// Session is a Querier on a Cluster that reads its own writes: after a
// statement or transaction through the session wrote, its reads see that
// write, by the means SessionOptions choose. Make one per unit of work (a
// request, a job); it is safe for concurrent use.
type Session struct {
	c      *Cluster
	o      SessionOptions
	mu     sync.Mutex
	writes uint64    // writes made through the session
	last   time.Time // when the last one ended; zero: none yet
	posOf  uint64    // the value of writes that need was read after
	need   uint64    // the primary's WAL position the reads must see
}

// SessionOptions choose how a Session's reads see its writes. With both
// zero, every read after the session's first write goes to the primary.
type SessionOptions struct {
	// Stick sends reads to the primary for this long after each write, and
	// to the replicas again after that: enough when replicas lag less than
	// Stick.
	Stick time.Duration
	// WaitReplay, on PostgreSQL, sends a read after a write to a replica
	// that has replayed the primary's WAL up to the write, waiting up to
	// WaitReplay for one to get there, and to the primary when none does.
	// The first read after a write asks the primary for its WAL position
	// (one round trip). On MySQL/MariaDB, which have no such position,
	// WaitReplay acts as Stick.
	WaitReplay time.Duration
}

// Session starts a read-your-writes session on the cluster.
func (c *Cluster) Session(o SessionOptions) *Session { return &Session{c: c, o: o} }

// Dialect returns the dialect statements are rendered for.
func (s *Session) Dialect() *dialect.Dialect { return s.c.d }

func (s *Session) conn() conn { return clusterConn{c: s.c, s: s} }

// Begin starts a transaction on the primary; once it commits, the
// session's reads see what it wrote (unless it is ReadOnly).
func (s *Session) Begin(ctx context.Context, opts ...TxOptions) (*Tx, error) {
	tx, err := s.c.Begin(ctx, opts...)
	if err == nil && (len(opts) == 0 || !opts[0].ReadOnly) {
		tx.root.afterCommit = s.wrote
	}
	return tx, err
}

// Atomic runs fn in a transaction on the primary, as DB.Atomic does.
func (s *Session) Atomic(ctx context.Context, fn func(tx *Tx) error, opts ...TxOptions) error {
	return retryAtomic(ctx, s.Begin, fn, opts)
}

func (s *Session) wrote() {
	s.mu.Lock()
	s.writes++
	s.last = time.Now()
	s.mu.Unlock()
}

// replicaFor picks the replica for a read of the session, or says that the
// primary must answer it.
func (s *Session) replicaFor(ctx context.Context) (m *member, primary bool) {
	s.mu.Lock()
	writes, last, posOf, need := s.writes, s.last, s.posOf, s.need
	s.mu.Unlock()
	c := s.c
	if writes == 0 {
		return c.replica(0), false
	}
	stick := s.o.Stick
	if s.o.WaitReplay > 0 {
		if posSQL := c.d.WritePositionSQL(); posSQL != "" {
			if posOf != writes {
				var text string
				err := c.onPrimary(ctx, func(db *DB) (err error) {
					text, err = One[string](ctx, db, RawStmt(posSQL))
					return err
				})
				lsn, ok := parseLSN(text)
				if err != nil || !ok {
					return nil, true
				}
				need = pageStart(lsn)
				s.mu.Lock()
				s.need = max(s.need, need)
				s.posOf = max(s.posOf, writes)
				s.mu.Unlock()
			}
			m := c.awaitReplica(ctx, need, s.o.WaitReplay)
			return m, m == nil
		}
		stick = s.o.WaitReplay
	}
	if stick > 0 && time.Since(last) >= stick {
		return c.replica(0), false
	}
	return nil, true
}

// PostgreSQL's WAL pages are 8 kB, each with a header of 24 bytes, 40 on
// the first page of a 16 MB segment (the defaults). An insert position just
// after a page header says no more than the page boundary before it, which
// is where a standby's replayed position stops when the last record ended
// the previous page.
const (
	walPage    = 8192
	walSegment = 16 << 20
)

func pageStart(lsn uint64) uint64 {
	switch off := lsn % walPage; {
	case off == 24, off == 40 && lsn%walSegment == 40:
		return lsn - off
	}
	return lsn
}

// awaitReplica returns a replica that has replayed the primary's WAL up to
// need, asking the replicas their position until one has or wait has
// passed; nil then.
func (c *Cluster) awaitReplica(ctx context.Context, need uint64, wait time.Duration) *member {
	if m := c.replica(need); m != nil {
		return m
	}
	deadline := time.Now().Add(wait)
	delay := 500 * time.Microsecond
	for {
		asked := 0
		for _, m := range c.replicas {
			if !c.healthy(m, 0) {
				continue
			}
			asked++
			text, err := One[string](ctx, m.db, RawStmt(c.d.ReplayedSQL()))
			if err != nil {
				continue
			}
			if lsn, ok := parseLSN(text); ok {
				m.replayed.Store(lsn)
				if lsn >= need {
					return m
				}
			}
		}
		left := time.Until(deadline)
		if asked == 0 || left <= 0 || ctx.Err() != nil {
			return nil
		}
		t := time.NewTimer(min(delay, left))
		select {
		case <-ctx.Done():
			t.Stop()
			return nil
		case <-t.C:
		}
		delay = min(2*delay, 20*time.Millisecond)
	}
}

// readOnlySQL reports whether a statement only reads, so that a replica may
// run it: its first word is SELECT, WITH, VALUES, TABLE or SHOW, and no
// word outside quotes and comments writes, locks or touches session state
// (INSERT, UPDATE, DELETE, MERGE, INTO, FOR UPDATE/SHARE, LOCK IN SHARE
// MODE, sequence and advisory-lock functions, …). What it cannot read for
// sure (a dollar-quoted string, a backslash in a string literal, an
// unterminated comment) counts as a write: the primary runs it.
func readOnlySQL(text string) bool {
	first := true
	for i := 0; i < len(text); {
		ch := text[i]
		switch {
		case ch == '-' && i+1 < len(text) && text[i+1] == '-':
			for i < len(text) && text[i] != '\n' {
				i++
			}
		case ch == '/' && i+1 < len(text) && text[i+1] == '*':
			end := strings.Index(text[i+2:], "*/")
			if end < 0 {
				return false
			}
			i += 2 + end + 2
		case ch == '\'' || ch == '"' || ch == '`':
			j := i + 1
			for {
				if j >= len(text) {
					return false
				}
				if text[j] == '\\' && ch == '\'' {
					return false
				}
				if text[j] == ch {
					if j+1 < len(text) && text[j+1] == ch {
						j += 2
						continue
					}
					break
				}
				j++
			}
			i = j + 1
		case ch == '$':
			if i+1 >= len(text) || text[i+1] < '0' || text[i+1] > '9' {
				return false // a dollar-quoted string
			}
			i++
		case ch == '_' || ch|0x20 >= 'a' && ch|0x20 <= 'z':
			j := i
			for j < len(text) && (text[j] == '_' || text[j] == '$' || text[j]|0x20 >= 'a' && text[j]|0x20 <= 'z' || text[j] >= '0' && text[j] <= '9') {
				j++
			}
			word := text[i:j]
			if first {
				if !oneOfFold(word, "SELECT", "WITH", "VALUES", "TABLE", "SHOW") {
					return false
				}
				first = false
			} else if writesWord(word) {
				return false
			}
			i = j
		case ch >= '0' && ch <= '9':
			for i < len(text) && (text[i] == '.' || text[i] == '_' || text[i]|0x20 >= 'a' && text[i]|0x20 <= 'z' || text[i] >= '0' && text[i] <= '9') {
				i++
			}
		default:
			i++
		}
	}
	return !first
}

// writesWord reports whether an unquoted word makes a statement more than a
// read.
func writesWord(w string) bool {
	if len(w) < 4 || len(w) > 40 {
		return false
	}
	if containsFold(w, "ADVISORY") {
		return true // pg_advisory_lock and its kin
	}
	return oneOfFold(w, "INSERT", "UPDATE", "DELETE", "MERGE", "INTO", "SHARE", "LOCK",
		"NEXTVAL", "SETVAL", "CURRVAL", "LASTVAL", "LAST_INSERT_ID", "GET_LOCK", "RELEASE_LOCK",
		"RELEASE_ALL_LOCKS", "SET_CONFIG", "TXID_CURRENT", "PG_CURRENT_XACT_ID", "PG_NOTIFY")
}

func oneOfFold(w string, list ...string) bool {
	for _, s := range list {
		if len(s) == len(w) && equalFoldASCII(w, s) {
			return true
		}
	}
	return false
}

func equalFoldASCII(a, upper string) bool {
	for i := 0; i < len(a); i++ {
		c := a[i]
		if c >= 'a' && c <= 'z' {
			c -= 'a' - 'A'
		}
		if c != upper[i] {
			return false
		}
	}
	return true
}

func containsFold(w, upper string) bool {
	for i := 0; i+len(upper) <= len(w); i++ {
		if equalFoldASCII(w[i:i+len(upper)], upper) {
			return true
		}
	}
	return false
}
