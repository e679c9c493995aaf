package wren

import (
	"errors"
	"fmt"
	"reflect"
	satomic "sync/atomic"

	"github.com/wrensql/wren/scan"
)

// Table is embedded in every table descriptor. It carries the table's name,
// its alias (see [Alias]) and its columns in declaration order.
//
//	type UserTable struct {
//		wren.Table
//		ID       wren.Column[int64] `wren:",pk"`
//		Username wren.Column[string]
//	}
//
//	var Users = wren.NewTable[UserTable]("users")
type Table struct{ t *tableInfo }

// tableInfo is the shared description of one table, or of one alias of it.
type tableInfo struct {
	name   string
	alias  string
	goName string // the descriptor's Go type, for error messages
	cols   []*colInfo
	opts   tableOptions
	// src, when set, makes this a derived table: a subquery or a CTE.
	src Expression
	// search is the table's full-text index, declared by FullText.
	search *FullTextIndex
	// err, when set, fails every statement that uses the table: a
	// descriptor made from bad input (Alias of nil, an empty alias, a
	// Derived whose columns disagree with its query).
	err error
	// selectList is the list of every column, unqualified, as the last
	// dialect wrote it (see Table.appendSelect).
	selectList satomic.Pointer[dialectText]
	// quoted is the table's name as the last dialect quoted it (see
	// appendName).
	quoted satomic.Pointer[dialectText]
	// keys are the columns that identify a row, found on first use (see
	// tableInfo.rowKeys).
	keys satomic.Pointer[rowKeys]
	// lastRows is the row map rowMapFor found last for the table, looked
	// at before the map of every table's (whose struct key hashes slowly).
	lastRows satomic.Pointer[rowMap]
	// selects are the shapes of plain SELECTs kept (see keptSelect), and
	// selectsMissed counts the queries that fitted none once all were
	// taken.
	selects       [keptSelects]satomic.Pointer[keptSelect]
	selectsMissed satomic.Uint32
	// updates are the shapes of plain UPDATEs kept (see keptUpdate).
	updates       [keptUpdates]satomic.Pointer[keptUpdate]
	updatesMissed satomic.Uint32
}

// rowKeys are the columns of a table whose values identify one row: those
// of the primary key (declared on the columns or on the table), and each
// unique column.
type rowKeys struct{ pk, unique []*colInfo }

// rowKeys returns t's key columns. A descriptor does not change once
// declared, so they are found once.
func (t *tableInfo) rowKeys() *rowKeys {
	if k := t.keys.Load(); k != nil {
		return k
	}
	k := &rowKeys{}
	for _, c := range t.cols {
		if c.opts.unique {
			k.unique = append(k.unique, c)
		}
		if isPK(c) {
			k.pk = append(k.pk, c)
		}
	}
	t.keys.Store(k)
	return k
}

// appendName writes the table's name, quoted, keeping the quoted text for
// the next statement of the same dialect.
func (t *tableInfo) appendName(r *renderer) { r.keptIdent(&t.quoted, roleTable, t.name) }

// ref is the name columns are qualified by: the alias, or else the name.
func (t *tableInfo) ref() string {
	if t.alias != "" {
		return t.alias
	}
	return t.name
}

// TableName returns the table's name in the database.
func (t Table) TableName() string {
	if t.t == nil {
		return ""
	}
	return t.t.name
}

// TableAlias returns the alias the descriptor was made with by [Alias], or "".
func (t Table) TableAlias() string {
	if t.t == nil {
		return ""
	}
	return t.t.alias
}

func (t Table) info() *tableInfo { return t.t }

// TableLike is implemented by every table descriptor (any struct embedding
// [Table]), and by derived tables such as aliased subqueries and CTEs.
type TableLike interface {
	info() *tableInfo
}

// columnBinder is implemented by *Column[T]; NewTable uses it to fill in the
// columns of a descriptor.
type columnBinder interface {
	bindColumn(ci *colInfo)
	goType() reflect.Type
}

var (
	tableType        = reflect.TypeFor[Table]()
	columnBinderType = reflect.TypeFor[columnBinder]()
)

// NewTable returns a descriptor for the table name. T must be a struct that
// embeds [Table]; each of its exported [Column] fields becomes a column, named
// by the field's snake_case name or by the first part of its `wren` tag.
//
// The tag's options, after the name, are comma-separated; a comma inside
// parentheses or single quotes does not separate (type=NUMERIC(12,2),
// default='a,b'):
//
//	pk                    part of the primary key
//	auto                  auto-increment (the default for a lone integer pk; "noauto" turns it off);
//	                      on a UUID key (the default for a lone one), a key the database generates
//	unique                UNIQUE
//	null                  nullable (pointer and sql.Null[T] columns are nullable without it)
//	index                 a single-column index
//	size=N                VARCHAR(N) for a string column
//	type=SQL              the column type, written as given, in DDL ('…' quotes are dropped)
//	type.DIALECT=SQL      the column type on one dialect: postgres, mysql (MySQL and MariaDB),
//	                      mariadb or sqlite; it wins over type=
//	default=SQL           DEFAULT, written as given
//	references=table.col  a foreign key
//	ondelete=ACTION       CASCADE, SET NULL, RESTRICT, NO ACTION or SET DEFAULT
//	onupdate=ACTION       the same, for ON UPDATE
//	omitzero              Insert's Rows and Create leave the column out when the
//	                      field is zero, so the database's DEFAULT applies; Create
//	                      reads the value it generated back into the struct
//	autoupdate            a time column that SetRow sets to CURRENT_TIMESTAMP, and
//	                      Rows and Create set to it when the field is zero
//
// Named and partial indexes are declared by options after the name (see
// [Index] and [UniqueIndex]):
//
//	var Users = wren.NewTable[UserTable]("users",
//		wren.Index("users_active_email", "email").Where("deleted_at IS NULL"))
//
// NewTable is meant for package-level declarations: a descriptor that is not a
// struct embedding Table, or a malformed tag or option, panics with a message
// naming the struct and the field.
func NewTable[T any](name string, opts ...TableOption) *T {
	p := new(T)
	v := reflect.ValueOf(p).Elem()
	ti := &tableInfo{name: name, goName: v.Type().String()}
	if err := bindTable(v, ti, nil); err != nil {
		panic(err.Error())
	}
	if name == "" {
		panic(fmt.Sprintf("wren.NewTable[%s]: empty table name", ti.goName))
	}
	for _, o := range opts {
		if err := o.applyTable(ti); err != nil {
			panic(fmt.Sprintf("wren.NewTable[%s]: %v", ti.goName, err))
		}
	}
	if err := checkReferences(ti); err != nil {
		panic(err.Error())
	}
	return p
}

// bindTable fills in the Table and Column fields of v (a struct) from ti.
// With proto nil the columns are read from v's type and tags; otherwise the
// columns are copies of proto's, for an alias.
func bindTable(v reflect.Value, ti *tableInfo, proto *tableInfo) error {
	typ := v.Type()
	if typ.Kind() != reflect.Struct {
		return fmt.Errorf("wren.NewTable[%s]: a table descriptor must be a struct embedding wren.Table", typ)
	}
	found := false
	n := 0
	for i := 0; i < typ.NumField(); i++ {
		f := typ.Field(i)
		if f.Anonymous && f.Type == tableType {
			v.Field(i).Addr().Interface().(*Table).t = ti
			found = true
			if proto == nil {
				opts, err := parseTableTag(f.Tag.Get("wren"))
				if err != nil {
					return fmt.Errorf("wren.NewTable[%s]: embedded Table: %v", typ, err)
				}
				ti.opts = opts
			}
			continue
		}
		if !reflect.PointerTo(f.Type).Implements(columnBinderType) {
			continue
		}
		if !f.IsExported() {
			return fmt.Errorf("wren.NewTable[%s]: column field %s must be exported", typ, f.Name)
		}
		binder := v.Field(i).Addr().Interface().(columnBinder)
		var ci *colInfo
		if proto != nil {
			ci = proto.cols[n].clone()
		} else {
			opts, err := parseColumnTag(f.Tag.Get("wren"))
			if err != nil {
				return fmt.Errorf("wren.NewTable[%s]: field %s: %v", typ, f.Name, err)
			}
			ci = &colInfo{name: opts.name, field: f.Name, typ: binder.goType(), opts: opts}
			if ci.name == "" {
				ci.name = scan.SnakeCase(f.Name)
			}
		}
		ci.table = ti
		ci.pos = len(ti.cols)
		ci.self.Expression = ci
		binder.bindColumn(ci)
		ti.cols = append(ti.cols, ci)
		n++
	}
	if !found {
		return fmt.Errorf("wren.NewTable[%s]: the struct must embed wren.Table", typ)
	}
	if proto == nil {
		for _, ci := range ti.cols {
			for _, o := range ti.cols {
				if o != ci && o.name == ci.name {
					return fmt.Errorf("wren.NewTable[%s]: fields %s and %s both name column %q", typ, ci.field, o.field, ci.name)
				}
			}
		}
		finishColumnOptions(ti)
	}
	return nil
}

// Alias returns a second descriptor for the same table whose columns are
// qualified by alias, for self-joins and for using one table twice:
//
//	var Followers = wren.Alias(Users, "followers")
//
// Alias of a nil descriptor, or with an empty alias (input that came out
// empty), returns a descriptor that fails every statement using it with an
// error saying so. A T that is not a table descriptor at all panics.
func Alias[T any](t *T, alias string) *T {
	tl, ok := any(t).(TableLike)
	if !ok {
		panic(fmt.Sprintf("wren.Alias: %T is not a table descriptor made by wren.NewTable", t))
	}
	proto := infoOf(tl)
	switch {
	case proto == nil:
		return badAlias[T](fmt.Errorf("wren.Alias(nil %T, %q): the table descriptor is nil", t, alias))
	case alias == "":
		return badAlias[T](fmt.Errorf("wren.Alias(%s, \"\"): empty alias", proto.name))
	}
	p := new(T)
	ti := &tableInfo{name: proto.name, alias: alias, goName: proto.goName, opts: proto.opts, src: proto.src}
	if err := bindTable(reflect.ValueOf(p).Elem(), ti, proto); err != nil {
		panic(err.Error())
	}
	return p
}

// badAlias is a descriptor of T that fails every statement using it with
// err.
func badAlias[T any](err error) *T {
	p := new(T)
	ti := &tableInfo{name: "?", err: err}
	if e := bindTable(reflect.ValueOf(p).Elem(), ti, nil); e != nil {
		ti.err = errors.Join(err, e)
	}
	return p
}

// appendSelect selects every column of the table, in declaration order.
func (t Table) appendSelect(r *renderer) {
	if t.t == nil {
		r.fail("wren: a table descriptor was used before wren.NewTable initialised it")
		return
	}
	if t.t.err != nil {
		r.fail("%w", t.t.err)
		return
	}
	if len(t.t.cols) > 0 && r.inScope(t.t) && !r.qualifies() {
		// Unqualified, the list is the same every time.
		if r.appendKept(&t.t.selectList) {
			return
		}
		start := len(r.buf)
		t.appendCols(r)
		r.keep(&t.t.selectList, start)
		return
	}
	t.appendCols(r)
}

func (t Table) appendCols(r *renderer) {
	for i, c := range t.t.cols {
		if i > 0 {
			r.buf = append(r.buf, ", "...)
		}
		c.appendSQL(r)
	}
}

func (t Table) appendResultCols(dst []scan.Column) []scan.Column {
	if t.t == nil {
		return dst
	}
	for _, c := range t.t.cols {
		dst = append(dst, scan.Column{Table: t.t.ref(), Name: c.name, Type: c.typ})
	}
	return dst
}

// appendFrom writes the table as a FROM or JOIN source: its name and alias,
// or a derived table's subquery.
func (ti *tableInfo) appendFrom(r *renderer) {
	if ti == nil {
		r.fail("wren: a nil table descriptor, or one used before wren.NewTable initialised it")
		return
	}
	if ti.err != nil {
		r.fail("%w", ti.err)
		return
	}
	if vs, ok := ti.src.(*valuesSrc); ok {
		vs.appendFrom(r, ti)
		return
	}
	if ti.src != nil {
		if ds, ok := ti.src.(derivedSrc); ok && !ds.check(r, ti) {
			return
		}
		r.buf = append(r.buf, '(')
		ti.src.appendSQL(r)
		r.buf = append(r.buf, ") AS "...)
		r.tableRef(ti)
		return
	}
	ti.appendName(r)
	if ti.alias != "" {
		r.buf = append(r.buf, " AS "...)
		r.ident(roleTableAlias, ti.alias)
	}
}
