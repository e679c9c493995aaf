package wren

import (
	"fmt"
	"reflect"
	"strconv"
	"strings"
	satomic "sync/atomic"

	"github.com/wrensql/wren/dialect"
)

// Column is a typed column of a table descriptor. T is the Go type of its
// values: predicates and assignments take a T, so comparing a Column[int64]
// with a string does not compile.
//
// A Column has every method of [Expr]: comparisons (Eq, Lt, In, Between, …),
// arithmetic (Add, Sub, …), ordering (Asc, Desc) and aliasing (As).
type Column[T any] struct {
	Expr[T]
}

// colInfo describes one column of one table (or alias).
type colInfo struct {
	self  node // boxes the column itself as an Expression
	table *tableInfo
	name  string
	field string       // Go field name in the descriptor
	typ   reflect.Type // Go type T of Column[T]
	opts  columnOptions
	pos   int // index in table.cols
	// quoted is the name as the last dialect quoted it (see appendName).
	quoted satomic.Pointer[dialectText]
}

// clone returns a copy of c's description, for another table (an alias).
func (c *colInfo) clone() *colInfo {
	return &colInfo{self: c.self, table: c.table, name: c.name, field: c.field, typ: c.typ, opts: c.opts, pos: c.pos}
}

func (c *Column[T]) bindColumn(ci *colInfo) { c.Expr = Expr[T]{n: &ci.self} }

func (c *Column[T]) goType() reflect.Type { return reflect.TypeFor[T]() }

// info returns the column's description, or nil for a zero Column.
func (c Column[T]) info() *colInfo {
	if c.n == nil {
		return nil
	}
	ci, _ := c.n.Expression.(*colInfo)
	return ci
}

// Name returns the column's name in the database.
func (c Column[T]) Name() string {
	if ci := c.info(); ci != nil {
		return ci.name
	}
	return ""
}

// appendSQL writes the column, qualified by its table or alias. A statement
// that reads one table and nothing else writes bare names: they cannot be
// ambiguous there, and shorter text is faster for the server to parse.
func (c *colInfo) appendSQL(r *renderer) {
	if c.table.err != nil {
		r.fail("%w", c.table.err)
		return
	}
	if !r.inScope(c.table) {
		r.fail("wren: column %s.%s is used, but table %s is not in FROM or a JOIN of the query", c.table.ref(), c.name, c.table.ref())
		return
	}
	if r.qualifies() {
		r.tableRef(c.table)
		r.buf = append(r.buf, '.')
	}
	c.appendName(r)
}

// appendName writes the column's name, unqualified, as r's dialect
// quotes it: from the text kept in c when that dialect wrote it last. A
// name that fails renderer.ident's checks is never kept, and fails every
// time.
func (c *colInfo) appendName(r *renderer) { r.keptIdent(&c.quoted, roleColumn, c.name) }

// columnOptions are the facts a `wren` tag states about a column.
type columnOptions struct {
	name       string
	pk         bool
	auto       bool
	noAuto     bool
	unique     bool
	null       bool
	index      bool
	size       int
	sqlType    string
	dflt       string
	hasDefault bool
	refTable   string
	refColumn  string
	onDelete   string
	onUpdate   string
	omitZero   bool // INSERT leaves the column out when its field is zero
	autoUpdate bool // SetRow writes CURRENT_TIMESTAMP; a zero field is CURRENT_TIMESTAMP on INSERT
	// dialectTypes holds the type.<dialect>= overrides, by dialect name.
	dialectTypes map[string]string
}

// tableOptions are the facts the tag on the embedded Table states: composite
// keys and multi-column indexes, each a list of column names joined by "+".
type tableOptions struct {
	pk      []string
	indexes [][]string
	uniques [][]string
	named   []IndexDecl // declared by NewTable's options (index.go)
}

var fkActions = map[string]string{
	"cascade": "CASCADE", "set null": "SET NULL", "setnull": "SET NULL", "restrict": "RESTRICT",
	"no action": "NO ACTION", "noaction": "NO ACTION", "set default": "SET DEFAULT", "setdefault": "SET DEFAULT",
}

func parseColumnTag(tag string) (columnOptions, error) {
	var o columnOptions
	if tag == "" {
		return o, nil
	}
	// The name, first, ends at the first comma whatever it holds (a column
	// name may have quotes and parentheses); the options after it are split
	// with parentheses and quotes in mind.
	name, opts, _ := strings.Cut(tag, ",")
	parts, err := splitTag(opts)
	if err != nil {
		return o, fmt.Errorf("%w (in %q)", err, tag)
	}
	parts = append([]string{name}, parts...)
	if opts == "" {
		parts = parts[:1]
	}
	o.name = strings.TrimSpace(parts[0])
	if strings.ContainsRune(o.name, 0) {
		return o, fmt.Errorf("column name %q contains NUL", o.name)
	}
	for _, p := range parts[1:] {
		key, val, hasVal := strings.Cut(strings.TrimSpace(p), "=")
		key = strings.ToLower(strings.TrimSpace(key))
		flag := func() error {
			if hasVal {
				return fmt.Errorf("tag option %q takes no value", key)
			}
			return nil
		}
		value := func() error {
			if !hasVal || val == "" {
				return fmt.Errorf("tag option %q needs a value (%s=…)", key, key)
			}
			return nil
		}
		var err error
		switch key {
		case "pk":
			o.pk, err = true, flag()
		case "auto":
			o.auto, err = true, flag()
		case "noauto":
			o.noAuto, err = true, flag()
		case "unique":
			o.unique, err = true, flag()
		case "null":
			o.null, err = true, flag()
		case "index":
			o.index, err = true, flag()
		case "size":
			if err = value(); err == nil {
				o.size, err = strconv.Atoi(val)
				if err != nil || o.size <= 0 {
					err = fmt.Errorf("tag option size=%q is not a positive number", val)
				}
			}
		case "type":
			o.sqlType, err = sqlTypeValue(val), value()
		case "default":
			o.dflt, o.hasDefault, err = val, true, value()
		case "references":
			if err = value(); err == nil {
				t, c, ok := strings.Cut(val, ".")
				if !ok || t == "" || c == "" {
					err = fmt.Errorf("tag option references=%q must be table.column", val)
				}
				o.refTable, o.refColumn = t, c
			}
		case "ondelete", "onupdate":
			if err = value(); err == nil {
				a, ok := fkActions[strings.ToLower(val)]
				if !ok {
					err = fmt.Errorf("tag option %s=%q: want cascade, set null, restrict, no action or set default", key, val)
				}
				if key == "ondelete" {
					o.onDelete = a
				} else {
					o.onUpdate = a
				}
			}
		case "omitzero":
			o.omitZero, err = true, flag()
		case "autoupdate":
			o.autoUpdate, err = true, flag()
		case "":
			err = fmt.Errorf("empty tag option in %q", tag)
		default:
			if dn, ok := strings.CutPrefix(key, "type."); ok {
				err = o.setDialectType(dn, val, value())
				break
			}
			err = fmt.Errorf("unknown tag option %q in %q", key, tag)
		}
		if err != nil {
			return o, err
		}
	}
	if o.auto && o.noAuto {
		return o, fmt.Errorf("tag %q says both auto and noauto", tag)
	}
	if (o.onDelete != "" || o.onUpdate != "") && o.refTable == "" {
		return o, fmt.Errorf("tag %q has ondelete/onupdate without references=table.column", tag)
	}
	return o, nil
}

// splitTag splits a tag at its commas, except those inside parentheses or
// single quotes, so that an option's value can hold any SQL type or
// expression: type=NUMERIC(12,2), type=ENUM('a','b'), default='a,b'.
// A quote inside quotes is doubled, as in SQL. Unbalanced parentheses or
// quotes are an error naming the tag.
func splitTag(tag string) ([]string, error) {
	var parts []string
	depth, quoted, start := 0, false, 0
	for i := 0; i < len(tag); i++ {
		switch c := tag[i]; {
		case c == '\'':
			quoted = !quoted // a doubled quote toggles twice
		case quoted:
		case c == '(':
			depth++
		case c == ')':
			if depth--; depth < 0 {
				return nil, fmt.Errorf("tag options %q close a parenthesis they did not open", tag)
			}
		case c == ',' && depth == 0:
			parts = append(parts, tag[start:i])
			start = i + 1
		}
	}
	switch {
	case quoted:
		return nil, fmt.Errorf("tag options %q have an unclosed quote", tag)
	case depth > 0:
		return nil, fmt.Errorf("tag options %q have an unclosed parenthesis", tag)
	}
	return append(parts, tag[start:]), nil
}

// sqlTypeValue is a type= value as written in DDL: a type wholly in single
// quotes ('DECIMAL(10,2)', quoted to protect its comma) loses the quotes,
// since no column type is a string literal.
func sqlTypeValue(v string) string {
	v = strings.TrimSpace(v)
	if len(v) >= 2 && v[0] == '\'' && v[len(v)-1] == '\'' && !strings.Contains(v[1:len(v)-1], "'") {
		return v[1 : len(v)-1]
	}
	return v
}

// setDialectType records type.<dialect>=SQL, the column's type on one
// dialect (see [dialect.ByName] for the names).
func (o *columnOptions) setDialectType(name, val string, err error) error {
	if err != nil {
		return err
	}
	d, ok := dialect.ByName(name)
	if !ok {
		return fmt.Errorf("tag option type.%s=…: unknown dialect %q (want postgres, mysql, mariadb or sqlite)", name, name)
	}
	if o.dialectTypes == nil {
		o.dialectTypes = map[string]string{}
	}
	if _, dup := o.dialectTypes[d.Name()]; dup {
		return fmt.Errorf("tag option type.%s= is given twice", name)
	}
	o.dialectTypes[d.Name()] = sqlTypeValue(val)
	return nil
}

// typeFor returns the column's declared SQL type on d: its type.<dialect>=
// override (MariaDB also takes MySQL's), else its type=, else "".
func (o *columnOptions) typeFor(d *dialect.Dialect) string {
	for _, n := range d.TypeNames() {
		if t, ok := o.dialectTypes[n]; ok {
			return t
		}
	}
	return o.sqlType
}

func parseTableTag(tag string) (tableOptions, error) {
	var o tableOptions
	if tag == "" {
		return o, nil
	}
	parts, err := splitTag(tag)
	if err != nil {
		return o, err
	}
	for _, p := range parts {
		key, val, _ := strings.Cut(strings.TrimSpace(p), "=")
		var cols []string
		for _, c := range strings.Split(val, "+") {
			if c = strings.TrimSpace(c); c == "" {
				return o, fmt.Errorf("tag option %q: want column names joined by +", p)
			}
			cols = append(cols, c)
		}
		switch strings.ToLower(key) {
		case "pk":
			if o.pk != nil {
				return o, fmt.Errorf("tag %q names the primary key twice", tag)
			}
			o.pk = cols
		case "index":
			o.indexes = append(o.indexes, cols)
		case "unique":
			o.uniques = append(o.uniques, cols)
		default:
			return o, fmt.Errorf("unknown table tag option %q (want pk=, index= or unique=)", key)
		}
	}
	return o, nil
}

// finishColumnOptions checks the table-level options against the columns
// and settles which integer key auto-increments.
func finishColumnOptions(ti *tableInfo) {
	var pks []*colInfo
	for _, c := range ti.cols {
		if c.opts.pk {
			pks = append(pks, c)
		}
	}
	if len(pks) == 1 && len(ti.opts.pk) == 0 && !pks[0].opts.noAuto && (isIntegerType(pks[0].typ) || isUUIDType(pks[0].typ)) {
		pks[0].opts.auto = true
	}
	check := func(names []string) {
		for _, n := range names {
			if ti.column(n) == nil {
				panic(fmt.Sprintf("wren.NewTable[%s]: embedded Table tag names column %q, which the table does not have", ti.goName, n))
			}
		}
	}
	check(ti.opts.pk)
	checkWriteOptions(ti)
	for _, ix := range ti.opts.indexes {
		check(ix)
	}
	for _, ix := range ti.opts.uniques {
		check(ix)
	}
}

func (t *tableInfo) column(name string) *colInfo {
	for _, c := range t.cols {
		if c.name == name {
			return c
		}
	}
	return nil
}

func isIntegerType(t reflect.Type) bool {
	switch t.Kind() {
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return true
	}
	return false
}
