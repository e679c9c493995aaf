package tests

import (
	"context"
	"database/sql"
	"fmt"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	_ "modernc.org/sqlite"
)

// TestSQLiteDriverReleasesStatementOnDeadline guards the SQLite driver
// version: modernc.org/sqlite before v1.40.1 leaked a statement when a
// context fired after the first row, leaving a read lock on the connection,
// and a pool of 8 with short deadlines ground to a halt. It uses plain
// database/sql on purpose: the driver itself must behave.
func TestSQLiteDriverReleasesStatementOnDeadline(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "leak.db")
	db, err := sql.Open("sqlite", "file:"+path+"?_pragma=busy_timeout(5000)&_pragma=journal_mode(wal)")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	db.SetMaxOpenConns(8)
	ctx := context.Background()
	if _, err := db.ExecContext(ctx, "CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)"); err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 200; i++ {
		if _, err := db.ExecContext(ctx, "INSERT INTO t (v) VALUES (?)", fmt.Sprint(i)); err != nil {
			t.Fatal(err)
		}
	}
	var ops atomic.Int64
	stop := time.Now().Add(3 * time.Second)
	var wg sync.WaitGroup
	for g := 0; g < 12; g++ {
		wg.Add(1)
		go func(g int) {
			defer wg.Done()
			for i := 0; time.Now().Before(stop); i++ {
				c, cancel := context.WithTimeout(ctx, time.Millisecond)
				if g%2 == 0 {
					db.ExecContext(c, "INSERT INTO t (v) VALUES (?)", "x")
				} else if rs, err := db.QueryContext(c, "SELECT id, v FROM t"); err == nil {
					for rs.Next() {
						time.Sleep(10 * time.Microsecond)
					}
					rs.Close()
				}
				cancel()
				ops.Add(1)
			}
		}(g)
	}
	wg.Wait()
	// Every connection must be free again: a write with a fresh context
	// goes through at once.
	c, cancel := context.WithTimeout(ctx, 2*time.Second)
	defer cancel()
	if _, err := db.ExecContext(c, "INSERT INTO t (v) VALUES ('after')"); err != nil {
		t.Fatalf("after %d operations with 1 ms deadlines a write fails: %v (a statement leaked its read lock)", ops.Load(), err)
	}
	// database/sql hands a connection back from its own goroutine when a
	// context ends mid-statement: give the last ones a moment.
	for wait := time.Now().Add(2 * time.Second); db.Stats().InUse != 0 && time.Now().Before(wait); {
		time.Sleep(10 * time.Millisecond)
	}
	if st := db.Stats(); st.InUse != 0 {
		t.Fatalf("%d connections still in use 2 s after the last operation", st.InUse)
	}
	t.Logf("%d operations in 3 s with 1 ms deadlines", ops.Load())
	if ops.Load() < 100 {
		t.Fatalf("only %d operations in 3 s with 1 ms deadlines: connections are stuck", ops.Load())
	}
}
