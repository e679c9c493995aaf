package schema

import (
	"context"
	"fmt"
	"regexp"
	"slices"
	"strings"

	"github.com/wrensql/wren"
	"github.com/wrensql/wren/dialect"
)

// Kind names a kind of [Difference].
type Kind string

// The kinds of difference Verify reports. "Missing" means declared but not
// in the database; "Extra" means in the database but not declared.
const (
	MissingTable      Kind = "missing table"
	MissingColumn     Kind = "missing column"
	ExtraColumn       Kind = "extra column"
	ColumnType        Kind = "column type"
	ColumnNullability Kind = "nullability"
	ColumnDefault     Kind = "default"
	ColumnAuto        Kind = "auto-increment"
	PrimaryKey        Kind = "primary key"
	MissingIndex      Kind = "missing index"
	ExtraIndex        Kind = "extra index"
	IndexDefinition   Kind = "index definition"
	MissingForeignKey Kind = "missing foreign key"
	ExtraForeignKey   Kind = "extra foreign key"
	ForeignKeyChange  Kind = "foreign key definition"
)

// Difference is one way a declaration and the live schema disagree. Want
// and Got are short descriptions of the declared and the live side; the
// Declared… and Live… fields carry the objects themselves, for package
// migrate to turn into statements.
type Difference struct {
	Kind   Kind
	Table  string
	Column string // for column kinds
	Index  string // for index kinds: the index's name
	Want   string
	Got    string

	Decl       wren.TableLike // the descriptor (every kind)
	DeclTable  *wren.TableSchema
	LiveTable  *wren.TableSchema // nil for MissingTable
	DeclColumn *wren.ColumnSchema
	LiveColumn *wren.ColumnSchema
	DeclIndex  *wren.IndexSchema
	LiveIndex  *wren.IndexSchema
	DeclFK     *wren.ForeignKeySchema
	LiveFK     *wren.ForeignKeySchema
}

// String describes the difference in one line.
func (d Difference) String() string {
	where := d.Table
	if d.Column != "" {
		where += "." + d.Column
	}
	if d.Index != "" {
		where += " index " + d.Index
	}
	switch {
	case d.Want != "" && d.Got != "":
		return fmt.Sprintf("%s: %s: declared %s, database has %s", where, d.Kind, d.Want, d.Got)
	case d.Want != "":
		return fmt.Sprintf("%s: %s: declared %s", where, d.Kind, d.Want)
	case d.Got != "":
		return fmt.Sprintf("%s: %s: database has %s", where, d.Kind, d.Got)
	}
	return fmt.Sprintf("%s: %s", where, d.Kind)
}

// Verify compares the declarations of tables with db's live schema and
// returns every difference: a missing table or column, a column of another
// type, nullability, default or auto-increment, another primary key, a
// missing, extra or different index, unique constraint or foreign key. An
// empty list means the declarations match. Tables of the database that are
// not among tables are not reported (a database holds more than one
// program's tables).
//
// Use it at startup (fail when the list is not empty) or in a test; package
// migrate turns the list into statements.
func Verify(ctx context.Context, db wren.Querier, tables ...wren.TableLike) ([]Difference, error) {
	d := db.Dialect()
	live, err := Inspect(ctx, db, Filter{})
	if err != nil {
		return nil, err
	}
	return Compare(d, live, tables...)
}

// Compare is Verify against a schema read before.
func Compare(d *dialect.Dialect, live *Database, tables ...wren.TableLike) ([]Difference, error) {
	var out []Difference
	for _, tl := range tables {
		decl, err := wren.Describe(tl, d)
		if err != nil {
			return nil, err
		}
		lt := live.Table(decl.Name)
		if lt == nil {
			out = append(out, Difference{Kind: MissingTable, Table: decl.Name, Decl: tl, DeclTable: &decl})
			continue
		}
		out = append(out, compareTable(d, tl, &decl, lt)...)
	}
	return out, nil
}

func compareTable(d *dialect.Dialect, tl wren.TableLike, decl, lt *wren.TableSchema) []Difference {
	var out []Difference
	add := func(diff Difference) {
		diff.Table, diff.Decl, diff.DeclTable, diff.LiveTable = decl.Name, tl, decl, lt
		out = append(out, diff)
	}
	liveCols := map[string]*wren.ColumnSchema{}
	for i := range lt.Columns {
		liveCols[lt.Columns[i].Name] = &lt.Columns[i]
	}
	declared := map[string]bool{}
	for i := range decl.Columns {
		dc := &decl.Columns[i]
		declared[dc.Name] = true
		lc := liveCols[dc.Name]
		if lc == nil {
			add(Difference{Kind: MissingColumn, Column: dc.Name, Want: describeColumn(dc), DeclColumn: dc})
			continue
		}
		col := Difference{Column: dc.Name, DeclColumn: dc, LiveColumn: lc}
		if dt, lt := CanonicalType(d, dc.Type), CanonicalType(d, lc.Type); dt != lt {
			c := col
			c.Kind, c.Want, c.Got = ColumnType, dt, lt
			add(c)
		}
		if dc.Nullable != lc.Nullable {
			c := col
			c.Kind, c.Want, c.Got = ColumnNullability, nullWord(dc.Nullable), nullWord(lc.Nullable)
			add(c)
		}
		if dc.Auto != lc.Auto {
			c := col
			c.Kind, c.Want, c.Got = ColumnAuto, autoWord(dc.Auto), autoWord(lc.Auto)
			add(c)
		}
		if !dc.Auto && (dc.HasDefault != lc.HasDefault || dc.HasDefault && normDefault(d, dc.Default) != normDefault(d, lc.Default)) {
			c := col
			c.Kind, c.Want, c.Got = ColumnDefault, defaultWord(dc), defaultWord(lc)
			add(c)
		}
	}
	for i := range lt.Columns {
		if lc := &lt.Columns[i]; !declared[lc.Name] {
			add(Difference{Kind: ExtraColumn, Column: lc.Name, Got: describeColumn(lc), LiveColumn: lc})
		}
	}
	if !slices.Equal(decl.PrimaryKey, lt.PrimaryKey) {
		add(Difference{Kind: PrimaryKey, Want: list(decl.PrimaryKey), Got: list(lt.PrimaryKey)})
	}
	compareIndexes(add, decl, lt)
	compareForeignKeys(d, add, decl, lt)
	return out
}

func compareIndexes(add func(Difference), decl, lt *wren.TableSchema) {
	matched := make([]bool, len(lt.Indexes))
	find := func(ok func(*wren.IndexSchema) bool) *wren.IndexSchema {
		for i := range lt.Indexes {
			if !matched[i] && ok(&lt.Indexes[i]) {
				matched[i] = true
				return &lt.Indexes[i]
			}
		}
		return nil
	}
	// Named indexes first, by name; then unique constraints, by columns.
	for i := range decl.Indexes {
		di := &decl.Indexes[i]
		if di.Constraint {
			continue
		}
		li := find(func(li *wren.IndexSchema) bool { return li.Name == di.Name })
		if li == nil {
			add(Difference{Kind: MissingIndex, Index: di.Name, Want: describeIndex(di), DeclIndex: di})
			continue
		}
		if !slices.Equal(di.Columns, li.Columns) || di.Unique != li.Unique || normWhere(di.Where) != normWhere(li.Where) {
			add(Difference{Kind: IndexDefinition, Index: di.Name, Want: describeIndex(di), Got: describeIndex(li), DeclIndex: di, LiveIndex: li})
		}
	}
	for i := range decl.Indexes {
		di := &decl.Indexes[i]
		if !di.Constraint {
			continue
		}
		li := find(func(li *wren.IndexSchema) bool {
			return li.Unique && li.Where == "" && slices.Equal(li.Columns, di.Columns)
		})
		if li == nil {
			add(Difference{Kind: MissingIndex, Want: describeIndex(di), DeclIndex: di})
		}
	}
	for i := range lt.Indexes {
		if !matched[i] {
			li := &lt.Indexes[i]
			add(Difference{Kind: ExtraIndex, Index: li.Name, Got: describeIndex(li), LiveIndex: li})
		}
	}
}

func compareForeignKeys(d *dialect.Dialect, add func(Difference), decl, lt *wren.TableSchema) {
	matched := make([]bool, len(lt.ForeignKeys))
	for i := range decl.ForeignKeys {
		df := &decl.ForeignKeys[i]
		var lf *wren.ForeignKeySchema
		for j := range lt.ForeignKeys {
			if !matched[j] && slices.Equal(lt.ForeignKeys[j].Columns, df.Columns) {
				matched[j], lf = true, &lt.ForeignKeys[j]
				break
			}
		}
		switch {
		case lf == nil:
			add(Difference{Kind: MissingForeignKey, Column: list(df.Columns), Want: describeFK(df), DeclFK: df})
		case lf.RefTable != df.RefTable || !slices.Equal(lf.RefColumns, df.RefColumns) ||
			action(d, lf.OnDelete) != action(d, df.OnDelete) || action(d, lf.OnUpdate) != action(d, df.OnUpdate):
			add(Difference{Kind: ForeignKeyChange, Column: list(df.Columns), Want: describeFK(df), Got: describeFK(lf), DeclFK: df, LiveFK: lf})
		}
	}
	for j := range lt.ForeignKeys {
		if !matched[j] {
			lf := &lt.ForeignKeys[j]
			add(Difference{Kind: ExtraForeignKey, Column: list(lf.Columns), Got: describeFK(lf), LiveFK: lf})
		}
	}
}

// action is a foreign key action as d enforces it: InnoDB's RESTRICT is
// NO ACTION.
func action(d *dialect.Dialect, a string) string {
	if d.IsMySQLFamily() && a == "RESTRICT" {
		return ""
	}
	return a
}

func list(names []string) string { return "(" + strings.Join(names, ", ") + ")" }

func nullWord(null bool) string {
	if null {
		return "NULL"
	}
	return "NOT NULL"
}

func autoWord(auto bool) string {
	if auto {
		return "auto-increment"
	}
	return "no auto-increment"
}

func defaultWord(c *wren.ColumnSchema) string {
	if !c.HasDefault {
		return "no default"
	}
	return "DEFAULT " + c.Default
}

func describeColumn(c *wren.ColumnSchema) string {
	s := c.Type + " " + nullWord(c.Nullable)
	if c.Auto {
		s += " auto-increment"
	}
	if c.HasDefault {
		s += " DEFAULT " + c.Default
	}
	return s
}

func describeIndex(ix *wren.IndexSchema) string {
	s := "INDEX "
	if ix.Unique {
		s = "UNIQUE "
	}
	s += list(ix.Columns)
	if ix.Where != "" {
		s += " WHERE " + ix.Where
	}
	return s
}

func describeFK(fk *wren.ForeignKeySchema) string {
	s := list(fk.Columns) + " REFERENCES " + fk.RefTable + list(fk.RefColumns)
	if fk.OnDelete != "" {
		s += " ON DELETE " + fk.OnDelete
	}
	if fk.OnUpdate != "" {
		s += " ON UPDATE " + fk.OnUpdate
	}
	return s
}

var (
	casts    = regexp.MustCompile(`::[a-z_ ]+(\(\d+\))?`)
	unquoted = regexp.MustCompile(`[\s"` + "`" + `()]`)
)

// normDefault spells a default so that the declared text and the
// catalog's compare equal: without casts and parentheses, in lower case,
// with MySQL's and SQLite's booleans as 1 and 0.
func normDefault(d *dialect.Dialect, s string) string {
	s = strings.ToLower(stripParens(strings.TrimSpace(s)))
	s = casts.ReplaceAllString(s, "")
	s = strings.TrimSuffix(s, "()") // MariaDB: current_timestamp()
	if d != dialect.Postgres {
		switch s {
		case "true":
			return "1"
		case "false":
			return "0"
		}
	}
	if s == "now" {
		s = "current_timestamp"
	}
	return s
}

// normWhere spells a partial index's condition without the parentheses,
// casts, quotes and spaces PostgreSQL adds when it stores one.
func normWhere(s string) string {
	s = casts.ReplaceAllString(strings.ToLower(s), "")
	return unquoted.ReplaceAllString(s, "")
}
