package wren

import (
	"fmt"
	"strings"
)

// TableOption is an option of [NewTable] that the struct tags cannot say:
// a named or a partial index ([Index], [UniqueIndex]).
type TableOption interface {
	applyTable(ti *tableInfo) error
}

// IndexDecl declares an index of a table by name, as an option of
// [NewTable]. Make one with [Index] or [UniqueIndex]; Where makes it a
// partial index.
type IndexDecl struct {
	name   string
	cols   []string
	unique bool
	where  string
}

// Index declares an index named name on columns (their names in the
// database, in order). An empty name gets wren's default,
// idx_<table>_<col>_<col>…
func Index(name string, columns ...string) IndexDecl {
	return IndexDecl{name: name, cols: columns}
}

// UniqueIndex declares a unique index named name on columns. Unlike the
// unique tag option, which is a constraint in CREATE TABLE, it is created
// by its own CREATE UNIQUE INDEX, and can be partial.
func UniqueIndex(name string, columns ...string) IndexDecl {
	return IndexDecl{name: name, cols: columns, unique: true}
}

// Where makes the index partial: it covers the rows for which cond, a SQL
// condition written as given (like the default= tag option), holds.
// PostgreSQL and SQLite have partial indexes; rendering one for MySQL or
// MariaDB fails with [ErrUnsupported].
func (ix IndexDecl) Where(cond string) IndexDecl { ix.where = cond; return ix }

// nameFor is the index's name: the one it was declared with, or wren's
// default for table.
func (ix IndexDecl) nameFor(table string) string {
	if ix.name != "" {
		return ix.name
	}
	return defaultIndexName(table, ix.cols)
}

// defaultIndexName is the name wren gives an index the declaration does
// not name.
func defaultIndexName(table string, cols []string) string {
	return "idx_" + table + "_" + strings.Join(cols, "_")
}

func (ix IndexDecl) applyTable(ti *tableInfo) error {
	what := "index"
	if ix.unique {
		what = "unique index"
	}
	if len(ix.cols) == 0 {
		return fmt.Errorf("%s %q names no column", what, ix.name)
	}
	for _, c := range ix.cols {
		if ti.column(c) == nil {
			return fmt.Errorf("%s %q names column %q, which the table does not have", what, ix.name, c)
		}
	}
	if strings.ContainsRune(ix.where, 0) {
		return fmt.Errorf("%s %q: WHERE contains NUL", what, ix.name)
	}
	name := ix.nameFor(ti.name)
	for _, o := range ti.opts.named {
		if o.nameFor(ti.name) == name {
			return fmt.Errorf("two indexes are named %q", name)
		}
	}
	ix.cols = append([]string(nil), ix.cols...)
	ti.opts.named = append(ti.opts.named, ix)
	return nil
}
