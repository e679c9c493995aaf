package tests

// wren on a real three-node MariaDB Galera cluster: .ci/galera.sh starts it
// and sets WREN_GALERA_DSNS (one DSN per node, space-separated) and
// WREN_GALERA_CTL (the script, which the node-loss test uses to crash and
// restart a node). Each test works in a database of its own.

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/go-sql-driver/mysql"

	"github.com/wrensql/wren"
	"github.com/wrensql/wren/dialect"
)

// galera is a test's database on every node of the cluster.
type galera struct {
	dsns  []string // per node, with the database selected
	nodes []*wren.DB
	sync  []*wren.DB // the same, with wsrep_sync_wait=1
}

func openGalera(t *testing.T) *galera {
	t.Helper()
	ctx := ctxT(t)
	env := needServer(t, "WREN_GALERA_DSNS", "Galera cluster (bash .ci/galera.sh)")
	raw := strings.Fields(env)
	if len(raw) < 3 {
		t.Fatalf("WREN_GALERA_DSNS has %d DSNs; want one per node of a three-node cluster", len(raw))
	}
	admin, err := sql.Open("mysql", raw[0])
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close()
	name := randName()
	// DDL on Galera runs everywhere at once (total order isolation).
	if _, err := admin.ExecContext(ctx, "CREATE DATABASE "+name+" CHARACTER SET utf8mb4"); err != nil {
		t.Fatalf("the Galera node at %s: %v", raw[0], err)
	}
	t.Cleanup(func() {
		if a, err := sql.Open("mysql", raw[0]); err == nil {
			a.Exec("DROP DATABASE IF EXISTS " + name)
			a.Close()
		}
	})
	g := &galera{}
	for _, dsn := range raw {
		cfg, err := mysql.ParseDSN(dsn)
		if err != nil {
			t.Fatal(err)
		}
		cfg.DBName = name
		cfg.Timeout = 2 * time.Second
		g.dsns = append(g.dsns, cfg.FormatDSN())
		db := openWhenThere(t, cfg.FormatDSN())
		db.SetMaxOpenConns(8)
		g.nodes = append(g.nodes, db)
		cfg.Params = map[string]string{"wsrep_sync_wait": "1"}
		g.sync = append(g.sync, openWhenThere(t, cfg.FormatDSN()))
	}
	return g
}

// openWhenThere opens dsn once its database exists on that node: the
// other nodes apply a CREATE DATABASE in the cluster's order, but after it
// returned on the node that ran it.
func openWhenThere(t *testing.T, dsn string) *wren.DB {
	t.Helper()
	ctx := ctxT(t)
	for i := 0; ; i++ {
		db, err := wren.Open(ctx, "mysql", dsn)
		if err == nil {
			t.Cleanup(func() { db.Close() })
			return db
		}
		var me *mysql.MySQLError
		if !errors.As(err, &me) || me.Number != 1049 || i > 300 {
			t.Fatal(err)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// synced returns a handle on node i whose reads wait until the node has
// applied everything the cluster committed before them (wsrep_sync_wait).
func (g *galera) synced(t *testing.T, i int) *wren.DB { return g.sync[i] }

// ddl runs a statement on node 0 and waits until every node applied it.
func (g *galera) ddl(t *testing.T, s wren.Statement) {
	t.Helper()
	ctx := ctxT(t)
	if _, err := wren.Exec(ctx, g.nodes[0], s); err != nil {
		t.Fatal(err)
	}
	for i, db := range g.sync {
		if _, err := wren.One[int64](ctx, db, wren.RawStmt("SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE()")); err != nil {
			t.Fatalf("node %d: %v", i, err)
		}
	}
}

// The conflict tests use Counters (fault_load_test.go): fault_counters.

func counterOn(t *testing.T, ctx context.Context, db wren.Querier) int64 {
	t.Helper()
	n, err := wren.One[int64](ctx, db, wren.Select(Counters.N).From(Counters).Where(Counters.ID.Eq(1)))
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// TestGaleraConflictsRetried: two writers on two nodes increment one
// counter by reading it (FOR UPDATE) and writing it back; the cluster
// certifies one of each conflicting pair and fails the other (1213), which
// Atomic runs again. The loser learns on COMMIT, on its next statement, or
// at the end of its locking read's rows (the read was aborted after it
// sent the stale row: see TestGaleraConflictAfterTheFirstRow). No
// increment is lost or doubled.
func TestGaleraConflictsRetried(t *testing.T) {
	g := openGalera(t)
	ctx := ctxT(t)
	g.ddl(t, wren.RawStmt("CREATE TABLE fault_counters (id BIGINT PRIMARY KEY, n BIGINT NOT NULL)"))
	mustExec(t, g.nodes[0], "INSERT INTO fault_counters VALUES (1, 0)")
	// Node 1 may not have applied the row yet: a read there does not wait
	// for what other nodes committed (wsrep_sync_wait does), and a locking
	// read of a row that is not there finds nothing — no conflict.
	waitApplied(t, g, 1)
	const per = 25
	var attempts, conflicts atomic.Int64
	var wg sync.WaitGroup
	errs := make(chan error, 2)
	// wrote[w] are the values writer w's committed increments wrote: on a
	// failure, a value written twice is a lost update.
	var wrote [2][]int64
	for w := range 2 {
		wg.Add(1)
		go func(db *wren.DB) {
			defer wg.Done()
			for range per {
				var v int64
				err := db.Atomic(ctx, func(tx *wren.Tx) error {
					attempts.Add(1)
					// FOR UPDATE: a locking read sees the latest value, and
					// a conflicting commit from another node aborts it (as
					// on one server, a plain read then write could lose an
					// update).
					n, err := wren.One[int64](ctx, tx, wren.Select(Counters.N).From(Counters).Where(Counters.ID.Eq(1)).ForUpdate())
					if err != nil {
						if wren.IsRetryable(err) {
							conflicts.Add(1)
						}
						return err
					}
					time.Sleep(time.Millisecond) // widen the window for a conflict
					v = n + 1
					_, err = wren.Exec(ctx, tx, wren.Update(Counters).Set(wren.Set(Counters.N, v)).Where(Counters.ID.Eq(1)))
					if err != nil && wren.IsRetryable(err) {
						conflicts.Add(1)
					}
					return err
				}, wren.TxOptions{MaxAttempts: 200})
				if err != nil {
					errs <- err
					return
				}
				wrote[w] = append(wrote[w], v)
			}
		}(g.nodes[w])
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	for i := range g.nodes {
		if n := counterOn(t, ctx, g.synced(t, i)); n != 2*per {
			time.Sleep(2 * time.Second)
			twice := []int64{}
			for _, v := range wrote[0] {
				if slices.Contains(wrote[1], v) {
					twice = append(twice, v)
				}
			}
			t.Fatalf("node %d: counter %d, want %d (2 s later: %d); values both writers committed: %v",
				i, n, 2*per, counterOn(t, ctx, g.synced(t, i)), twice)
		}
	}
	lost := attempts.Load() - 2*per
	t.Logf("%d increments from two nodes: %d attempts, %d transactions lost a conflict (%d seen on a statement, the rest on COMMIT)",
		2*per, attempts.Load(), lost, conflicts.Load())
	if lost == 0 {
		t.Log("no conflict happened this run: the retry path was not exercised")
	}
}

// TestGaleraConflictOnNextStatement: a transaction whose row another node
// changed is rolled back by the cluster; it learns so on its next
// statement (1213). After that MariaDB would run further statements outside
// any transaction, and a COMMIT would succeed: wren refuses both and
// reports the conflict, retryable.
func TestGaleraConflictOnNextStatement(t *testing.T) {
	g := openGalera(t)
	ctx := ctxT(t)
	g.ddl(t, wren.RawStmt("CREATE TABLE fault_counters (id BIGINT PRIMARY KEY, n BIGINT NOT NULL)"))
	mustExec(t, g.nodes[0], "INSERT INTO fault_counters VALUES (1, 0), (2, 0)")

	for _, commitAtOnce := range []bool{false, true} {
		mustExec(t, g.nodes[0], "UPDATE fault_counters SET n = 0")
		tx, err := g.nodes[0].Begin(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := wren.Exec(ctx, tx, wren.Update(Counters).Set(wren.SetExpr(Counters.N, Counters.N.Add(1))).Where(Counters.ID.Eq(1))); err != nil {
			t.Fatal(err)
		}
		// Another node commits a change of the same row: it wins, and the
		// transaction above is aborted when node 0 applies it.
		mustExec(t, g.nodes[1], "UPDATE fault_counters SET n = n + 10 WHERE id = 1")
		if !commitAtOnce {
			waitApplied(t, g, 0)
			_, err = wren.One[int64](ctx, tx, wren.Select(Counters.N).From(Counters).Where(Counters.ID.Eq(2)))
			if !wren.IsRetryable(err) {
				t.Fatalf("the statement after the conflict: %v, want a retryable 1213", err)
			}
			// MariaDB has rolled back and left the transaction: a further
			// statement would autocommit. wren refuses it.
			_, err = wren.Exec(ctx, tx, wren.Update(Counters).Set(wren.Set(Counters.N, int64(99))).Where(Counters.ID.Eq(2)))
			if !wren.IsRetryable(err) {
				t.Fatalf("a statement after the conflict ran: %v", err)
			}
		}
		err = tx.Commit(ctx)
		var me *mysql.MySQLError
		if err == nil || !wren.IsRetryable(err) || !errors.As(err, &me) || me.Number != 1213 {
			t.Fatalf("commit (at once: %v): %v, want the conflict (1213)", commitAtOnce, err)
		}
		t.Logf("commit at once %v: %v", commitAtOnce, err)
		sy := g.synced(t, 0)
		got, err := wren.All[int64](ctx, sy, wren.Select(Counters.N).From(Counters).OrderBy(Counters.ID))
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(got, []int64{10, 0}) {
			t.Fatalf("counters %v, want [10 0]: only the winner's write is kept", got)
		}
	}
}

// TestGaleraConflictAfterTheFirstRow: a locking read on node 0 has locked
// and sent its first row when a write to that row, committed on node 1,
// reaches node 0. Node 0 aborts the read's transaction (a brute-force
// abort) and ends the result with 1213 after the row. One must report the
// conflict, not the stale row — before it did, the transaction's next
// statement ran in autocommit mode and its COMMIT succeeded, which lost
// an increment in TestGaleraConflictsRetried now and then.
func TestGaleraConflictAfterTheFirstRow(t *testing.T) {
	g := openGalera(t)
	ctx := ctxT(t)
	g.ddl(t, wren.RawStmt("CREATE TABLE fault_counters (id BIGINT PRIMARY KEY, n BIGINT NOT NULL)"))
	mustExec(t, g.nodes[0], "INSERT INTO fault_counters VALUES (1, 0), (2, 0)")
	waitApplied(t, g, 1)
	tx, err := g.nodes[0].Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		// Row 1 is locked and sent at about 0.5 s, row 2 is read until
		// about 1 s: the write comes in between.
		time.Sleep(700 * time.Millisecond)
		mustExec(t, g.nodes[1], "UPDATE fault_counters SET n = n + 10 WHERE id = 1")
	}()
	n, err := wren.One[int64](ctx, tx, wren.RawStmt("SELECT n FROM fault_counters WHERE id IN (1, 2) AND SLEEP(0.5) = 0 ORDER BY id FOR UPDATE"))
	<-done
	var me *mysql.MySQLError
	if !wren.IsRetryable(err) || !errors.As(err, &me) || me.Number != 1213 {
		t.Fatalf("the aborted locking read returned %d, %v; want the conflict (1213)", n, err)
	}
	_, err = wren.Exec(ctx, tx, wren.Update(Counters).Set(wren.Set(Counters.N, n+1)).Where(Counters.ID.Eq(1)))
	if !wren.IsRetryable(err) {
		t.Fatalf("the write after the aborted read: %v, want it refused with the conflict", err)
	}
	if err := tx.Commit(ctx); !wren.IsRetryable(err) {
		t.Fatalf("commit: %v, want the conflict", err)
	}
	got, err := wren.All[int64](ctx, g.synced(t, 0), wren.Select(Counters.N).From(Counters).OrderBy(Counters.ID))
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(got, []int64{10, 0}) {
		t.Fatalf("counters %v, want [10 0]: only node 1's write is kept", got)
	}
}

// waitApplied waits until node i has applied what the cluster committed.
func waitApplied(t *testing.T, g *galera, i int) {
	t.Helper()
	if _, err := wren.One[int64](ctxT(t), g.synced(t, i), wren.RawStmt("SELECT COUNT(*) FROM fault_counters")); err != nil {
		t.Fatal(err)
	}
	time.Sleep(50 * time.Millisecond)
}

// GaleraKeyTable has an auto-increment key, which Galera steps by the
// number of nodes (auto_increment_increment = 3, a different offset per
// node).
type GaleraKeyTable struct {
	wren.Table
	ID   wren.Column[int64] `wren:",pk"`
	Name wren.Column[string]
}

// GaleraKey is a row of GaleraKeys.
type GaleraKey struct {
	ID   int64
	Name string
}

// GaleraKeys is the key test's table.
var GaleraKeys = wren.NewTable[GaleraKeyTable]("galera_keys")

// TestGaleraCreateKeys: Create on every node at once, one row and many,
// through MariaDB's RETURNING and through the MySQL path (last-insert id,
// which must not assume keys step by 1): every row gets the key the
// cluster gave it.
func TestGaleraCreateKeys(t *testing.T) {
	g := openGalera(t)
	ctx := ctxT(t)
	g.ddl(t, wren.CreateTable(GaleraKeys))
	step, err := wren.One[int64](ctx, g.nodes[1], wren.RawStmt("SELECT @@auto_increment_increment"))
	if err != nil {
		t.Fatal(err)
	}
	if step != 3 {
		t.Fatalf("auto_increment_increment is %d on a three-node cluster; want 3", step)
	}
	var handles []*wren.DB
	for i, dsn := range g.dsns {
		handles = append(handles, g.nodes[i])
		// The MySQL dialect on the same node: no RETURNING, so Create
		// reads the step and lock mode (2 on Galera) and inserts row by row.
		cfg, _ := mysql.ParseDSN(dsn)
		cfg.ParseTime = true
		sdb, err := sql.Open("mysql", cfg.FormatDSN())
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { sdb.Close() })
		handles = append(handles, wren.OpenDB(sdb, dialect.MySQL))
		// The MySQL dialect on wren's own pool of the node: its connection
		// finds lock mode 2 and runs nothing, and Create inserts row by
		// row as above.
		my, err := g.nodes[i].WithDialect(dialect.MySQL)
		if err != nil {
			t.Fatal(err)
		}
		handles = append(handles, my)
	}
	var mu sync.Mutex
	var made []*GaleraKey
	var wg sync.WaitGroup
	errs := make(chan error, len(handles))
	for h, db := range handles {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for round := range 8 {
				n := 1 + round%4 // one row, and several
				rows := make([]*GaleraKey, n)
				for i := range rows {
					rows[i] = &GaleraKey{Name: fmt.Sprintf("h%d-r%d-%d", h, round, i)}
				}
				err := db.Atomic(ctx, func(tx *wren.Tx) error {
					for _, r := range rows {
						r.ID = 0
					}
					return wren.Create(ctx, tx, GaleraKeys, rows...)
				}, wren.TxOptions{MaxAttempts: 20})
				if err != nil {
					errs <- fmt.Errorf("handle %d (%s): %w", h, db.Dialect(), err)
					return
				}
				mu.Lock()
				made = append(made, rows...)
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	stored, err := wren.All[GaleraKey](ctx, g.synced(t, 2), wren.Select(GaleraKeys.ID, GaleraKeys.Name).From(GaleraKeys))
	if err != nil {
		t.Fatal(err)
	}
	byName := map[string]int64{}
	for _, s := range stored {
		byName[s.Name] = s.ID
	}
	if len(stored) != len(made) {
		t.Fatalf("%d rows stored, %d created", len(stored), len(made))
	}
	gaps := 0
	ids := make([]int64, 0, len(stored))
	for _, r := range made {
		if byName[r.Name] != r.ID {
			t.Fatalf("row %s got key %d, stored as %d", r.Name, r.ID, byName[r.Name])
		}
		ids = append(ids, r.ID)
	}
	slices.Sort(ids)
	for i := 1; i < len(ids); i++ {
		if ids[i] != ids[i-1]+1 {
			gaps++
		}
	}
	t.Logf("%d rows created on 3 nodes through 2 dialects: every key right; %d gaps between consecutive keys", len(made), gaps)
	if gaps == 0 {
		t.Fatal("no gaps between keys: the step of 3 was not exercised")
	}
}

// TestGaleraNodeLost: writes go through a Cluster to one node, which is
// crashed (SIGKILL) mid-run; the Cluster moves the writes to the next node.
// Every write that was acknowledged is on the surviving nodes; a write
// whose outcome is unknown (the node died while it ran) is reported as an
// error, never run twice.
func TestGaleraNodeLost(t *testing.T) {
	g := openGalera(t)
	ctl := needServer(t, "WREN_GALERA_CTL", "Galera node-loss (the path of .ci/galera.sh)")
	ctx := ctxT(t)
	g.ddl(t, wren.CreateTable(GaleraKeys))
	const victim = 2
	c := newCluster(t, g.nodes[victim], wren.ClusterOptions{Failover: []*wren.DB{g.nodes[0], g.nodes[1]}, CheckInterval: 100 * time.Millisecond})
	var acked, unknown []string
	var killed, firstAfter time.Time
	for seq := 0; len(acked) < 60; seq++ {
		if seq > 400 {
			t.Fatalf("only %d writes acknowledged in 400 tries; status %+v", len(acked), c.Status())
		}
		name := fmt.Sprint("w", seq)
		_, err := wren.Exec(ctx, c, wren.Insert(GaleraKeys).Set(wren.Set(GaleraKeys.Name, name)))
		switch {
		case err == nil:
			acked = append(acked, name)
			if !killed.IsZero() && firstAfter.IsZero() {
				firstAfter = time.Now()
			}
		case killed.IsZero():
			t.Fatalf("write %d before the crash: %v", seq, err)
		default:
			unknown = append(unknown, name)
			t.Logf("write %d after the crash: %v", seq, err)
		}
		if len(acked) == 30 && killed.IsZero() {
			if out, err := exec.Command("bash", ctl, "kill", fmt.Sprint(victim)).CombinedOutput(); err != nil {
				t.Fatalf("%s kill: %v %s", ctl, err, out)
			}
			killed = time.Now()
		}
	}
	t.Cleanup(func() { restartNode(t, ctl) })
	if c.Primary() == g.nodes[victim] {
		t.Fatalf("writes still go to the crashed node: %+v", c.Status())
	}
	t.Logf("node %d crashed: the next acknowledged write came %v later on another node; %d writes failed in between",
		victim, firstAfter.Sub(killed).Round(time.Millisecond), len(unknown))
	survivor := g.synced(t, 0)
	stored, err := wren.All[string](ctx, survivor, wren.Select(GaleraKeys.Name).From(GaleraKeys))
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range acked {
		if !slices.Contains(stored, name) {
			t.Fatalf("acknowledged write %s is missing after the crash", name)
		}
	}
	if len(stored) > len(acked)+len(unknown) {
		t.Fatalf("%d rows stored, but only %d writes were made", len(stored), len(acked)+len(unknown))
	}

	// The node comes back (IST or SST), and the cluster checks find it.
	start := time.Now()
	restartNode(t, ctl)
	t.Logf("node %d rejoined and was Synced %v after the restart began", victim, time.Since(start).Round(time.Millisecond))
	for !c.Status()[0].Up {
		if time.Since(start) > 30*time.Second {
			t.Fatalf("the cluster does not see the restarted node: %+v", c.Status())
		}
		time.Sleep(50 * time.Millisecond)
	}
}

var restartOnce sync.Map

// restartNode runs the Galera script's start, which starts the nodes that
// are down and waits until they are Synced.
func restartNode(t *testing.T, ctl string) {
	if _, done := restartOnce.LoadOrStore(t.Name(), true); done {
		return
	}
	cmd := exec.Command("bash", ctl, "start")
	cmd.Env = os.Environ()
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Errorf("%s start: %v\n%s", ctl, err, out)
	}
}
