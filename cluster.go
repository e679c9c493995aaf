package wren

import (
	"context"
	"database/sql/driver"
	"errors"
	"fmt"
	"io"
	"net"
	"strconv"
	"strings"
	"sync"
	satomic "sync/atomic"
	"time"

	"github.com/go-sql-driver/mysql"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/wrensql/wren/dialect"
)

// Cluster is a Querier over several servers of one database: a primary that
// takes the writes, replicas that serve reads (PostgreSQL hot standbys,
// MySQL/MariaDB replicas), and, optionally, other servers writes may move to
// when the primary stops answering (the other nodes of a MariaDB Galera
// cluster, where every node takes writes). Every query helper runs on it
// as on a DB:
//
//   - A statement that only reads (a SELECT without FOR UPDATE/SHARE,
//     INTO, or a function known to write or lock; see docs/scaling.md)
//     goes to a replica, round-robin or to the least busy one, skipping
//     replicas that are down or lag by more than ClusterOptions.MaxLag.
//     With no replica fit to answer, the primary answers.
//   - Every other statement, and every transaction (Begin, Atomic), goes
//     to the primary. A write never goes to a replica, so it never fails
//     with a hot standby's "read-only transaction" (SQLSTATE 25006).
//   - OnPrimary(ctx) sends a call's reads to the primary too.
//   - Session gives read-your-writes: after a write through the session,
//     its reads see that write.
//
// A background check (every ClusterOptions.CheckInterval) asks each server
// whether it answers, whether it takes writes, and how far a replica is
// behind; a server that fails a call with a broken connection is skipped at
// once, and comes back when a check finds it healthy. A statement moves to
// another server only when it provably did not run (the connection could
// not be made, the server refused it as read-only or as not ready), or
// when it only reads.
//
// Hooks, statement caches and pools belong to the member DBs: a Cluster
// runs each statement through the DB it chose.
type Cluster struct {
	d         *dialect.Dialect
	stateSQL  string
	primaries []*member // the primary, then the failover servers in order
	replicas  []*member
	maxLag    time.Duration
	interval  time.Duration
	balance   Balance
	cur       satomic.Int32  // index in primaries of the server writes go to
	next      satomic.Uint32 // round-robin position
	mu        sync.Mutex     // guards samples
	samples   []walSample    // the primary's WAL positions, oldest first
	stop      chan struct{}
	done      chan struct{}
	closeOnce sync.Once
}

// Balance is how a Cluster spreads reads over healthy replicas.
type Balance int

const (
	// RoundRobin sends each read to the next healthy replica in turn.
	RoundRobin Balance = iota
	// LeastBusy sends each read to the healthy replica running the fewest
	// of this Cluster's statements (rows not yet closed count as running).
	LeastBusy
)

// ClusterOptions are the servers of a Cluster besides its primary, and how
// it checks and uses them.
type ClusterOptions struct {
	// Replicas serve reads. They must be copies of the primary's database.
	Replicas []*DB
	// Failover servers take the writes, in order, when the primary does
	// not answer or no longer takes writes: the other nodes of a Galera
	// cluster, or a PostgreSQL standby that will be promoted. A server
	// that does not take writes (a standby not yet promoted, a Galera
	// node that is not Synced) is never written to.
	Failover []*DB
	// MaxLag is how far a replica may be behind the primary and still
	// serve reads. 0 means 5 s; a negative value means no bound. Lag is
	// measured on PostgreSQL (the primary's WAL position against the
	// standby's replayed position, timed by the checks); MySQL/MariaDB
	// replicas are only checked for being up (and Synced, on Galera).
	MaxLag time.Duration
	// CheckInterval is how often the servers are checked; 0 means 500 ms.
	CheckInterval time.Duration
	// Balance is how reads are spread over the replicas.
	Balance Balance
}

// member is one server of a cluster and what the checks know of it.
type member struct {
	db       *DB
	role     string // "primary", "failover 1", "replica 2"
	up       satomic.Bool
	writable satomic.Bool
	lag      satomic.Int64  // nanoseconds
	replayed satomic.Uint64 // PostgreSQL standby: the WAL position replayed
	busy     satomic.Int64  // statements running (LeastBusy)
	mu       sync.Mutex
	err      error // why it is down
}

// walSample is the primary's WAL position at a time.
type walSample struct {
	at  time.Time
	lsn uint64
}

// NewCluster makes a Cluster over primary and the servers in o, checks
// each of them once, and keeps checking them until Close. Every server
// must have the dialect of the primary. A server that does not answer yet
// is not an error: it is skipped until it does.
func NewCluster(ctx context.Context, primary *DB, o ClusterOptions) (*Cluster, error) {
	if primary == nil {
		return nil, errors.New("wren: NewCluster: the primary is nil")
	}
	d := primary.Dialect()
	stateSQL, err := d.NodeStateSQL()
	if err != nil {
		return nil, fmt.Errorf("wren: NewCluster: %w", err)
	}
	c := &Cluster{d: d, stateSQL: stateSQL, maxLag: o.MaxLag, interval: o.CheckInterval, balance: o.Balance,
		stop: make(chan struct{}), done: make(chan struct{})}
	if c.maxLag == 0 {
		c.maxLag = 5 * time.Second
	}
	if c.interval <= 0 {
		c.interval = 500 * time.Millisecond
	}
	add := func(list []*member, db *DB, role string) ([]*member, error) {
		if db == nil {
			return nil, fmt.Errorf("wren: NewCluster: %s is nil", role)
		}
		if db.Dialect() != d {
			return nil, fmt.Errorf("wren: NewCluster: %s is %s, the primary %s", role, db.Dialect(), d)
		}
		return append(list, &member{db: db, role: role}), nil
	}
	if c.primaries, err = add(nil, primary, "primary"); err != nil {
		return nil, err
	}
	for i, db := range o.Failover {
		if c.primaries, err = add(c.primaries, db, "failover "+strconv.Itoa(i+1)); err != nil {
			return nil, err
		}
	}
	for i, db := range o.Replicas {
		if c.replicas, err = add(c.replicas, db, "replica "+strconv.Itoa(i+1)); err != nil {
			return nil, err
		}
	}
	c.check(ctx)
	go c.loop()
	return c, nil
}

// Dialect returns the dialect statements are rendered for.
func (c *Cluster) Dialect() *dialect.Dialect { return c.d }

func (c *Cluster) conn() conn { return clusterConn{c: c} }

// Primary returns the server writes go to now.
func (c *Cluster) Primary() *DB { return c.primaries[c.cur.Load()].db }

// Close stops the checks and closes every DB of the cluster.
func (c *Cluster) Close() error {
	c.closeOnce.Do(func() { close(c.stop) })
	<-c.done
	var errs []error
	closed := map[*DB]bool{}
	for _, m := range append(append([]*member(nil), c.primaries...), c.replicas...) {
		if !closed[m.db] { // a standby may be a replica and a failover server
			closed[m.db] = true
			errs = append(errs, m.db.Close())
		}
	}
	return errors.Join(errs...)
}

// Begin starts a transaction on the primary (see DB.Begin). When the
// primary cannot be reached, it starts on the next failover server that
// takes writes.
func (c *Cluster) Begin(ctx context.Context, opts ...TxOptions) (*Tx, error) {
	var tx *Tx
	err := c.onPrimary(ctx, func(db *DB) (err error) {
		tx, err = db.Begin(ctx, opts...)
		return err
	})
	return tx, err
}

// Atomic runs fn in a transaction on the primary, as DB.Atomic does; each
// attempt begins on the server that takes the writes at that moment.
func (c *Cluster) Atomic(ctx context.Context, fn func(tx *Tx) error, opts ...TxOptions) error {
	return retryAtomic(ctx, c.Begin, fn, opts)
}

// MemberStatus is what the checks know of one server of a Cluster.
type MemberStatus struct {
	Role     string        // "primary", "failover N" or "replica N"
	DB       *DB           // the server's handle
	Up       bool          // it answers and is ready
	Writable bool          // it takes writes
	Current  bool          // writes go to it now
	Lag      time.Duration // how far a PostgreSQL standby is behind
	Err      error         // why it is down
}

// Status reports each server of the cluster: the primary and failover
// servers first, then the replicas.
func (c *Cluster) Status() []MemberStatus {
	var out []MemberStatus
	cur := c.cur.Load()
	for i, m := range append(append([]*member(nil), c.primaries...), c.replicas...) {
		m.mu.Lock()
		err := m.err
		m.mu.Unlock()
		out = append(out, MemberStatus{Role: m.role, DB: m.db, Up: m.up.Load(), Writable: m.writable.Load(),
			Current: i == int(cur), Lag: time.Duration(m.lag.Load()), Err: err})
	}
	return out
}

// Check asks every server of the cluster for its state now, rather than
// at the next periodic check.
func (c *Cluster) Check(ctx context.Context) { c.check(ctx) }

func (c *Cluster) loop() {
	defer close(c.done)
	t := time.NewTicker(c.interval)
	defer t.Stop()
	for {
		select {
		case <-c.stop:
			return
		case <-t.C:
			ctx, cancel := context.WithTimeout(context.Background(), max(c.interval, time.Second))
			c.check(ctx)
			cancel()
		}
	}
}

// nodeState is a row of dialect.NodeStateSQL.
type nodeState struct {
	Writable int64
	Ready    int64
	LSN      string
}

func (c *Cluster) state(ctx context.Context, m *member) (nodeState, error) {
	s, err := One[nodeState](ctx, m.db, RawStmt(c.stateSQL))
	if err == nil && s.Ready != 1 {
		err = fmt.Errorf("wren: %s is not ready (a Galera node that is not Synced)", m.role)
	}
	return s, err
}

func (c *Cluster) check(ctx context.Context) {
	for i, m := range c.primaries {
		s, err := c.state(ctx, m)
		m.set(err)
		m.writable.Store(err == nil && s.Writable == 1)
		if err == nil && s.Writable == 1 && i == int(c.cur.Load()) && s.LSN != "" {
			if lsn, ok := parseLSN(s.LSN); ok {
				c.sample(lsn)
			}
		}
	}
	c.pickPrimary()
	for _, m := range c.replicas {
		s, err := c.state(ctx, m)
		m.set(err)
		if err == nil && s.LSN != "" {
			if lsn, ok := parseLSN(s.LSN); ok {
				m.replayed.Store(lsn)
				m.lag.Store(int64(c.lagOf(lsn)))
			}
		}
	}
}

func (m *member) set(err error) {
	m.mu.Lock()
	m.err = err
	m.mu.Unlock()
	m.up.Store(err == nil)
}

// pickPrimary keeps writes on the current server while it is up and takes
// writes, and otherwise moves them to the first server in order that does.
func (c *Cluster) pickPrimary() {
	cur := int(c.cur.Load())
	if m := c.primaries[cur]; m.up.Load() && m.writable.Load() {
		return
	}
	for i, m := range c.primaries {
		if m.up.Load() && m.writable.Load() {
			c.cur.CompareAndSwap(int32(cur), int32(i))
			return
		}
	}
}

// sample records the primary's WAL position, keeping about 2·MaxLag of
// history (at most 512 samples).
func (c *Cluster) sample(lsn uint64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	now := time.Now()
	c.samples = append(c.samples, walSample{now, lsn})
	keep := max(c.maxLag, 10*c.interval) * 2
	drop := 0
	for drop < len(c.samples)-1 && now.Sub(c.samples[drop].at) > keep {
		drop++
	}
	if n := len(c.samples) - 512; n > drop {
		drop = n
	}
	c.samples = append(c.samples[:0], c.samples[drop:]...)
}

// lagOf is how long ago the primary first had WAL beyond replayed: 0 when
// the replica has everything the primary had at the last check.
func (c *Cluster) lagOf(replayed uint64) time.Duration {
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, s := range c.samples {
		if s.lsn > replayed {
			return time.Since(s.at)
		}
	}
	return 0
}

// parseLSN parses PostgreSQL's text form of a WAL position, "16/B374D848".
func parseLSN(s string) (uint64, bool) {
	hi, lo, ok := strings.Cut(s, "/")
	if !ok {
		return 0, false
	}
	h, err1 := strconv.ParseUint(hi, 16, 32)
	l, err2 := strconv.ParseUint(lo, 16, 32)
	return h<<32 | l, err1 == nil && err2 == nil
}

// healthy reports whether m may serve a read that needs WAL position need
// (0: any).
func (c *Cluster) healthy(m *member, need uint64) bool {
	if !m.up.Load() || (c.maxLag > 0 && time.Duration(m.lag.Load()) > c.maxLag) {
		return false
	}
	return need == 0 || m.replayed.Load() >= need
}

// replica picks a replica for a read, or nil when none is fit.
func (c *Cluster) replica(need uint64) *member {
	n := len(c.replicas)
	if n == 0 {
		return nil
	}
	if c.balance == LeastBusy {
		var best *member
		for _, m := range c.replicas {
			if c.healthy(m, need) && (best == nil || m.busy.Load() < best.busy.Load()) {
				best = m
			}
		}
		return best
	}
	start := int(c.next.Add(1))
	for i := range n {
		if m := c.replicas[(start+i)%n]; c.healthy(m, need) {
			return m
		}
	}
	return nil
}

// onPrimary runs fn on the server that takes writes. When the server
// provably did not run the statement (no connection could be made, it
// refused it as read-only or not ready), the next server that takes writes
// gets it; a server whose connection broke is skipped from then on.
func (c *Cluster) onPrimary(ctx context.Context, fn func(db *DB) error) error {
	var errs []error
	for range c.primaries {
		i := c.cur.Load()
		m := c.primaries[i]
		if m.up.Load() && !m.writable.Load() {
			// The checks found it answering but read-only (a hot standby, a
			// server with read_only on): a write there would only fail.
			errs = append(errs, fmt.Errorf("%s does not take writes (a standby, or read_only)", m.role))
			break
		}
		err := fn(m.db)
		if err == nil {
			return nil
		}
		if ctx.Err() != nil || (!connFailed(err) && !refused(err)) {
			return err
		}
		m.set(err)
		m.writable.Store(false)
		c.pickPrimary()
		errs = append(errs, fmt.Errorf("%s: %w", m.role, err))
		if !notRun(err) || ctx.Err() != nil || c.cur.Load() == i {
			break
		}
	}
	if len(errs) == 1 && errors.Unwrap(errs[0]) != nil {
		return errors.Unwrap(errs[0])
	}
	return fmt.Errorf("wren: no server of the cluster took the statement: %w", errors.Join(errs...))
}

// connFailed reports whether err means the connection to the server broke
// or could not be made.
func connFailed(err error) bool {
	var ce *pgconn.ConnectError
	var ne net.Error
	var pe *pgconn.PgError
	var me *mysql.MySQLError
	switch {
	case errors.As(err, &ce), errors.As(err, &ne),
		errors.Is(err, driver.ErrBadConn), errors.Is(err, mysql.ErrInvalidConn),
		errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		return true
	case errors.As(err, &pe):
		// 08: connection exception; 57P: the server is shutting down.
		return strings.HasPrefix(pe.Code, "08") || strings.HasPrefix(pe.Code, "57P")
	case errors.As(err, &me):
		// 1053 server shutdown, 1927 connection killed.
		return me.Number == 1053 || me.Number == 1927
	}
	return err != nil && strings.Contains(err.Error(), "conn closed")
}

// refused reports whether the server refused the statement without running
// it because of its role: a hot standby or read-only server asked to write
// (PostgreSQL 25006; MySQL/MariaDB 1290 read_only, 1792 read-only
// transaction), a Galera node that is not ready (1047).
func refused(err error) bool {
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		return pe.Code == "25006"
	}
	var me *mysql.MySQLError
	return errors.As(err, &me) && (me.Number == 1290 || me.Number == 1792 || me.Number == 1047)
}

// notRun reports whether err proves the statement did not run: no
// connection could be made, or the server refused it.
func notRun(err error) bool {
	var ce *pgconn.ConnectError
	var oe *net.OpError
	return refused(err) || errors.As(err, &ce) || (errors.As(err, &oe) && oe.Op == "dial") || pgconn.SafeToRetry(err)
}

// onPrimaryKey marks a context whose reads go to the primary.
type onPrimaryKey struct{}

// OnPrimary returns a context under which a Cluster (or Session) sends
// reads to the primary as well: for a read that must see the latest
// committed data, or one that reads a temporary table or session state
// only the primary has.
func OnPrimary(ctx context.Context) context.Context {
	return context.WithValue(ctx, onPrimaryKey{}, true)
}

func forcedPrimary(ctx context.Context) bool { return ctx.Value(onPrimaryKey{}) != nil }

// clusterConn routes each statement of a Cluster, for a Session when s is
// set.
type clusterConn struct {
	c *Cluster
	s *Session
}

func (cc clusterConn) query(ctx context.Context, text string, args []any) (rows, error) {
	c := cc.c
	read := readOnlySQL(text)
	if read && !forcedPrimary(ctx) {
		if rs, ok, err := cc.onReplica(ctx, text, args); ok {
			return rs, err
		}
	}
	var rs rows
	err := c.onPrimary(ctx, func(db *DB) (err error) {
		rs, err = db.conn().query(ctx, text, args)
		return err
	})
	if err == nil && !read && cc.s != nil {
		cc.s.wrote()
	}
	return rs, err
}

// onReplica runs a read on a replica; ok is false when the primary must
// answer instead (no replica fit, or the chosen one failed to answer).
func (cc clusterConn) onReplica(ctx context.Context, text string, args []any) (rs rows, ok bool, err error) {
	c := cc.c
	var m *member
	if cc.s != nil {
		var primary bool
		m, primary = cc.s.replicaFor(ctx)
		if primary {
			return nil, false, nil
		}
	} else {
		m = c.replica(0)
	}
	if m == nil {
		return nil, false, nil
	}
	if c.balance == LeastBusy {
		m.busy.Add(1)
	}
	rs, err = m.db.conn().query(ctx, text, args)
	if err == nil {
		return &replicaRows{rows: rs, m: m, cc: cc, ctx: ctx, text: text, args: args}, true, nil
	}
	if c.balance == LeastBusy {
		m.busy.Add(-1)
	}
	if ctx.Err() != nil || (!connFailed(err) && !refused(err)) {
		return nil, true, err
	}
	if connFailed(err) {
		m.set(err)
	}
	// The statement only reads: running it again elsewhere repeats nothing.
	return nil, false, nil
}

func (cc clusterConn) exec(ctx context.Context, text string, args []any) (Result, error) {
	var res Result
	err := cc.c.onPrimary(ctx, func(db *DB) (err error) {
		res, err = db.conn().exec(ctx, text, args)
		return err
	})
	if err == nil && cc.s != nil {
		cc.s.wrote()
	}
	return res, err
}

// replicaRows are a replica's rows. A statement the classifier took for a
// read but that writes (a function that updates, say) is refused by a hot
// standby only once it runs, after its result's columns were sent: when
// the rows end with that refusal before any row was read, the primary runs
// the statement and its rows take over. They also count the statement as
// running on the replica until closed (LeastBusy).
type replicaRows struct {
	rows
	m      *member
	cc     clusterConn
	ctx    context.Context
	text   string
	args   []any
	read   bool // a row was read
	closed bool
}

func (r *replicaRows) Next() bool {
	if r.rows.Next() {
		r.read = true
		return true
	}
	if err := r.rows.Err(); !r.read && !r.closed && refused(err) && r.ctx.Err() == nil {
		r.release()
		var rs rows
		if perr := r.cc.c.onPrimary(r.ctx, func(db *DB) (err error) {
			rs, err = db.conn().query(r.ctx, r.text, r.args)
			return err
		}); perr != nil {
			r.rows = errRows{r.rows, perr}
			return false
		}
		if r.cc.s != nil {
			r.cc.s.wrote()
		}
		r.rows = rs
		return r.Next()
	}
	return false
}

func (r *replicaRows) release() {
	if !r.closed {
		r.closed = true
		r.rows.Close()
		if r.cc.c.balance == LeastBusy {
			r.m.busy.Add(-1)
		}
	}
}

func (r *replicaRows) Close() error {
	if !r.closed {
		r.closed = true
		if r.cc.c.balance == LeastBusy {
			r.m.busy.Add(-1)
		}
	}
	return r.rows.Close()
}

// errRows are closed rows that report err.
type errRows struct {
	rows
	err error
}

func (r errRows) Next() bool   { return false }
func (r errRows) Err() error   { return r.err }
func (r errRows) Close() error { return nil }
