// Package migrate changes a live schema: typed operations rendered into
// statements per dialect, a diff from [schema.Verify]'s differences to the
// operations that would fix them (for review, never run by itself), and a
// small runner that applies ordered migrations once each and records them
// in a table.
//
// Where a database has no ALTER form for a change, the operation says so:
// SQLite gets the table rebuild its documentation prescribes (create the
// new table, copy the rows, drop the old one, rename, recreate the
// indexes), MySQL and MariaDB refuse partial indexes with
// wren.ErrUnsupported.
//
// Each database's statements differ, so this package picks one [style] per
// dialect, in one place; the rest is shared.
package migrate

import (
	"fmt"
	"slices"
	"strings"

	"github.com/wrensql/wren"
	"github.com/wrensql/wren/dialect"
	"github.com/wrensql/wren/schema"
)

// Op is one schema change. Render turns ops into statements.
type Op interface {
	// String describes the change in one line, for review.
	String() string
	render(p *planner) error
}

// CreateTable creates a declared table and its indexes (wren.CreateTable
// and wren.CreateIndexes).
type CreateTable struct{ Table wren.TableLike }

// AddColumn adds a column. Column.Type is the SQL type as the dialect
// spells it (wren.Describe gives the declared one).
type AddColumn struct {
	Table  string
	Column wren.ColumnSchema
}

// DropColumn drops a column and its data.
type DropColumn struct{ Table, Column string }

// RenameColumn renames a column.
type RenameColumn struct{ Table, From, To string }

// AlterType changes a column's SQL type. Using, when set, is the SQL
// expression that converts the old values (PostgreSQL's USING; the
// default is a cast of the column).
type AlterType struct {
	Table, Column, Type string
	Using               string
}

// SetNullable makes a column nullable or NOT NULL.
type SetNullable struct {
	Table, Column string
	Nullable      bool
}

// SetDefault sets a column's DEFAULT (SQL text), or drops it when Drop.
type SetDefault struct {
	Table, Column, Default string
	Drop                   bool
}

// AddIndex creates an index: named, unique, partial (Where) as Index says.
// A unique constraint without a name gets <table>_<columns>_key.
type AddIndex struct {
	Table string
	Index wren.IndexSchema
}

// DropIndex drops the index (or unique constraint) Name of Table.
type DropIndex struct{ Table, Name string }

// AddForeignKey adds a foreign key. A key without a name gets
// fk_<table>_<columns>.
type AddForeignKey struct {
	Table string
	Key   wren.ForeignKeySchema
}

// DropForeignKey drops a foreign key: by name, or on SQLite (where keys
// have none) by its columns.
type DropForeignKey struct {
	Table string
	Key   wren.ForeignKeySchema
}

// RenameTable renames a table.
type RenameTable struct{ From, To string }

func (o CreateTable) String() string {
	if ts, err := wren.Describe(o.Table, dialect.SQLite); err == nil {
		return "create table " + ts.Name
	}
	return "create table (invalid descriptor)"
}
func (o AddColumn) String() string {
	return fmt.Sprintf("add column %s.%s %s", o.Table, o.Column.Name, o.Column.Type)
}
func (o DropColumn) String() string { return fmt.Sprintf("drop column %s.%s", o.Table, o.Column) }
func (o RenameColumn) String() string {
	return fmt.Sprintf("rename column %s.%s to %s", o.Table, o.From, o.To)
}
func (o AlterType) String() string {
	return fmt.Sprintf("change type of %s.%s to %s", o.Table, o.Column, o.Type)
}
func (o SetNullable) String() string {
	if o.Nullable {
		return fmt.Sprintf("make %s.%s nullable", o.Table, o.Column)
	}
	return fmt.Sprintf("make %s.%s NOT NULL", o.Table, o.Column)
}
func (o SetDefault) String() string {
	if o.Drop {
		return fmt.Sprintf("drop default of %s.%s", o.Table, o.Column)
	}
	return fmt.Sprintf("set default of %s.%s to %s", o.Table, o.Column, o.Default)
}
func (o AddIndex) String() string {
	return fmt.Sprintf("add index %s on %s %s", indexName(o.Table, o.Index), o.Table, strings.Join(o.Index.Columns, ", "))
}
func (o DropIndex) String() string { return fmt.Sprintf("drop index %s on %s", o.Name, o.Table) }
func (o AddForeignKey) String() string {
	return fmt.Sprintf("add foreign key %s (%s) → %s", o.Table, strings.Join(o.Key.Columns, ", "), o.Key.RefTable)
}
func (o DropForeignKey) String() string {
	return fmt.Sprintf("drop foreign key %s (%s)", o.Table, strings.Join(o.Key.Columns, ", "))
}
func (o RenameTable) String() string { return fmt.Sprintf("rename table %s to %s", o.From, o.To) }

// Render returns the statements that make ops, in order, on a database of
// dialect d whose schema is live (as schema.Inspect read it: SQLite's
// table rebuild and MySQL's MODIFY COLUMN need the whole table). live is
// not changed; ops are checked against a copy that each op updates, so an
// op may use what an earlier one made.
//
// The statements are for review or for [Run]; a SQLite rebuild must run
// with foreign key enforcement off, which Run arranges.
func Render(d *dialect.Dialect, live *schema.Database, ops ...Op) ([]string, error) {
	p, err := newPlanner(d, live)
	if err != nil {
		return nil, err
	}
	p.merge = true
	for _, op := range ops {
		if err := op.render(p); err != nil {
			return nil, fmt.Errorf("migrate: %s on %s: %w", op, d, err)
		}
	}
	return p.out, nil
}

// planner renders ops against a copy of the live schema.
type planner struct {
	d      *dialect.Dialect
	st     *style
	tables map[string]*wren.TableSchema
	out    []string
	// lastRebuild is the last SQLite table rebuild, which the next one of
	// the same table can replace.
	lastRebuild *rebuilt
	merge       bool // merge consecutive rebuilds of one table
}

func newPlanner(d *dialect.Dialect, live *schema.Database) (*planner, error) {
	st := styleFor(d)
	if st == nil {
		return nil, fmt.Errorf("migrate: no statements for %s", d)
	}
	p := &planner{d: d, st: st, tables: map[string]*wren.TableSchema{}}
	if live != nil {
		for _, t := range live.Tables {
			c := cloneTable(t)
			p.tables[t.Name] = &c
		}
	}
	return p, nil
}

func cloneTable(t wren.TableSchema) wren.TableSchema {
	t.Columns = slices.Clone(t.Columns)
	t.PrimaryKey = slices.Clone(t.PrimaryKey)
	t.Indexes = slices.Clone(t.Indexes)
	for i := range t.Indexes {
		t.Indexes[i].Columns = slices.Clone(t.Indexes[i].Columns)
	}
	t.ForeignKeys = slices.Clone(t.ForeignKeys)
	for i := range t.ForeignKeys {
		t.ForeignKeys[i].Columns = slices.Clone(t.ForeignKeys[i].Columns)
		t.ForeignKeys[i].RefColumns = slices.Clone(t.ForeignKeys[i].RefColumns)
	}
	return t
}

func (p *planner) emit(format string, a ...any) { p.out = append(p.out, fmt.Sprintf(format, a...)) }

// id quotes an identifier; names with NUL bytes are refused.
func (p *planner) id(name string) string {
	return string(p.d.AppendIdent(nil, name))
}

func (p *planner) ids(names []string) string {
	q := make([]string, len(names))
	for i, n := range names {
		q[i] = p.id(n)
	}
	return strings.Join(q, ", ")
}

func checkNames(names ...string) error {
	for _, n := range names {
		if n == "" || strings.ContainsRune(n, 0) {
			return fmt.Errorf("invalid name %q (empty or with a NUL byte)", n)
		}
	}
	return nil
}

func (p *planner) table(name string) (*wren.TableSchema, error) {
	t := p.tables[name]
	if t == nil {
		return nil, fmt.Errorf("table %s is not in the schema", name)
	}
	return t, nil
}

func (p *planner) column(t *wren.TableSchema, name string) (*wren.ColumnSchema, error) {
	for i := range t.Columns {
		if t.Columns[i].Name == name {
			return &t.Columns[i], nil
		}
	}
	return nil, fmt.Errorf("table %s has no column %s", t.Name, name)
}

// colDef is a column's definition in CREATE TABLE or ADD COLUMN.
func (p *planner) colDef(c wren.ColumnSchema) string {
	s := p.id(c.Name) + " " + c.Type
	if c.Auto {
		s += p.st.auto
	}
	if !c.Nullable && !(c.Auto && p.st.inlineAuto) {
		s += " NOT NULL"
	}
	if c.HasDefault && !c.Auto {
		s += " DEFAULT " + c.Default
	}
	return s
}

func indexName(table string, ix wren.IndexSchema) string {
	if ix.Name != "" {
		return ix.Name
	}
	return table + "_" + strings.Join(ix.Columns, "_") + "_key"
}

func fkName(table string, fk wren.ForeignKeySchema) string {
	if fk.Name != "" {
		return fk.Name
	}
	return "fk_" + table + "_" + strings.Join(fk.Columns, "_")
}

func fkClause(p *planner, fk wren.ForeignKeySchema) string {
	s := fmt.Sprintf("FOREIGN KEY (%s) REFERENCES %s (%s)", p.ids(fk.Columns), p.id(fk.RefTable), p.ids(fk.RefColumns))
	if fk.OnDelete != "" {
		s += " ON DELETE " + fk.OnDelete
	}
	if fk.OnUpdate != "" {
		s += " ON UPDATE " + fk.OnUpdate
	}
	return s
}
