package wren

import (
	"fmt"
	"reflect"
	"strconv"
	"testing"

	"github.com/wrensql/wren/dialect"
)

// TestPlanCacheEvictsGradually: past its bound the cache drops what was
// not used for a generation, never everything at once, and a plan in use
// stays cached however many other texts come and go.
func TestPlanCacheEvictsGradually(t *testing.T) {
	plans.mu.Lock()
	young, old := plans.young, plans.old
	plans.young, plans.old = nil, nil
	plans.mu.Unlock()
	defer func() {
		plans.mu.Lock()
		plans.young, plans.old = young, old
		plans.mu.Unlock()
	}()

	typ := reflect.TypeFor[benchUser]()
	rs := fixedRows{names: []string{"id", "name"}}
	stmt := RawStmt("x")
	get := func(text string) {
		t.Helper()
		if _, err := planFor(typ, dialect.SQLite, text, stmt, rs); err != nil {
			t.Fatal(err)
		}
	}
	get("hot")
	hot := plans.lookup(planKey{typ, dialect.SQLite, "hot"})[0].plan
	for i := 0; i < 5*planGeneration; i++ {
		get("cold " + strconv.Itoa(i))
		if i%(planGeneration/2) == 0 {
			get("hot")
		}
		if i%100 != 0 {
			continue
		}
		if n := plans.len(); n > 2*planGeneration {
			t.Fatalf("%d plans cached, bound %d", n, 2*planGeneration)
		}
	}
	if s := plans.lookup(planKey{typ, dialect.SQLite, "hot"}); len(s) != 1 || s[0].plan != hot {
		t.Fatal("the plan in use was evicted")
	}
	if n := plans.len(); n < planGeneration {
		t.Fatalf("only %d plans cached after %d new texts: evicted all at once", n, 5*planGeneration)
	}
	// The most recent cold texts are still there.
	if plans.lookup(planKey{typ, dialect.SQLite, "cold " + strconv.Itoa(5*planGeneration-1)}) == nil {
		t.Fatal("the newest plan is not cached")
	}
}

// TestPlanVariantsBounded: one text whose results come with many column
// lists keeps at most maxPlanVariants of them, the newest first.
func TestPlanVariantsBounded(t *testing.T) {
	typ := reflect.TypeFor[benchUser]()
	stmt := RawStmt("SELECT * FROM variants")
	lists := [][]string{{"id"}, {"name"}, {"email"}, {"age"}, {"id", "name"}, {"name", "id"}, {"age", "id"}, {"email", "age"}}
	for _, names := range lists {
		if _, err := planFor(typ, dialect.SQLite, "SELECT * FROM variants", stmt, fixedRows{names}); err != nil {
			t.Fatal(err)
		}
	}
	if s := plans.lookup(planKey{typ, dialect.SQLite, "SELECT * FROM variants"}); len(s) > maxPlanVariants {
		t.Fatalf("%d variants kept, bound %d", len(s), maxPlanVariants)
	} else if !equalNames(s[0].names, lists[len(lists)-1]) {
		t.Fatalf("newest variant is %v, want %v", s[0].names, lists[len(lists)-1])
	}
}

// TestPlanCacheConcurrent: lookups, builds, promotions and generation
// turnovers from many goroutines always hand back a plan for the column
// list asked for (run with -race).
func TestPlanCacheConcurrent(t *testing.T) {
	typ := reflect.TypeFor[benchUser]()
	stmt := RawStmt("x")
	lists := [][]string{{"id", "name"}, {"name", "id", "age"}}
	done := make(chan error)
	for g := 0; g < 8; g++ {
		go func(g int) {
			for i := 0; i < 3000; i++ {
				names := lists[(i+g)%2]
				text := "concurrent " + strconv.Itoa((i*7+g)%(planGeneration+500))
				p, err := planFor(typ, dialect.SQLite, text, stmt, fixedRows{names})
				if err == nil && p.Columns() != len(names) {
					err = fmt.Errorf("%s: plan of %d columns for %v", text, p.Columns(), names)
				}
				if err != nil {
					done <- err
					return
				}
			}
			done <- nil
		}(g)
	}
	for g := 0; g < 8; g++ {
		if err := <-done; err != nil {
			t.Fatal(err)
		}
	}
}

// countedRows counts the calls to Columns.
type countedRows struct {
	fixedRows
	calls *int
}

func (r countedRows) Columns() ([]string, error) { *r.calls++; return r.names, nil }

// TestPlanNamedByQuery: a plan built from the statement's own column
// names (every column named by the query) serves later results of its text
// without reading their names; one that took a name from the driver (an
// unaliased expression, raw SQL) checks them every time.
func TestPlanNamedByQuery(t *testing.T) {
	U := NewTable[benchUserTable]("plan_named_users")
	type idCount struct {
		ID    int64
		Count int64
	}
	cases := []struct {
		name  string
		q     Statement
		typ   reflect.Type
		names []string
		fixed bool
	}{
		{"columns", Select(U.ID, U.Name, U.Email, U.Age, U.CreatedAt).From(U), reflect.TypeFor[benchUser](), []string{"id", "name", "email", "age", "created_at"}, true},
		{"table", Select(U).From(U).Where(U.ID.Eq(1)), reflect.TypeFor[benchUser](), []string{"id", "name", "email", "age", "created_at"}, true},
		{"aliased", Select(U.ID, CountAll().As("count")).From(U).GroupBy(U.ID), reflect.TypeFor[idCount](), []string{"id", "count"}, true},
		{"unaliased", Select(U.ID, CountAll()).From(U).GroupBy(U.ID), reflect.TypeFor[idCount](), []string{"id", "count"}, false},
		{"raw", RawStmt("SELECT id, name FROM plan_named_users"), reflect.TypeFor[benchUser](), []string{"id", "name"}, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			text, _, err := c.q.SQL(dialect.SQLite)
			if err != nil {
				t.Fatal(err)
			}
			calls := 0
			rs := countedRows{fixedRows{c.names}, &calls}
			for i := 0; i < 3; i++ {
				if _, err := planFor(c.typ, dialect.SQLite, text, c.q, rs); err != nil {
					t.Fatal(err)
				}
			}
			// Built once (one call); then none when fixed, one per lookup
			// otherwise.
			want := 3
			if c.fixed {
				want = 1
			}
			if calls != want {
				t.Fatalf("Columns called %d times over 3 runs, want %d", calls, want)
			}
		})
	}
}
