// Package schema reads a live database's schema and compares it with wren's
// table declarations.
//
// [Inspect] reads the tables of the current PostgreSQL schema, MySQL/MariaDB
// database or SQLite database from the catalog into [wren.TableSchema]
// values; [Verify] reports every difference between descriptors and the
// live schema as a list of [Difference]s, for a check at startup or in a
// test; [Generate] writes Go declarations (descriptors and row structs) for
// a live schema, which is what `go run github.com/wrensql/wren/cmd/wren gen`
// does. Package migrate turns differences into statements.
//
// Catalogs differ per database, so this package holds one reader per
// database (inspect_*.go); the SQL types they report are brought to one
// spelling per dialect by [CanonicalType].
package schema

import (
	"context"
	"fmt"
	"path"
	"slices"
	"strings"

	"github.com/wrensql/wren"
	"github.com/wrensql/wren/dialect"
)

// Filter chooses the tables and columns Inspect reads. Patterns are
// path.Match globs (users, audit_*).
type Filter struct {
	Tables         []string // only tables matching one of these (all when empty)
	ExcludeTables  []string // minus tables matching one of these
	ExcludeColumns []string // columns as table.column patterns (*.created_by)
}

func (f Filter) table(name string) bool {
	if len(f.Tables) > 0 && !matchAny(f.Tables, name) {
		return false
	}
	return !matchAny(f.ExcludeTables, name)
}

func (f Filter) column(table, col string) bool {
	return !matchAny(f.ExcludeColumns, table+"."+col)
}

func matchAny(patterns []string, s string) bool {
	for _, p := range patterns {
		if ok, _ := path.Match(p, s); ok {
			return true
		}
	}
	return false
}

// Validate checks the filter's patterns.
func (f Filter) Validate() error {
	for _, ps := range [][]string{f.Tables, f.ExcludeTables, f.ExcludeColumns} {
		for _, p := range ps {
			if _, err := path.Match(p, ""); err != nil {
				return fmt.Errorf("schema: bad pattern %q: %v", p, err)
			}
		}
	}
	for _, p := range f.ExcludeColumns {
		if !strings.Contains(p, ".") {
			return fmt.Errorf("schema: column pattern %q must be table.column (use *.%s for every table)", p, p)
		}
	}
	return nil
}

// Inspect reads the tables of db's current schema (PostgreSQL's
// current_schema(), MySQL's DATABASE(), SQLite's main database) that f
// selects, sorted by name. Column types are canonical ([CanonicalType]).
// What wren cannot describe — an expression index, an index on a column
// the filter excludes — is left out of the result and listed in Skipped.
func Inspect(ctx context.Context, db wren.Querier, f Filter) (*Database, error) {
	if err := f.Validate(); err != nil {
		return nil, err
	}
	d := db.Dialect()
	var r reader
	switch {
	case d == dialect.Postgres:
		r = pgReader{}
	case d.IsMySQLFamily():
		r = myReader{}
	case d == dialect.SQLite:
		r = sqliteReader{}
	default:
		return nil, fmt.Errorf("schema: Inspect: no catalog reader for %s", d)
	}
	out := &Database{Dialect: d}
	tables, err := r.read(ctx, db, out)
	if err != nil {
		return nil, fmt.Errorf("schema: Inspect on %s: %w", d, err)
	}
	for _, t := range tables {
		if !f.table(t.Name) {
			continue
		}
		out.Tables = append(out.Tables, filterColumns(t, f, out))
	}
	slices.SortFunc(out.Tables, func(a, b wren.TableSchema) int { return strings.Compare(a.Name, b.Name) })
	for i := range out.Tables {
		for j := range out.Tables[i].Columns {
			c := &out.Tables[i].Columns[j]
			c.Type = CanonicalType(d, c.Type)
		}
		t := &out.Tables[i]
		slices.SortFunc(t.Indexes, func(a, b wren.IndexSchema) int { return strings.Compare(a.Name, b.Name) })
		slices.SortFunc(t.ForeignKeys, func(a, b wren.ForeignKeySchema) int {
			return strings.Compare(strings.Join(a.Columns, sep), strings.Join(b.Columns, sep))
		})
	}
	return out, nil
}

// Database is what Inspect read.
type Database struct {
	Dialect *dialect.Dialect
	Tables  []wren.TableSchema
	// Skipped lists what the catalog holds that the tables leave out, one
	// sentence each (an expression index, a foreign key on excluded columns).
	Skipped []string
}

// Table returns the table named name, or nil.
func (db *Database) Table(name string) *wren.TableSchema {
	for i := range db.Tables {
		if db.Tables[i].Name == name {
			return &db.Tables[i]
		}
	}
	return nil
}

// filterColumns drops the columns f excludes, and the keys, indexes and
// foreign keys that use them (noting each in out.Skipped).
func filterColumns(t wren.TableSchema, f Filter, out *Database) wren.TableSchema {
	dropped := map[string]bool{}
	var cols []wren.ColumnSchema
	for _, c := range t.Columns {
		if f.column(t.Name, c.Name) {
			cols = append(cols, c)
		} else {
			dropped[c.Name] = true
		}
	}
	if len(dropped) == 0 {
		return t
	}
	t.Columns = cols
	uses := func(names []string) bool {
		return slices.ContainsFunc(names, func(n string) bool { return dropped[n] })
	}
	if uses(t.PrimaryKey) {
		out.Skipped = append(out.Skipped, fmt.Sprintf("table %s: primary key (%s) uses an excluded column", t.Name, strings.Join(t.PrimaryKey, ", ")))
		t.PrimaryKey = nil
	}
	t.Indexes = slices.DeleteFunc(t.Indexes, func(ix wren.IndexSchema) bool {
		if uses(ix.Columns) {
			out.Skipped = append(out.Skipped, fmt.Sprintf("table %s: index %s uses an excluded column", t.Name, ix.Name))
			return true
		}
		return false
	})
	t.ForeignKeys = slices.DeleteFunc(t.ForeignKeys, func(fk wren.ForeignKeySchema) bool {
		if uses(fk.Columns) {
			out.Skipped = append(out.Skipped, fmt.Sprintf("table %s: foreign key %s uses an excluded column", t.Name, fk.Name))
			return true
		}
		return false
	})
	return t
}

// reader reads one database's catalog.
type reader interface {
	read(ctx context.Context, db wren.Querier, out *Database) ([]wren.TableSchema, error)
}

// tableSet gathers tables by name in the order they are first seen.
type tableSet struct {
	order  []string
	byName map[string]*wren.TableSchema
}

func (s *tableSet) get(name string) *wren.TableSchema {
	if s.byName == nil {
		s.byName = map[string]*wren.TableSchema{}
	}
	t := s.byName[name]
	if t == nil {
		t = &wren.TableSchema{Name: name}
		s.byName[name] = t
		s.order = append(s.order, name)
	}
	return t
}

func (s *tableSet) list() []wren.TableSchema {
	out := make([]wren.TableSchema, 0, len(s.order))
	for _, n := range s.order {
		out = append(out, *s.byName[n])
	}
	return out
}

// fkAction is a foreign key action as wren declares it: "" for NO ACTION.
func fkAction(a string) string {
	a = strings.ToUpper(strings.TrimSpace(a))
	if a == "NO ACTION" || a == "" {
		return ""
	}
	return a
}

// sep separates names in a list the catalog queries aggregate.
const sep = "\x1f"

func splitNames(s string) []string {
	if s == "" {
		return nil
	}
	return strings.Split(s, sep)
}
