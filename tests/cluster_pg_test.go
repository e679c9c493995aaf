package tests

// Read/write routing (wren.Cluster) on a real PostgreSQL primary and hot
// standby: .ci/pg-replica.sh starts them and sets WREN_PG_PRIMARY_DSN and
// WREN_PG_STANDBY_DSN. Each test works in a schema of its own, made on the
// primary and waited for on the standby.

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/url"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/wrensql/wren"
)

// ClusterItemTable is the table the cluster tests write.
type ClusterItemTable struct {
	wren.Table
	ID   wren.Column[int64]  `wren:",pk"`
	Name wren.Column[string] `wren:",unique"`
	N    wren.Column[int64]
}

// ClusterItem is a row of ClusterItems.
type ClusterItem struct {
	ID   int64
	Name string
	N    int64
}

// ClusterItems is the cluster tests' table.
var ClusterItems = wren.NewTable[ClusterItemTable]("cluster_items")

// pgPair is a primary and a standby, with a schema of the test's own.
type pgPair struct {
	primaryDSN, standbyDSN string // with search_path set to the schema
	admin                  *pgxpool.Pool
	schema                 string
}

func openPGPair(t *testing.T) *pgPair {
	t.Helper()
	ctx := ctxT(t)
	pdsn := needServer(t, "WREN_PG_PRIMARY_DSN", "PostgreSQL primary + standby (bash .ci/pg-replica.sh)")
	sdsn := needServer(t, "WREN_PG_STANDBY_DSN", "PostgreSQL primary + standby (bash .ci/pg-replica.sh)")
	admin, err := pgxpool.New(ctx, pdsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(admin.Close)
	p := &pgPair{admin: admin, schema: randName()}
	if _, err := admin.Exec(ctx, "CREATE SCHEMA "+p.schema); err != nil {
		t.Fatalf("the primary at WREN_PG_PRIMARY_DSN: %v", err)
	}
	t.Cleanup(func() { admin.Exec(context.Background(), "DROP SCHEMA "+p.schema+" CASCADE") })
	with := func(dsn string) string {
		u, err := url.Parse(dsn)
		if err != nil {
			t.Fatal(err)
		}
		q := u.Query()
		q.Set("search_path", p.schema)
		q.Set("pool_max_conns", "4")
		u.RawQuery = q.Encode()
		return u.String()
	}
	p.primaryDSN, p.standbyDSN = with(pdsn), with(sdsn)
	return p
}

func openPG(t *testing.T, dsn string) *wren.DB {
	t.Helper()
	db, err := wren.Open(ctxT(t), "postgres", dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// newCluster makes a cluster that checks its servers every 50 ms.
func newCluster(t *testing.T, primary *wren.DB, o wren.ClusterOptions) *wren.Cluster {
	t.Helper()
	if o.CheckInterval == 0 {
		o.CheckInterval = 50 * time.Millisecond
	}
	c, err := wren.NewCluster(ctxT(t), primary, o)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

// onStandby reports whether q's reads run on a server in recovery.
func onStandby(t *testing.T, ctx context.Context, q wren.Querier) bool {
	t.Helper()
	rec, err := wren.One[bool](ctx, q, wren.RawStmt("SELECT pg_is_in_recovery()"))
	if err != nil {
		t.Fatal(err)
	}
	return rec
}

// waitReplicated waits until the standby has the schema's table.
func waitReplicated(t *testing.T, standby *wren.DB, table string) {
	t.Helper()
	ctx := ctxT(t)
	for i := 0; ; i++ {
		n, err := wren.One[int64](ctx, standby, wren.RawStmt("SELECT count(*) FROM pg_tables WHERE schemaname = current_schema() AND tablename = ?", table))
		if err == nil && n == 1 {
			return
		}
		if i > 400 {
			t.Fatalf("table %s did not reach the standby in 10 s (%v)", table, err)
		}
		time.Sleep(25 * time.Millisecond)
	}
}

// TestClusterWritesNeverReachTheStandby runs every kind of write through
// a cluster whose replica is a hot standby: none may fail with SQLSTATE
// 25006, and plain reads run on the standby.
func TestClusterWritesNeverReachTheStandby(t *testing.T) {
	p := openPGPair(t)
	ctx := ctxT(t)
	primary, standby := openPG(t, p.primaryDSN), openPG(t, p.standbyDSN)
	c := newCluster(t, primary, wren.ClusterOptions{Replicas: []*wren.DB{standby}})

	no25006 := func(what string, err error) {
		t.Helper()
		var pe *pgconn.PgError
		if errors.As(err, &pe) && pe.Code == "25006" {
			t.Fatalf("%s reached the standby: %v", what, err)
		}
		if err != nil {
			t.Fatalf("%s: %v", what, err)
		}
	}
	_, err := wren.Exec(ctx, c, wren.CreateTable(ClusterItems))
	no25006("CREATE TABLE", err)
	waitReplicated(t, standby, "cluster_items")

	rows := []*ClusterItem{{Name: "a", N: 1}, {Name: "b", N: 2}, {Name: "c", N: 3}}
	no25006("Create", wren.Create(ctx, c, ClusterItems, rows...))
	if rows[0].ID == 0 || rows[2].ID <= rows[1].ID {
		t.Fatalf("Create's keys: %+v %+v %+v", rows[0], rows[1], rows[2])
	}
	ids, err := wren.All[int64](ctx, c, wren.Insert(ClusterItems).Set(wren.Set(ClusterItems.Name, "d"), wren.Set(ClusterItems.N, int64(4))).Returning(ClusterItems.ID))
	no25006("INSERT … RETURNING through All", err)
	if len(ids) != 1 {
		t.Fatalf("RETURNING gave %v", ids)
	}
	_, err = wren.Exec(ctx, c, wren.Update(ClusterItems).Set(wren.SetExpr(ClusterItems.N, ClusterItems.N.Add(10))).Where(ClusterItems.Name.Eq("a")))
	no25006("UPDATE", err)
	_, err = wren.Exec(ctx, c, wren.Insert(ClusterItems).Set(wren.Set(ClusterItems.Name, "a"), wren.Set(ClusterItems.N, int64(0))).
		OnConflict(ClusterItems.Name).DoUpdate([]wren.Assignment{wren.SetExpr(ClusterItems.N, ClusterItems.N.Add(100))}))
	no25006("upsert", err)
	_, err = wren.All[int64](ctx, c, wren.Delete(ClusterItems).Where(ClusterItems.Name.Eq("d")).Returning(ClusterItems.ID))
	no25006("DELETE … RETURNING", err)
	_, err = wren.All[ClusterItem](ctx, c, wren.Select(ClusterItems.ID, ClusterItems.Name, ClusterItems.N).From(ClusterItems).ForUpdate())
	no25006("SELECT … FOR UPDATE outside a transaction", err)
	_, err = wren.All[int64](ctx, c, wren.RawStmt(`WITH n AS (INSERT INTO cluster_items (name, n) VALUES ('e', 5) RETURNING id) SELECT id FROM n`))
	no25006("a CTE that inserts", err)
	_, err = wren.One[int64](ctx, c, wren.RawStmt(`SELECT nextval(pg_get_serial_sequence('cluster_items', 'id'))`))
	no25006("nextval", err)
	no25006("Atomic", c.Atomic(ctx, func(tx *wren.Tx) error {
		it, err := wren.One[ClusterItem](ctx, tx, wren.Select(ClusterItems.ID, ClusterItems.Name, ClusterItems.N).From(ClusterItems).
			Where(ClusterItems.Name.Eq("b")).ForUpdate())
		if err != nil {
			return err
		}
		_, err = wren.Exec(ctx, tx, wren.Update(ClusterItems).Set(wren.Set(ClusterItems.N, it.N+1)).Where(ClusterItems.ID.Eq(it.ID)))
		return err
	}))
	// A read the classifier cannot see through (a function that writes)
	// is refused by the standby and answered by the primary.
	_, err = p.admin.Exec(ctx, fmt.Sprintf(`CREATE FUNCTION %s.bump() RETURNS int LANGUAGE sql AS $$ UPDATE %[1]s.cluster_items SET n = n + 1 WHERE name = 'c' RETURNING n $$`, p.schema))
	if err != nil {
		t.Fatal(err)
	}
	waitFunc := func() {
		for range 400 {
			if n, _ := wren.One[int64](ctx, standby, wren.RawStmt("SELECT count(*) FROM pg_proc WHERE proname = 'bump'")); n > 0 {
				return
			}
			time.Sleep(25 * time.Millisecond)
		}
	}
	waitFunc()
	got, err := wren.One[int64](ctx, c, wren.RawStmt(`SELECT bump()`))
	no25006("SELECT of a function that writes", err)
	if got != 4 {
		t.Fatalf("bump() = %d, want 4", got)
	}

	if !onStandby(t, ctx, c) {
		t.Fatal("a plain read did not run on the standby")
	}
	if onStandby(t, wren.OnPrimary(ctx), c) {
		t.Fatal("OnPrimary: the read ran on the standby")
	}
	if onStandby(t, ctx, primary) {
		t.Fatal("the primary is in recovery")
	}
	tx, err := c.Begin(ctx, wren.TxOptions{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	if onStandby(t, ctx, tx) {
		t.Fatal("a transaction ran on the standby")
	}
	tx.Rollback(ctx)

	// The final values, read on the primary: every write took effect once.
	all, err := wren.All[ClusterItem](wren.OnPrimary(ctx), c, wren.Select(ClusterItems.ID, ClusterItems.Name, ClusterItems.N).From(ClusterItems).OrderBy(ClusterItems.Name))
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, it := range all {
		names = append(names, fmt.Sprintf("%s=%d", it.Name, it.N))
	}
	if want := []string{"a=111", "b=3", "c=4", "e=5"}; !slices.Equal(names, want) {
		t.Fatalf("rows %v, want %v", names, want)
	}
}

// TestClusterPrimaryThatIsAStandby: a cluster whose primary is in fact a
// standby sends it no write; the error says why.
func TestClusterPrimaryThatIsAStandby(t *testing.T) {
	p := openPGPair(t)
	ctx := ctxT(t)
	standby := openPG(t, p.standbyDSN)
	c := newCluster(t, standby, wren.ClusterOptions{})
	_, err := wren.Exec(ctx, c, wren.RawStmt("CREATE TABLE x (a int)"))
	var pe *pgconn.PgError
	if err == nil || errors.As(err, &pe) {
		t.Fatalf("a write with a standby as primary: %v (want wren's refusal, not the server's)", err)
	}
	t.Log(err)
}

// TestClusterReadYourWrites: a session's reads see its writes, on the
// standby when it has replayed them (WaitReplay), on the primary (zero
// options, Stick). It also measures the replication lag.
func TestClusterReadYourWrites(t *testing.T) {
	p := openPGPair(t)
	ctx := ctxT(t)
	primary, standby := openPG(t, p.primaryDSN), openPG(t, p.standbyDSN)
	c := newCluster(t, primary, wren.ClusterOptions{Replicas: []*wren.DB{standby}})
	if _, err := wren.Exec(ctx, c, wren.CreateTable(ClusterItems)); err != nil {
		t.Fatal(err)
	}
	waitReplicated(t, standby, "cluster_items")

	type seen struct {
		Rec bool
		N   int64
	}
	count := wren.RawStmt("SELECT pg_is_in_recovery() AS rec, count(*) AS n FROM cluster_items")

	// WaitReplay: every read right after a write sees it, on the standby.
	s := c.Session(wren.SessionOptions{WaitReplay: 2 * time.Second})
	onReplica := 0
	const writes = 40
	for i := 1; i <= writes; i++ {
		if err := wren.Create(ctx, s, ClusterItems, &ClusterItem{Name: fmt.Sprint("w", i), N: int64(i)}); err != nil {
			t.Fatal(err)
		}
		got, err := wren.One[seen](ctx, s, count)
		if err != nil {
			t.Fatal(err)
		}
		if got.N != int64(i) {
			t.Fatalf("read %d after its write saw %d rows (on standby: %v)", i, got.N, got.Rec)
		}
		if got.Rec {
			onReplica++
		}
	}
	if onReplica < writes*3/4 {
		t.Fatalf("only %d of %d reads after a write ran on the standby", onReplica, writes)
	}
	t.Logf("WaitReplay: %d of %d reads right after a write ran on the standby", onReplica, writes)

	// Zero options: after a write the session reads from the primary.
	s0 := c.Session(wren.SessionOptions{})
	if got, _ := wren.One[seen](ctx, s0, count); !got.Rec {
		t.Fatal("a session that has not written read from the primary")
	}
	if err := wren.Create(ctx, s0, ClusterItems, &ClusterItem{Name: "z0"}); err != nil {
		t.Fatal(err)
	}
	if got, _ := wren.One[seen](ctx, s0, count); got.Rec || got.N != writes+1 {
		t.Fatalf("after a write, zero options: %+v", got)
	}

	// Stick: the primary for a while, then the replicas again.
	st := c.Session(wren.SessionOptions{Stick: 300 * time.Millisecond})
	if err := st.Atomic(ctx, func(tx *wren.Tx) error {
		return wren.Create(ctx, tx, ClusterItems, &ClusterItem{Name: "z1"})
	}); err != nil {
		t.Fatal(err)
	}
	if got, _ := wren.One[seen](ctx, st, count); got.Rec || got.N != writes+2 {
		t.Fatalf("right after a transaction, Stick: %+v", got)
	}
	time.Sleep(350 * time.Millisecond)
	if !onStandby(t, ctx, st) {
		t.Fatal("after Stick passed, the read did not run on the standby")
	}

	// Replication lag: from a committed write on the primary until the
	// standby shows it.
	var lags []time.Duration
	for i := range 50 {
		name := fmt.Sprint("lag", i)
		if _, err := wren.Exec(ctx, primary, wren.Insert(ClusterItems).Set(wren.Set(ClusterItems.Name, name), wren.Set(ClusterItems.N, int64(i)))); err != nil {
			t.Fatal(err)
		}
		start := time.Now()
		for {
			n, err := wren.One[int64](ctx, standby, wren.Select(wren.CountAll()).From(ClusterItems).Where(ClusterItems.Name.Eq(name)))
			if err != nil {
				t.Fatal(err)
			}
			if n == 1 {
				break
			}
			if time.Since(start) > 10*time.Second {
				t.Fatal("a write did not reach the standby in 10 s")
			}
		}
		lags = append(lags, time.Since(start))
	}
	slices.Sort(lags)
	t.Logf("replication lag over %d writes (commit on the primary until visible on the standby, polled): median %v, p90 %v, max %v",
		len(lags), lags[len(lags)/2], lags[len(lags)*9/10], lags[len(lags)-1])
}

// TestClusterSkipsLaggingAndDownReplicas: a standby whose replay is paused
// falls behind and is skipped once its lag passes MaxLag, and serves again
// once it caught up; a replica that stops answering is skipped and comes
// back when it answers again.
func TestClusterSkipsLaggingAndDownReplicas(t *testing.T) {
	p := openPGPair(t)
	ctx := ctxT(t)
	primary, standby := openPG(t, p.primaryDSN), openPG(t, p.standbyDSN)
	c := newCluster(t, primary, wren.ClusterOptions{Replicas: []*wren.DB{standby}, MaxLag: 300 * time.Millisecond})
	if _, err := wren.Exec(ctx, c, wren.CreateTable(ClusterItems)); err != nil {
		t.Fatal(err)
	}
	waitReplicated(t, standby, "cluster_items")
	c.Check(ctx)
	if !onStandby(t, ctx, c) {
		t.Fatal("reads do not run on the standby")
	}

	// Lagging: pause replay, keep writing.
	if _, err := wren.Exec(ctx, standby, wren.RawStmt("SELECT pg_wal_replay_pause()")); err != nil {
		t.Fatal(err)
	}
	resumed := false
	resume := func() {
		if !resumed {
			resumed = true
			wren.Exec(context.Background(), standby, wren.RawStmt("SELECT pg_wal_replay_resume()"))
		}
	}
	t.Cleanup(resume)
	paused := time.Now()
	for i := 0; onStandby(t, ctx, c); i++ {
		if _, err := wren.Exec(ctx, c, wren.Insert(ClusterItems).Set(wren.Set(ClusterItems.Name, fmt.Sprint("p", i)), wren.Set(ClusterItems.N, int64(i)))); err != nil {
			t.Fatal(err)
		}
		if time.Since(paused) > 10*time.Second {
			t.Fatalf("a standby paused for 10 s still serves reads: %+v", c.Status())
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Logf("replay paused: reads left the standby after %v (MaxLag 300ms, checks every 50ms); status %+v",
		time.Since(paused).Round(time.Millisecond), c.Status()[1].Lag)
	resume()
	back := time.Now()
	for !onStandby(t, ctx, c) {
		if time.Since(back) > 10*time.Second {
			t.Fatalf("the standby did not serve reads again within 10 s of catching up: %+v", c.Status())
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Logf("replay resumed: reads back on the standby after %v", time.Since(back).Round(time.Millisecond))

	// Down: a replica reached through a proxy that the test cuts.
	u, _ := url.Parse(p.standbyDSN)
	px := startProxy(t, u.Host)
	u.Host = px.addr()
	viaProxy := openPG(t, u.String())
	c2 := newCluster(t, primary, wren.ClusterOptions{Replicas: []*wren.DB{viaProxy}})
	if !onStandby(t, ctx, c2) {
		t.Fatal("reads do not run on the proxied standby")
	}
	px.cut()
	cut := time.Now()
	for i := range 20 { // every read answers, from the primary
		if onStandby(t, ctx, c2) {
			t.Fatalf("read %d after the cut ran on the standby", i)
		}
	}
	t.Logf("replica cut off: reads answered by the primary, first one %v after the cut", time.Since(cut).Round(time.Millisecond))
	if st := c2.Status(); st[1].Up {
		t.Fatalf("the cut replica is still up: %+v", st[1])
	}
	px.restore()
	back = time.Now()
	for !onStandby(t, ctx, c2) {
		if time.Since(back) > 10*time.Second {
			t.Fatalf("the replica did not come back within 10 s: %+v", c2.Status())
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Logf("replica restored: reads back on it after %v", time.Since(back).Round(time.Millisecond))
}

// proxy forwards TCP connections to a server until cut: then it closes
// them all and refuses new ones until restored.
type proxy struct {
	t      *testing.T
	target string
	ln     net.Listener
	mu     sync.Mutex
	conns  []net.Conn
	down   bool
}

func startProxy(t *testing.T, target string) *proxy {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	p := &proxy{t: t, target: target, ln: ln}
	t.Cleanup(func() { ln.Close(); p.cut() })
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			p.mu.Lock()
			down := p.down
			p.mu.Unlock()
			if down {
				c.Close()
				continue
			}
			s, err := net.Dial("tcp", target)
			if err != nil {
				c.Close()
				continue
			}
			p.mu.Lock()
			p.conns = append(p.conns, c, s)
			p.mu.Unlock()
			go func() { io.Copy(s, c); s.Close() }()
			go func() { io.Copy(c, s); c.Close() }()
		}
	}()
	return p
}

func (p *proxy) addr() string { return p.ln.Addr().String() }

func (p *proxy) cut() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.down = true
	for _, c := range p.conns {
		c.Close()
	}
	p.conns = nil
}

func (p *proxy) restore() {
	p.mu.Lock()
	p.down = false
	p.mu.Unlock()
}

// TestClusterLeastBusy: with LeastBusy, a read goes to the replica running
// the fewest of the cluster's statements; rows not yet closed count.
func TestClusterLeastBusy(t *testing.T) {
	p := openPGPair(t)
	ctx := ctxT(t)
	primary := openPG(t, p.primaryDSN)
	named := func(name string) *wren.DB {
		u, _ := url.Parse(p.standbyDSN)
		q := u.Query()
		q.Set("application_name", name)
		u.RawQuery = q.Encode()
		return openPG(t, u.String())
	}
	r1, r2 := named("r1"), named("r2")
	c := newCluster(t, primary, wren.ClusterOptions{Replicas: []*wren.DB{r1, r2}, Balance: wren.LeastBusy})
	who := wren.RawStmt("SELECT current_setting('application_name')")
	first := ""
	// While an iteration holds its rows open on one replica, every other
	// read goes to the other.
	for name, err := range wren.Iter[string](ctx, c, who) {
		if err != nil {
			t.Fatal(err)
		}
		first = name
		for range 5 {
			other, err := wren.One[string](ctx, c, who)
			if err != nil {
				t.Fatal(err)
			}
			if other == first {
				t.Fatalf("a read went to %s, busy with an open iteration", other)
			}
		}
	}
	if first != "r1" && first != "r2" {
		t.Fatalf("the iteration ran on %q, not a replica", first)
	}
	// Closed: both are idle again, and the first (r1) answers.
	if got, _ := wren.One[string](ctx, c, who); got != "r1" {
		t.Fatalf("after the rows closed, a read went to %q", got)
	}
}
