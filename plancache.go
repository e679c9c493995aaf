package wren

import (
	"errors"
	"fmt"
	"reflect"
	"slices"
	"sync"

	"github.com/wrensql/wren/dialect"
	"github.com/wrensql/wren/scan"
)

// The scan-plan cache. A plan depends on the Go type scanned into, the
// dialect, the statement text, and the column names the database returned:
// for raw SQL and for SELECT * those follow the live schema, which differs
// between databases and changes with ALTER TABLE. So an entry, found by
// (type, dialect, text), keeps the plans of up to maxPlanVariants column
// lists, and a plan is used only for a result whose column names are the
// ones it was built from. Comparing the names costs a few string
// comparisons per query and no allocation; a statement that names every
// column it selects (wren's own SELECTs without unaliased expressions)
// fixes its names by its text, and its plan skips the comparison.
//
// The cache holds two generations of at most planGeneration entries each.
// New entries go into the young one; when it is full it becomes the old one
// and the previous old one is dropped. A hit in the old generation moves
// the entry to the young one, so plans in use survive and dynamic SQL
// evicts only what has not been used for a generation.
const (
	planGeneration  = 2048
	maxPlanVariants = 4
)

type planKey struct {
	t    reflect.Type
	d    *dialect.Dialect
	text string
}

// planVariant is a plan and the column names it was built from. A fixed
// plan was built from the statement's own column names alone, every one
// named by the query (a column, or an expression with an alias): the text
// fixes them, so the plan serves every result of the text without a look
// at the names the database returned.
type planVariant struct {
	names []string
	plan  *scan.Plan
	fixed bool
}

// fits reports whether v's plan scans rs.
func (v *planVariant) fits(rs rows) bool { return v.fixed || matches(rs, v.names) }

// planSet is the plans of one key, one per column list; it is never
// modified once in the cache (adding a variant makes a new set).
type planSet []planVariant

type planCache struct {
	mu         sync.RWMutex
	young, old map[planKey]planSet
}

var plans planCache

// lookup returns the plans cached for k, moving them to the young
// generation when they were found in the old one.
func (c *planCache) lookup(k planKey) planSet {
	c.mu.RLock()
	s, ok := c.young[k]
	if !ok {
		s = c.old[k]
	}
	c.mu.RUnlock()
	if !ok && s != nil {
		c.mu.Lock()
		if _, there := c.young[k]; !there {
			c.insertLocked(k, s)
		}
		c.mu.Unlock()
	}
	return s
}

// add caches v under k.
func (c *planCache) add(k planKey, v planVariant) {
	names := v.names
	v.names = slices.Clone(names)
	c.mu.Lock()
	defer c.mu.Unlock()
	s := c.young[k]
	if s == nil {
		s = c.old[k]
	}
	for _, have := range s {
		if equalNames(have.names, names) {
			return // another goroutine built it first
		}
	}
	ns := make(planSet, 0, min(len(s)+1, maxPlanVariants))
	ns = append(ns, v) // newest first
	for _, have := range s {
		if len(ns) == maxPlanVariants {
			break
		}
		ns = append(ns, have)
	}
	c.insertLocked(k, ns)
}

func (c *planCache) insertLocked(k planKey, s planSet) {
	if c.young == nil {
		c.young = make(map[planKey]planSet)
	}
	if len(c.young) >= planGeneration {
		c.old, c.young = c.young, make(map[planKey]planSet)
	}
	c.young[k] = s
}

// len is the number of keys cached, for tests.
func (c *planCache) len() int {
	c.mu.RLock()
	defer c.mu.RUnlock()
	n := len(c.young)
	for k := range c.old {
		if _, ok := c.young[k]; !ok {
			n++
		}
	}
	return n
}

func equalNames(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// matches reports whether rs has exactly the columns names, without
// allocating where the driver allows.
func matches(rs rows, names []string) bool {
	if pr, ok := driverRows(rs).(pgxRows); ok {
		fds := pr.FieldDescriptions()
		if len(fds) != len(names) {
			return false
		}
		for i := range fds {
			if fds[i].Name != names[i] {
				return false
			}
		}
		return true
	}
	have, err := rs.Columns()
	return err == nil && equalNames(have, names)
}

// planFor returns the plan for scanning the result rs of text into t: a
// cached one when one was built from the same column names, else a new one.
// A plan is cached only when the result has columns: a failed or cancelled
// query can report none before its error surfaces.
func planFor(t reflect.Type, d *dialect.Dialect, text string, q Statement, rs rows) (*scan.Plan, error) {
	v, err := variantFor(t, d, text, q, rs)
	return v.plan, err
}

// variantFor is planFor, returning the plan with the names it fits (see
// planVariant).
func variantFor(t reflect.Type, d *dialect.Dialect, text string, q Statement, rs rows) (planVariant, error) {
	k := planKey{t, d, text}
	for i, s := 0, plans.lookup(k); i < len(s); i++ {
		if s[i].fits(rs) {
			return s[i], nil
		}
	}
	names, err := rs.Columns()
	if err != nil {
		return planVariant{}, fmt.Errorf("wren: reading columns: %w", err)
	}
	if len(names) == 0 {
		if err := rs.Err(); err != nil {
			return planVariant{}, fmt.Errorf("wren: %w", err)
		}
	}
	p, fixed, err := buildPlan(t, d, q, names)
	if err != nil {
		if len(names) == 0 {
			// Most likely the query failed: its error says more.
			for rs.Next() {
			}
			if rerr := rs.Err(); rerr != nil {
				return planVariant{}, fmt.Errorf("wren: %w", rerr)
			}
		}
		return planVariant{}, err
	}
	v := planVariant{names: names, plan: p, fixed: fixed}
	if len(names) > 0 {
		plans.add(k, v)
	}
	return v, nil
}

var positionalType = reflect.TypeFor[positional]()

// buildPlan makes the plan for scanning columns names of q's result into t,
// with the tables, Go types and nullability q knows for them. It reports
// whether q named every column itself, so that the plan does not depend on
// names (see planVariant).
func buildPlan(t reflect.Type, d *dialect.Dialect, q Statement, names []string) (*scan.Plan, bool, error) {
	var cols []scan.Column
	if rc, ok := q.(resultColumner); ok {
		cols = rc.ResultColumns()
	}
	if len(cols) != len(names) {
		cols = nil
	}
	fixed := cols != nil
	if cols == nil {
		cols = make([]scan.Column, len(names))
	}
	for i := range cols {
		if cols[i].Name == "" { // an expression without an alias: the driver's name
			cols[i].Name = names[i]
			fixed = false
		}
	}
	p, err := scan.Build(t, cols, scan.Options{TextTimes: d.TextTimes(), TextUUIDs: !d.NativeUUID(), ScanNumbers: !d.NativeScan(), TextBlocks: d.StringsAsBytes(), Positional: t.Implements(positionalType)})
	if err != nil {
		var fe *scan.FieldError
		if errors.As(err, &fe) {
			return nil, false, &ScanError{Column: fe.Column.String(), Field: fe.Field, FieldType: fe.FieldType, Err: fe}
		}
		return nil, false, fmt.Errorf("wren: %w", err)
	}
	return p, fixed, nil
}
