package wren

import (
	"context"
	"fmt"
	"reflect"
	"strings"
	"sync"
	"unsafe"

	"github.com/wrensql/wren/dialect"
	"github.com/wrensql/wren/scan"
)

// Relation is a relation of rows of type P whose related rows [Prefetch]
// loads: made by [HasMany].
type Relation[P any] interface {
	prefetch(ctx context.Context, db Querier, parent *tableInfo, parents []*P) error
}

// Many is a one-to-many or (with Through) many-to-many relation from parent
// rows P to child rows C, made by [HasMany]. Like every builder it is a
// value: methods return a modified copy.
type Many[P, C any] struct {
	child   TableLike
	field   func(*P) *[]C
	fk      *colInfo // On, or Through's column holding the parent key
	through TableLike
	far     *colInfo // Through's column holding the child key
	where   []Predicate
	order   []Orderable
	nested  []Relation[C]
	err     error
}

// HasMany describes the rows of table child that belong to a P, to load
// with [Prefetch] into the slice field that field returns:
//
//	type Author struct {
//		ID    int64
//		Name  string
//		Posts []Post // filled by Prefetch
//	}
//
//	wren.HasMany(Posts, func(a *Author) *[]Post { return &a.Posts })
//
// The child's column that refers to the parent is found from the
// `references=table.column` declarations: the one column of child that
// references the parent's table. When there is none, or more than one,
// name it with On. Through makes it a many-to-many relation over a join
// table.
//
// A slice field is not a column: Insert's Rows, Create and the scanner
// leave fields of type []Struct alone, so one struct type serves for both.
func HasMany[P, C any](child TableLike, field func(*P) *[]C) Many[P, C] {
	m := Many[P, C]{child: child, field: field}
	switch {
	case infoOf(child) == nil:
		m.err = fmt.Errorf("wren: HasMany[%s, %s]: nil child table", typeName[P](), typeName[C]())
	case field == nil:
		m.err = fmt.Errorf("wren: HasMany[%s, %s]: nil field function", typeName[P](), typeName[C]())
	}
	return m
}

func typeName[T any]() string { return reflect.TypeFor[T]().String() }

// On names the column that holds the parent's key: a column of the child
// table, or of the join table after Through. Its references= declaration
// names the parent column; without one it is the parent's primary key.
func (m Many[P, C]) On(col ColumnRef) Many[P, C] {
	m.fk = colOf(col)
	if m.fk == nil {
		m.err = fmt.Errorf("wren: HasMany[%s, %s].On: nil column", typeName[P](), typeName[C]())
	}
	return m
}

// Through makes the relation many-to-many over the join table join, whose
// rows pair a parent with a child. Its two columns are found from their
// references= declarations; when both reference the same table (users
// following users), or a declaration is missing, name them: cols is the
// column holding the parent's key, then the one holding the child's.
func (m Many[P, C]) Through(join TableLike, cols ...ColumnRef) Many[P, C] {
	m.through = join
	switch {
	case infoOf(join) == nil:
		m.err = fmt.Errorf("wren: HasMany[%s, %s].Through: nil join table", typeName[P](), typeName[C]())
	case len(cols) == 2:
		m.fk, m.far = colOf(cols[0]), colOf(cols[1])
		if m.fk == nil || m.far == nil {
			m.err = fmt.Errorf("wren: HasMany[%s, %s].Through: nil column", typeName[P](), typeName[C]())
		}
	case len(cols) != 0:
		m.err = fmt.Errorf("wren: HasMany[%s, %s].Through(%s, …): give no columns, or two (the parent's side, then the child's), not %d",
			typeName[P](), typeName[C](), infoOf(join).name, len(cols))
	}
	return m
}

// Where adds conditions on the child rows (and the join table's), joined
// with AND.
func (m Many[P, C]) Where(conds ...Predicate) Many[P, C] {
	m.where = append(clip(m.where), conds...)
	return m
}

// OrderBy orders each parent's children.
func (m Many[P, C]) OrderBy(terms ...Orderable) Many[P, C] {
	m.order = append(clip(m.order), terms...)
	return m
}

// With prefetches relations of the children in turn, one query per
// relation and level.
func (m Many[P, C]) With(rels ...Relation[C]) Many[P, C] {
	m.nested = append(clip(m.nested), rels...)
	return m
}

// Prefetch loads the related rows of parents, rows of table t, one query
// per relation (and per level of With), and stores each parent's children
// in its slice field, in the order of the relation's OrderBy. A parent
// without children gets a nil slice.
//
//	authors, err := wren.All[Author](ctx, db, wren.Select(Authors).From(Authors))
//	err = wren.Prefetch(ctx, db, Authors, authors,
//		wren.HasMany(Posts, func(a *Author) *[]Post { return &a.Posts }).
//			OrderBy(Posts.ID).
//			With(wren.HasMany(Tags, func(p *Post) *[]Tag { return &p.Tags }).Through(PostTags)))
//
// Each query selects the child columns that C has fields for and compares
// the key with the parents' distinct keys, in the parents' order (a nested
// level's parents come in the order of theirs, then of OrderBy): col =
// ANY($1) with one array parameter on PostgreSQL, so that the statement
// text does not depend on how many parents there are; IN (…) elsewhere.
// Parents whose number of distinct keys passes the dialect's limit on
// bound parameters are loaded in several queries.
func Prefetch[P any](ctx context.Context, db Querier, t TableLike, parents []P, rels ...Relation[P]) error {
	ti := infoOf(t)
	if ti == nil {
		return fmt.Errorf("wren: Prefetch into []%s: nil table", typeName[P]())
	}
	if ti.err != nil {
		return ti.err
	}
	if len(parents) == 0 {
		return nil
	}
	ptrs := make([]*P, len(parents))
	for i := range parents {
		ptrs[i] = &parents[i]
	}
	for _, rel := range rels {
		if isNil(rel) {
			return fmt.Errorf("wren: Prefetch into []%s: nil relation", typeName[P]())
		}
		if err := rel.prefetch(ctx, db, ti, ptrs); err != nil {
			return err
		}
	}
	return nil
}

// link is how a relation's rows are found from the parents' keys.
type link struct {
	fk        *colInfo   // compared with the parent keys; selected as the group key
	parentKey *colInfo   // the parent's column fk refers to
	join      *tableInfo // the join table, for many-to-many
	far       *colInfo   // the join table's column holding the child's key
	childKey  *colInfo   // the child's column far refers to
}

// name describes the relation in errors.
func (m Many[P, C]) name(parent *tableInfo) string {
	return fmt.Sprintf("HasMany[%s, %s] (%s → %s)", typeName[P](), typeName[C](), parent.ref(), infoOf(m.child).ref())
}

// resolve finds the columns that link parent rows to the children.
func (m Many[P, C]) resolve(parent *tableInfo) (link, error) {
	child := infoOf(m.child)
	var l link
	if child.err != nil {
		return l, child.err
	}
	if m.through == nil {
		fk, err := pickRef(child, parent, m.fk, "On(column)")
		if err != nil {
			return l, fmt.Errorf("wren: %s: %w", m.name(parent), err)
		}
		l.fk = fk
	} else {
		l.join = infoOf(m.through)
		if l.join.err != nil {
			return l, l.join.err
		}
		fk, err := pickRef(l.join, parent, m.fk, "Through(join, parentCol, childCol)")
		if err != nil {
			return l, fmt.Errorf("wren: %s: %w", m.name(parent), err)
		}
		far, err := pickRef(l.join, child, m.far, "Through(join, parentCol, childCol)")
		if err != nil {
			return l, fmt.Errorf("wren: %s: %w", m.name(parent), err)
		}
		if fk == far {
			return l, fmt.Errorf("wren: %s: column %s.%s would hold both keys; name the two columns with Through(join, parentCol, childCol)", m.name(parent), l.join.name, fk.name)
		}
		l.fk, l.far = fk, far
		if l.childKey, err = referenced(far, child); err != nil {
			return l, fmt.Errorf("wren: %s: %w", m.name(parent), err)
		}
	}
	var err error
	if l.parentKey, err = referenced(l.fk, parent); err != nil {
		return l, fmt.Errorf("wren: %s: %w", m.name(parent), err)
	}
	return l, nil
}

// pickRef returns the column of t that refers to table to: named, or the
// only one whose references= names to's table.
func pickRef(t, to *tableInfo, named *colInfo, how string) (*colInfo, error) {
	if named != nil {
		if named.table.name != t.name {
			return nil, fmt.Errorf("column %s.%s is not a column of %s", named.table.ref(), named.name, t.name)
		}
		return named, nil
	}
	var found []*colInfo
	for _, c := range t.cols {
		if c.opts.refTable == to.name {
			found = append(found, c)
		}
	}
	switch len(found) {
	case 1:
		return found[0], nil
	case 0:
		return nil, fmt.Errorf("table %s has no column declared references=%s.…: declare one in its `wren` tag, or name the column with %s", t.name, to.name, how)
	}
	names := make([]string, len(found))
	for i, c := range found {
		names[i] = t.name + "." + c.name
	}
	return nil, fmt.Errorf("columns %s all reference %s: name the one to use with %s", strings.Join(names, " and "), to.name, how)
}

// referenced returns the column of to that c refers to: its references=
// column, or else to's single primary key column.
func referenced(c *colInfo, to *tableInfo) (*colInfo, error) {
	if c.opts.refTable == to.name {
		if k := to.column(c.opts.refColumn); k != nil {
			return k, nil
		}
		return nil, fmt.Errorf("column %s.%s references %s.%s, which table %s does not declare", c.table.name, c.name, to.name, c.opts.refColumn, to.name)
	}
	var pk *colInfo
	for _, k := range to.cols {
		if k.opts.pk || hasName(to.opts.pk, k.name) {
			if pk != nil {
				return nil, fmt.Errorf("column %s.%s declares no references=%s.…, and %s's primary key has several columns: declare which column it references", c.table.name, c.name, to.name, to.name)
			}
			pk = k
		}
	}
	if pk == nil {
		return nil, fmt.Errorf("column %s.%s declares no references=%s.…, and %s declares no primary key: declare references=%s.column", c.table.name, c.name, to.name, to.name, to.name)
	}
	return pk, nil
}

func hasName(names []string, n string) bool {
	for _, s := range names {
		if s == n {
			return true
		}
	}
	return false
}

func (m Many[P, C]) prefetch(ctx context.Context, db Querier, parent *tableInfo, parents []*P) error {
	if m.err != nil {
		return m.err
	}
	l, err := m.resolve(parent)
	if err != nil {
		return err
	}
	pf, ok := fieldsOf(reflect.TypeFor[P]())[l.parentKey.name]
	if !ok {
		return fmt.Errorf("wren: %s: %s has no field for the key column %s.%s", m.name(parent), typeName[P](), parent.ref(), l.parentKey.name)
	}
	switch k := pf.typ.Kind(); {
	case k >= reflect.Int && k <= reflect.Int64 || k >= reflect.Uint && k <= reflect.Uint64:
		return prefetchKeyed[P, C, int64](ctx, db, m, parent, l, pf, parents)
	case k == reflect.String:
		return prefetchKeyed[P, C, string](ctx, db, m, parent, l, pf, parents)
	case pf.typ.Comparable() && k != reflect.Pointer && k != reflect.Interface:
		return prefetchKeyed[P, C, any](ctx, db, m, parent, l, pf, parents)
	}
	return fmt.Errorf("wren: %s: key field %s.%s is %s; a key must be an integer, a string or another comparable non-pointer value", m.name(parent), typeName[P](), pf.name, pf.typ)
}

// fieldAt is a field of a struct type that a column maps to.
type fieldAt struct {
	name string // Go field name
	off  uintptr
	typ  reflect.Type
}

var structFields sync.Map // reflect.Type -> map[string]fieldAt

// fieldsOf maps column names to the fields of struct type t that take them,
// by `db` tag or snake_case name, as the scanner maps them (fields of
// embedded structs count as t's own).
func fieldsOf(t reflect.Type) map[string]fieldAt {
	if m, ok := structFields.Load(t); ok {
		return m.(map[string]fieldAt)
	}
	m := map[string]fieldAt{}
	var walk func(t reflect.Type, base uintptr)
	walk = func(t reflect.Type, base uintptr) {
		for i := 0; i < t.NumField(); i++ {
			f := t.Field(i)
			tag, hasTag := f.Tag.Lookup("db")
			if tag == "-" {
				continue
			}
			if f.Anonymous && !hasTag && f.Type.Kind() == reflect.Struct && !scan.IsScalar(f.Type) {
				walk(f.Type, base+f.Offset)
				continue
			}
			if !f.IsExported() {
				continue
			}
			name, _, _ := strings.Cut(tag, ",")
			if name == "" {
				name = scan.SnakeCase(f.Name)
			}
			m[name] = fieldAt{name: f.Name, off: base + f.Offset, typ: f.Type}
		}
	}
	if t.Kind() == reflect.Struct {
		walk(t, 0)
	}
	structFields.Store(t, m)
	return m
}

// keyOf returns a reader of a key field of type t as a K: int64 for every
// integer type, string, or the value itself as an any.
func keyOf[K comparable](t reflect.Type) func(unsafe.Pointer) K {
	var f any
	switch t.Kind() {
	case reflect.Int:
		f = func(p unsafe.Pointer) int64 { return int64(*(*int)(p)) }
	case reflect.Int8:
		f = func(p unsafe.Pointer) int64 { return int64(*(*int8)(p)) }
	case reflect.Int16:
		f = func(p unsafe.Pointer) int64 { return int64(*(*int16)(p)) }
	case reflect.Int32:
		f = func(p unsafe.Pointer) int64 { return int64(*(*int32)(p)) }
	case reflect.Int64:
		f = func(p unsafe.Pointer) int64 { return *(*int64)(p) }
	case reflect.Uint:
		f = func(p unsafe.Pointer) int64 { return int64(*(*uint)(p)) }
	case reflect.Uint8:
		f = func(p unsafe.Pointer) int64 { return int64(*(*uint8)(p)) }
	case reflect.Uint16:
		f = func(p unsafe.Pointer) int64 { return int64(*(*uint16)(p)) }
	case reflect.Uint32:
		f = func(p unsafe.Pointer) int64 { return int64(*(*uint32)(p)) }
	case reflect.Uint64:
		f = func(p unsafe.Pointer) int64 { return int64(*(*uint64)(p)) }
	case reflect.String:
		f = func(p unsafe.Pointer) string { return *(*string)(p) }
	default:
		f = func(p unsafe.Pointer) any { return reflect.NewAt(t, p).Elem().Interface() }
	}
	return f.(func(unsafe.Pointer) K)
}

// keyed is the row type a relation's query is scanned into: the parent key
// (the column aliased wren_key) and the child's columns, in a field named
// for the child table so that its qualified columns land there.
type keyed struct {
	typ    reflect.Type
	rowOff uintptr
}

type keyedKey struct {
	key, row reflect.Type
	ref      string
}

var keyedTypes sync.Map // keyedKey -> keyed

const prefetchKey = "wren_key"

func keyedType(key, row reflect.Type, ref string) keyed {
	k := keyedKey{key, row, ref}
	if v, ok := keyedTypes.Load(k); ok {
		return v.(keyed)
	}
	t := reflect.StructOf([]reflect.StructField{
		{Name: "Key", Type: key, Tag: reflect.StructTag(`db:"` + prefetchKey + `"`)},
		{Name: "Row", Type: row, Tag: reflect.StructTag(`db:"` + ref + `"`)},
	})
	kt := keyed{typ: t, rowOff: t.Field(1).Offset}
	keyedTypes.Store(k, kt)
	return kt
}

// keyItem selects the column holding the parent key as wren_key, scanned
// as the parent's key field type.
type keyItem struct {
	c   *colInfo
	typ reflect.Type
}

func (k keyItem) appendSelect(r *renderer) {
	k.c.appendSQL(r)
	r.buf = append(r.buf, " AS "...)
	r.ident(roleAs, prefetchKey)
}

func (k keyItem) appendResultCols(dst []scan.Column) []scan.Column {
	return append(dst, scan.Column{Name: prefetchKey, Type: k.typ})
}

// colsItem selects columns of one table.
type colsItem []*colInfo

func (cs colsItem) appendSelect(r *renderer) {
	appendList(r, cs, func(r *renderer, c *colInfo) { c.appendSQL(r) })
}

func (cs colsItem) appendResultCols(dst []scan.Column) []scan.Column {
	for _, c := range cs {
		dst = append(dst, scan.Column{Table: c.table.ref(), Name: c.name, Type: c.typ})
	}
	return dst
}

// query is the statement that loads the children of the parents whose
// distinct keys are keys (a slice of the parent key field's type).
func (m Many[P, C]) query(l link, keyType reflect.Type, keys any) (SelectQuery, error) {
	child := infoOf(m.child)
	var cols colsItem
	have := fieldsOf(reflect.TypeFor[C]())
	for _, c := range child.cols {
		if _, ok := have[c.name]; ok {
			cols = append(cols, c)
		}
	}
	if len(cols) == 0 {
		return SelectQuery{}, fmt.Errorf("wren: HasMany[%s, %s]: %s has no field for any column of %s", typeName[P](), typeName[C](), typeName[C](), child.ref())
	}
	in := Predicate{op: pIn, l: l.fk, v: keys, v2: listExpander(expandAny)}
	q := Select(keyItem{l.fk, keyType}, cols).From(m.child)
	if l.join != nil {
		q = q.Join(m.through, cmpExpr(l.far, opEq, l.childKey))
	}
	return q.Where(in).Where(m.where...).OrderBy(m.order...), nil
}

// expandAny writes the elements of a slice of any type as parameters:
// without reflection for the usual keys, int64 and string.
func expandAny(list any, r *renderer) {
	switch list.(type) {
	case []int64:
		expandList[int64](list, r)
		return
	case []string:
		expandList[string](list, r)
		return
	}
	v := reflect.ValueOf(list)
	for i := 0; i < v.Len(); i++ {
		if i > 0 {
			r.buf = append(r.buf, ", "...)
		}
		r.arg(v.Index(i).Interface())
	}
}

// Statement returns the query Prefetch runs for this relation when the
// parents are rows of table parent with the distinct keys keys (a slice),
// for logging and tests.
func (m Many[P, C]) Statement(parent TableLike, keys any) Statement {
	pi := infoOf(parent)
	switch {
	case m.err != nil:
		return errStmt{m.err}
	case pi == nil:
		return errStmt{fmt.Errorf("wren: HasMany[%s, %s].Statement: nil parent table", typeName[P](), typeName[C]())}
	}
	l, err := m.resolve(pi)
	if err != nil {
		return errStmt{err}
	}
	kv := reflect.ValueOf(keys)
	if kv.Kind() != reflect.Slice {
		return errStmt{fmt.Errorf("wren: HasMany[%s, %s].Statement: keys must be a slice, not %T", typeName[P](), typeName[C](), keys)}
	}
	q, err := m.query(l, kv.Type().Elem(), keys)
	if err != nil {
		return errStmt{err}
	}
	return q
}

// errStmt is a statement that fails to render with err.
type errStmt struct{ err error }

func (s errStmt) SQL(d *dialect.Dialect) (string, []any, error) { return renderSQL(d, s) }

func (s errStmt) appendStatement(r *renderer) { r.fail("%w", s.err) }

// prefetchKeyed runs the relation for parents whose keys read as K.
func prefetchKeyed[P, C any, K comparable](ctx context.Context, db Querier, m Many[P, C], parent *tableInfo, l link, pf fieldAt, parents []*P) error {
	read := keyOf[K](pf.typ)
	groups := make(map[K][]C, len(parents))
	keys := reflect.MakeSlice(reflect.SliceOf(pf.typ), 0, len(parents))
	var ints []int64 // the keys, when K is int64 and the field int64
	direct := pf.typ == reflect.TypeFor[int64]()
	order := make([]K, 0, len(parents)) // the distinct keys, as the parents first hold them
	for _, p := range parents {
		at := unsafe.Add(unsafe.Pointer(p), pf.off)
		k := read(at)
		if _, seen := groups[k]; seen {
			continue
		}
		groups[k] = nil
		order = append(order, k)
		if direct {
			ints = append(ints, *(*int64)(at))
		} else {
			keys = reflect.Append(keys, reflect.NewAt(pf.typ, at).Elem())
		}
	}
	all := any(ints)
	if !direct {
		all = keys.Interface()
	}
	per := db.Dialect().MaxParams() - 64 // room for the relation's own filters
	n := reflect.ValueOf(all).Len()
	if db.Dialect().ArrayParams() {
		per = n
	}
	kt := keyedType(pf.typ, reflect.TypeFor[C](), infoOf(m.child).ref())
	for start := 0; start < n; start += per {
		chunk := reflect.ValueOf(all).Slice(start, min(start+per, n)).Interface()
		q, err := m.query(l, pf.typ, chunk)
		if err != nil {
			return err
		}
		if err := scanKeyed(ctx, db, q, kt, read, groups); err != nil {
			return fmt.Errorf("%w (prefetching %s)", err, m.name(parent))
		}
	}
	for _, p := range parents {
		*m.field(p) = groups[read(unsafe.Add(unsafe.Pointer(p), pf.off))]
	}
	if len(m.nested) == 0 {
		return nil
	}
	// The children in the parents' order (not the map's), so that the next
	// level's key list is the same from run to run, and in the order the
	// parents and this relation's OrderBy give: SQLite builds the IN list
	// into a b-tree, which costs least when the keys come in order.
	total := 0
	for _, k := range order {
		total += len(groups[k])
	}
	if total == 0 {
		return nil
	}
	children := make([]*C, 0, total)
	for _, k := range order {
		s := groups[k]
		for i := range s {
			children = append(children, &s[i])
		}
	}
	child := infoOf(m.child)
	for _, rel := range m.nested {
		if isNil(rel) {
			return fmt.Errorf("wren: %s: nil relation in With", m.name(parent))
		}
		if err := rel.prefetch(ctx, db, child, children); err != nil {
			return err
		}
	}
	return nil
}

// scanKeyed runs q and appends each row's child to its parent key's group.
func scanKeyed[C any, K comparable](ctx context.Context, db Querier, q SelectQuery, kt keyed, read func(unsafe.Pointer) K, groups map[K][]C) error {
	rs, plan, err := startType(ctx, db, q, kt.typ, false)
	if err != nil {
		return err
	}
	defer rs.Close()
	row := plan.NewRow()
	defer row.Release()
	row.ShareText(0) // every child is kept
	useWire(rs, row)
	buf := reflect.New(kt.typ).UnsafePointer()
	c := (*C)(unsafe.Add(buf, kt.rowOff))
	var zero C
	for rs.Next() {
		*c = zero
		if err := scanRow(rs, plan, row, buf); err != nil {
			return withCause(ctx, err)
		}
		k := read(buf)
		groups[k] = append(groups[k], *c)
	}
	if err := rs.Err(); err != nil {
		return withCause(ctx, fmt.Errorf("wren: %w", err))
	}
	return nil
}
