package wren

import (
	"fmt"
	"reflect"

	"github.com/wrensql/wren/dialect"
)

// TableSchema describes a table: as a descriptor declares it ([Describe]),
// or as a database has it (package schema's Inspect reads one from the
// catalog). Names are the names in the database.
type TableSchema struct {
	Name        string
	Columns     []ColumnSchema
	PrimaryKey  []string // in key order; empty when there is none
	Indexes     []IndexSchema
	ForeignKeys []ForeignKeySchema
}

// ColumnSchema describes one column of a [TableSchema].
type ColumnSchema struct {
	Name string
	// Field and GoType are the descriptor's field and the T of its
	// Column[T]; empty for a column read from a database.
	Field  string
	GoType reflect.Type
	// Type is the column's SQL type for the dialect, as CREATE TABLE
	// writes it, without the auto-increment part (which is Auto).
	Type       string
	Nullable   bool
	Auto       bool   // the database generates its values (identity, AUTO_INCREMENT, AUTOINCREMENT)
	Default    string // DEFAULT's SQL text, when HasDefault
	HasDefault bool
}

// IndexSchema describes an index or a unique constraint.
type IndexSchema struct {
	// Name is the index's name. A unique constraint declared by a tag
	// (unique, unique=a+b) has none: the database names it.
	Name    string
	Columns []string
	Unique  bool
	// Constraint marks a UNIQUE constraint of CREATE TABLE, as opposed to
	// an index made by CREATE INDEX. (MySQL and MariaDB do not tell them
	// apart: a unique index named like its first column counts as one.)
	Constraint bool
	Where      string // a partial index's condition
}

// ForeignKeySchema describes a foreign key.
type ForeignKeySchema struct {
	Name       string // the constraint's name in the database; "" when declared
	Columns    []string
	RefTable   string
	RefColumns []string
	OnDelete   string // CASCADE, SET NULL, SET DEFAULT, RESTRICT; "" for NO ACTION
	OnUpdate   string
}

// Describe returns what the descriptor t declares, with column types as
// [CreateTable] writes them for d: the description package schema compares
// with a live database, and generates and migrates from. It fails for a nil
// or derived table, and for a column whose Go type has no column type.
func Describe(t TableLike, d *dialect.Dialect) (TableSchema, error) {
	ti := infoOf(t)
	switch {
	case ti == nil:
		return TableSchema{}, fmt.Errorf("wren.Describe: a nil or uninitialised table descriptor")
	case ti.err != nil:
		return TableSchema{}, ti.err
	case ti.src != nil:
		return TableSchema{}, fmt.Errorf("wren.Describe(%s): a derived table has no schema", ti.ref())
	case d == nil:
		return TableSchema{}, errNoDialect
	}
	ts := TableSchema{Name: ti.name, PrimaryKey: ti.opts.pk}
	keyed := ti.keyColumns()
	for _, c := range ti.cols {
		o := c.opts
		typ, nullable, err := goColumnType(c.typ)
		cs := ColumnSchema{Name: c.name, Field: c.field, GoType: c.typ, Nullable: nullable || o.null,
			Auto: o.auto, Default: o.dflt, HasDefault: o.hasDefault}
		switch {
		case o.sqlType != "":
			cs.Type = o.sqlType
		case err != nil:
			return TableSchema{}, fmt.Errorf("wren.Describe(%s): column %s (field %s): %v", ti.name, c.name, c.field, err)
		default:
			cs.Type = d.ColumnType(typ, o.size, keyed[c.name])
		}
		if o.auto && d.InlineAutoKey() {
			cs.Nullable = false
		}
		ts.Columns = append(ts.Columns, cs)
		if o.pk {
			ts.PrimaryKey = append(ts.PrimaryKey, c.name)
		}
		if o.unique {
			ts.Indexes = append(ts.Indexes, IndexSchema{Columns: []string{c.name}, Unique: true, Constraint: true})
		}
		if o.refTable != "" {
			ts.ForeignKeys = append(ts.ForeignKeys, ForeignKeySchema{Columns: []string{c.name},
				RefTable: o.refTable, RefColumns: []string{o.refColumn}, OnDelete: o.onDelete, OnUpdate: o.onUpdate})
		}
	}
	for _, u := range ti.opts.uniques {
		ts.Indexes = append(ts.Indexes, IndexSchema{Columns: u, Unique: true, Constraint: true})
	}
	for _, ix := range CreateIndexes(t) {
		name := ix.name
		if name == "" {
			name = defaultIndexName(ti.name, ix.cols)
		}
		ts.Indexes = append(ts.Indexes, IndexSchema{Name: name, Columns: ix.cols, Unique: ix.unique, Where: ix.where})
	}
	return ts, nil
}

// keyColumns names the columns that are part of a key, a unique constraint,
// an index or a foreign key: on MySQL a string there cannot be TEXT.
func (ti *tableInfo) keyColumns() map[string]bool {
	keyed := map[string]bool{}
	for _, ix := range append(append([][]string{ti.opts.pk}, ti.opts.indexes...), ti.opts.uniques...) {
		for _, c := range ix {
			keyed[c] = true
		}
	}
	for _, ix := range ti.opts.named {
		for _, c := range ix.cols {
			keyed[c] = true
		}
	}
	for _, c := range ti.cols {
		if o := c.opts; o.pk || o.unique || o.index || o.refTable != "" {
			keyed[c.name] = true
		}
	}
	return keyed
}

// DefaultIndexName is the name wren gives an index declared without one
// (the index tag options, and [Index] with an empty name):
// idx_<table>_<col>_<col>…
func DefaultIndexName(table string, columns ...string) string {
	return defaultIndexName(table, columns)
}
