package wren

import (
	"database/sql/driver"
	"fmt"
	"math"
	"reflect"
	"slices"
	"strings"
	"sync"
	satomic "sync/atomic"
	"time"
	"unsafe"

	"github.com/wrensql/wren/dialect"
	"github.com/wrensql/wren/scan"
)

// rowMap is how the fields of a Go struct type fill the columns of a table,
// for INSERT … Rows and Create. It is built once per (type, table).
type rowMap struct {
	typ  reflect.Type
	cols []*colInfo
	offs []uintptr
	typs []reflect.Type
	get  []func(unsafe.Pointer) any
	// kind is, per column, how its field is bound without a call to its
	// getter: for fields of plain kinds, read in place.
	kind []argKind
	auto int // index of the auto-increment key in cols, or -1
	// gen lists the columns whose value the database may generate on
	// INSERT when their field is zero: the auto-increment key, omitzero
	// and autoupdate columns; genOf maps a column index to its place in
	// gen, or -1. pk lists the primary key's columns.
	gen   []int
	genOf []int
	pk    []int
	// bulk is how Create sends the fields in bulk, for the last dialect
	// asked (see bulkFieldsFor).
	bulk satomic.Pointer[bulkFieldsOf]
	// one is the INSERT of one row, as the last dialect rendered it, and
	// many those of a few numbers of rows (see createKept).
	one  satomic.Pointer[keptInsert]
	many satomic.Pointer[[]*keptInsert]
	// bound is the columns rows of the last mask asked bind (see boundFor).
	bound satomic.Pointer[boundSet]
	// texts are the column lists and VALUES tuples of the last shapes
	// of rows appendStructRows rendered (see rowsText); a shape not kept
	// takes a slot as keptSlot says.
	texts       [keptRowsTexts]satomic.Pointer[rowsText]
	textsMissed satomic.Uint32
}

// keptRowsTexts is how many shapes of rows a row map keeps the text of.
const keptRowsTexts = 2

// rowsText is what appendStructRows writes after the table's name for
// rows rows of mask on d, their first placeholder numbered start+1: the
// same for every INSERT of as many rows of the kind, so that only their
// values are collected again (an INSERT of 100 rows of ten columns
// writes a thousand placeholders).
type rowsText struct {
	d     *dialect.Dialect
	mask  uint64
	rows  int
	start int
	text  string
}

type rowMapKey struct {
	t  reflect.Type
	ti *tableInfo
}

var rowMaps sync.Map // rowMapKey -> *rowMap

func rowMapFor(t reflect.Type, ti *tableInfo) (*rowMap, error) {
	if m := ti.lastRows.Load(); m != nil && m.typ == t {
		return m, nil // the usual case: one row type per table
	}
	k := rowMapKey{t, ti}
	if m, ok := rowMaps.Load(k); ok {
		ti.lastRows.Store(m.(*rowMap))
		return m.(*rowMap), nil
	}
	if t.Kind() != reflect.Struct {
		return nil, fmt.Errorf("wren: rows for table %s must be structs or pointers to structs, not %s", ti.ref(), t)
	}
	m := &rowMap{typ: t, auto: -1}
	if err := m.collect(t, 0, ti); err != nil {
		return nil, err
	}
	if len(m.cols) == 0 {
		return nil, fmt.Errorf("wren: struct %s has no field for any column of table %s", t, ti.ref())
	}
	if len(m.gen) > 64 {
		return nil, fmt.Errorf("wren: struct %s maps %d auto, omitzero or autoupdate columns of table %s; at most 64 are supported", t, len(m.gen), ti.ref())
	}
	rowMaps.Store(k, m)
	ti.lastRows.Store(m)
	return m, nil
}

func (m *rowMap) collect(t reflect.Type, base uintptr, ti *tableInfo) error {
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		tag, hasTag := f.Tag.Lookup("db")
		if tag == "-" {
			continue
		}
		if f.Anonymous && !hasTag && f.Type.Kind() == reflect.Struct && !scan.IsScalar(f.Type) {
			if err := m.collect(f.Type, base+f.Offset, ti); err != nil {
				return err
			}
			continue
		}
		if !f.IsExported() {
			continue
		}
		name, _, _ := strings.Cut(tag, ",")
		if name == "" {
			name = scan.SnakeCase(f.Name)
		}
		c := ti.column(name)
		if c == nil && isRelationField(f.Type) {
			continue // children loaded by Prefetch, not a column
		}
		if c == nil {
			return fmt.Errorf("wren: field %s.%s has no column %q in table %s; tag it `db:\"-\"` to leave it out", t, f.Name, name, ti.ref())
		}
		if !scan.Fits(f.Type, c.typ) && !scan.IsValuer(f.Type) {
			return fmt.Errorf("wren: field %s.%s is %s, but column %s.%s holds %s, which a %s does not fit without a conversion: declare the field as %s (or *%s, sql.Null[%s]), or give it a driver.Valuer",
				t, f.Name, f.Type, ti.ref(), c.name, c.typ, f.Type, c.typ, c.typ, c.typ)
		}
		if c.opts.auto {
			m.auto = len(m.cols)
		}
		m.genOf = append(m.genOf, -1)
		if c.opts.auto || c.opts.omitZero || c.opts.autoUpdate {
			m.genOf[len(m.cols)] = len(m.gen)
			m.gen = append(m.gen, len(m.cols))
		}
		if isPK(c) {
			m.pk = append(m.pk, len(m.cols))
		}
		m.cols = append(m.cols, c)
		m.offs = append(m.offs, base+f.Offset)
		m.typs = append(m.typs, f.Type)
		m.get = append(m.get, columnGetter(f.Type, c))
		m.kind = append(m.kind, argKindOf(f.Type, c))
	}
	return nil
}

// argKind is how a field is bound: through its getter, or read in place as
// the getter would read it.
type argKind uint8

const (
	argGetter argKind = iota
	argInt64
	argString
	argFloat64
	argBool
	argTime // time.Time itself
)

// argKindOf returns how fields of type t are bound to column c: in place
// when t is of a plain kind and no driver.Valuer (the getter then reads it
// the same way, and argValue passes the value on as it is), or is
// time.Time for a column that is not a date (whose getter makes the time
// a date: see columnGetter).
func argKindOf(t reflect.Type, c *colInfo) argKind {
	if t.Implements(valuerType) {
		return argGetter
	}
	if t == reflect.TypeFor[time.Time]() {
		if isDateColumn(c) {
			return argGetter
		}
		return argTime
	}
	switch t.Kind() {
	case reflect.Int64:
		return argInt64
	case reflect.String:
		return argString
	case reflect.Float64:
		return argFloat64
	case reflect.Bool:
		return argBool
	}
	return argGetter
}

var valuerType = reflect.TypeFor[driver.Valuer]()

// isRelationField reports whether a field of type t holds related rows (a
// slice of structs, as [HasMany] fills) rather than a column's value.
func isRelationField(t reflect.Type) bool {
	if t.Kind() != reflect.Slice || t.Implements(valuerType) {
		return false
	}
	e := t.Elem()
	if e.Kind() == reflect.Pointer {
		e = e.Elem()
	}
	return e.Kind() == reflect.Struct && !scan.IsScalar(e)
}

// columnGetter is getter, and for a time field of a DATE column, the
// field's calendar date as YYYY-MM-DD text (see forColumn).
func columnGetter(t reflect.Type, c *colInfo) func(unsafe.Pointer) any {
	get := getter(t)
	if (t == reflect.TypeFor[time.Time]() || t == reflect.TypeFor[*time.Time]()) && isDateColumn(c) {
		return func(p unsafe.Pointer) any { return forColumn(c, get(p)) }
	}
	return get
}

// getter returns a function that reads a field of type t at p as a driver
// argument, without reflection for the common types.
func getter(t reflect.Type) func(unsafe.Pointer) any {
	if t.Implements(valuerType) {
		return func(p unsafe.Pointer) any { return reflect.NewAt(t, p).Elem().Interface() }
	}
	switch t {
	case reflect.TypeFor[time.Time]():
		return func(p unsafe.Pointer) any { return *(*time.Time)(p) }
	case reflect.TypeFor[[]byte]():
		return func(p unsafe.Pointer) any { return *(*[]byte)(p) }
	}
	switch t.Kind() {
	case reflect.Int64:
		return func(p unsafe.Pointer) any { return *(*int64)(p) }
	case reflect.Int:
		return func(p unsafe.Pointer) any { return int64(*(*int)(p)) }
	case reflect.Int32:
		return func(p unsafe.Pointer) any { return int64(*(*int32)(p)) }
	case reflect.Int16:
		return func(p unsafe.Pointer) any { return int64(*(*int16)(p)) }
	case reflect.Int8:
		return func(p unsafe.Pointer) any { return int64(*(*int8)(p)) }
	case reflect.Uint32:
		return func(p unsafe.Pointer) any { return int64(*(*uint32)(p)) }
	case reflect.Uint16:
		return func(p unsafe.Pointer) any { return int64(*(*uint16)(p)) }
	case reflect.Uint8:
		return func(p unsafe.Pointer) any { return int64(*(*uint8)(p)) }
	case reflect.Float64:
		return func(p unsafe.Pointer) any { return *(*float64)(p) }
	case reflect.Float32:
		return func(p unsafe.Pointer) any { return float64(*(*float32)(p)) }
	case reflect.String:
		return func(p unsafe.Pointer) any { return *(*string)(p) }
	case reflect.Bool:
		return func(p unsafe.Pointer) any { return *(*bool)(p) }
	case reflect.Pointer:
		elem := getter(t.Elem())
		return func(p unsafe.Pointer) any {
			e := *(*unsafe.Pointer)(p)
			if e == nil {
				return nil
			}
			return elem(e)
		}
	}
	return func(p unsafe.Pointer) any { return reflect.NewAt(t, p).Elem().Interface() }
}

// rowBase returns a pointer to the struct behind row (a struct or a pointer
// to one) and its type.
func rowBase(row any) (unsafe.Pointer, reflect.Type, error) {
	v := reflect.ValueOf(row)
	switch {
	case v.Kind() == reflect.Pointer && !v.IsNil():
		return v.UnsafePointer(), v.Type().Elem(), nil
	case v.Kind() == reflect.Struct:
		c := reflect.New(v.Type())
		c.Elem().Set(v)
		return c.UnsafePointer(), v.Type(), nil
	}
	return nil, nil, fmt.Errorf("wren: an inserted row must be a struct or a non-nil pointer to one, not %T", row)
}

// zeroAt reports whether column i's field, at p, is its zero value (as
// reflect.Value.IsZero says: a float is zero when its bits are).
func (m *rowMap) zeroAt(i int, p unsafe.Pointer) bool {
	switch m.kind[i] {
	case argInt64:
		return *(*int64)(p) == 0
	case argString:
		return len(*(*string)(p)) == 0
	case argFloat64:
		return math.Float64bits(*(*float64)(p)) == 0
	case argBool:
		return !*(*bool)(p)
	case argTime:
		return *(*time.Time)(p) == time.Time{}
	}
	return isZeroAt(m.typs[i], p)
}

// isZeroAt reports whether the field of type t at p is its zero value.
func isZeroAt(t reflect.Type, p unsafe.Pointer) bool {
	return reflect.NewAt(t, p).Elem().IsZero()
}

// appendStructRows writes " (cols) VALUES (…), (…)" for rows of one struct
// type. A column the database may generate (the auto-increment key, an
// omitzero column) is left out when it is zero in every row; an autoupdate
// column that is zero gets CURRENT_TIMESTAMP. Each row is looked at once:
// checked as its values are written (a failed rendering discards the text).
// Rows given as struct values are copied once each; pointers are read in
// place.
func appendStructRows(r *renderer, t *tableInfo, rows []any) {
	base, m, ok := rowMapAt(r, t, rows[0])
	if !ok {
		return
	}
	mask := m.genMask(base)
	var kept *rowsText
	for i := range m.texts {
		if k := m.texts[i].Load(); k != nil && k.d == r.d && k.mask == mask && k.rows == len(rows) && k.start == len(r.args) && !r.qualify {
			kept = k
			break
		}
	}
	start, textStart := len(r.args), len(r.buf)
	if kept != nil {
		r.buf = append(r.buf, kept.text...)
	} else {
		r.appendRowsHead(m, mask)
	}
	// Values are bound as Create's kept INSERT binds them (appendArgs);
	// where placeholders are not numbered every row's text is the first's.
	b := m.boundFor(mask)
	if len(rows) > 1 {
		// Sized once for every row rather than grown by appending: a
		// split bulk insert binds thousands of values per statement.
		r.growArgs(len(rows) * len(b.cols))
	}
	box := newArgBox(b, len(rows))
	same := !r.d.NumberedParams()
	firstTyp, _ := efaceWords(rows[0])
	ptrRows := reflect.TypeOf(rows[0]).Kind() == reflect.Pointer
	first := len(r.buf)
	tuple, tupleEnd := first, first // the last tuple written
	for ri, row := range rows {
		if ri == 1 && kept == nil {
			r.buf = slices.Grow(r.buf, (len(r.buf)-first+2)*(len(rows)-1))
		}
		if ri > 0 {
			// A pointer of the first row's type is its own base.
			if typ, p := efaceWords(row); ptrRows && typ == firstTyp && p != nil {
				base = p
			} else {
				var typ reflect.Type
				var err error
				if base, typ, err = rowBase(row); err != nil {
					r.fail("%v", err)
					return
				}
				if typ != m.typ {
					r.fail("wren: INSERT INTO %s mixes rows of types %s and %s", t.ref(), m.typ, typ)
					return
				}
			}
			if other := m.genMask(base); other != mask {
				m.failMixed(r, t, mask^other)
				return
			}
		}
		if !m.checkKey(r, t, base, ri) {
			return
		}
		switch {
		case kept != nil:
		case same && ri > 0:
			r.buf = append(r.buf, ", "...)
			r.buf = append(r.buf, r.buf[tuple:tupleEnd]...)
		default:
			if ri > 0 {
				r.buf = append(r.buf, ", "...)
			}
			tuple = len(r.buf)
			m.appendTuple(r, mask)
			tupleEnd = len(r.buf)
		}
		var err error
		if r.args, err = m.appendArgs(r.args, r.d, base, b.cols, &box); err != nil {
			r.fail("%w", err)
			return
		}
	}
	if kept == nil && r.err == nil && !r.qualify {
		if slot := keptSlot(m.texts[:], &m.textsMissed); slot >= 0 {
			m.texts[slot].Store(&rowsText{d: r.d, mask: mask, rows: len(rows), start: start, text: string(r.buf[textStart:])})
		}
	}
}

// appendRowsHead writes the column list of an INSERT of rows of mask, and
// VALUES.
func (r *renderer) appendRowsHead(m *rowMap, mask uint64) {
	r.buf = append(r.buf, " ("...)
	n := 0
	for i, c := range m.cols {
		if m.omitted(i, mask) {
			continue
		}
		if n > 0 {
			r.buf = append(r.buf, ", "...)
		}
		c.appendName(r)
		n++
	}
	r.buf = append(r.buf, ") VALUES "...)
}

// efaceWords returns the type and data words of the interface value v.
func efaceWords(v any) (typ, data unsafe.Pointer) {
	w := (*[2]unsafe.Pointer)(unsafe.Pointer(&v))
	return w[0], w[1]
}

// appendTuple writes one row's "(…)" of an INSERT of rows of mask:
// CURRENT_TIMESTAMP for a zero autoupdate column, and for the others the
// placeholders of the values appendArgs binds next.
func (m *rowMap) appendTuple(r *renderer, mask uint64) {
	r.buf = append(r.buf, '(')
	n, k := 0, len(r.args)
	for i := range m.cols {
		if m.omitted(i, mask) {
			continue
		}
		if n > 0 {
			r.buf = append(r.buf, ", "...)
		}
		n++
		if m.generated(i, mask) { // autoupdate, zero
			r.buf = append(r.buf, "CURRENT_TIMESTAMP"...)
			continue
		}
		k++
		r.buf = r.d.AppendPlaceholder(r.buf, k)
	}
	r.buf = append(r.buf, ')')
}

// rowMapAt returns the struct behind row and how it maps onto t, failing the
// rendering when row is not a struct that maps.
func rowMapAt(r *renderer, t *tableInfo, row any) (unsafe.Pointer, *rowMap, bool) {
	base, typ, err := rowBase(row)
	if err == nil {
		var m *rowMap
		if m, err = rowMapFor(typ, t); err == nil {
			return base, m, true
		}
	}
	r.fail("%v", err)
	return nil, nil, false
}

// genMask has bit j set when column gen[j] of the row at base is zero: a
// value the database is to generate.
func (m *rowMap) genMask(base unsafe.Pointer) uint64 {
	var mask uint64
	for j, i := range m.gen {
		if m.zeroAt(i, unsafe.Add(base, m.offs[i])) {
			mask |= 1 << j
		}
	}
	return mask
}

// generated reports whether column i is zero in rows of mask and is one the
// database is to generate.
func (m *rowMap) generated(i int, mask uint64) bool {
	j := m.genOf[i]
	return j >= 0 && mask&(1<<j) != 0
}

// omitted reports whether column i is left out of an INSERT of rows of
// mask: generated, and not an autoupdate column (which gets
// CURRENT_TIMESTAMP) unless it is omitzero too.
func (m *rowMap) omitted(i int, mask uint64) bool {
	c := m.cols[i].opts
	return m.generated(i, mask) && (!c.autoUpdate || c.omitZero || c.auto)
}

// failMixed fails an INSERT whose rows disagree, in the columns of diff,
// about which generated columns they leave zero.
func (m *rowMap) failMixed(r *renderer, t *tableInfo, diff uint64) {
	for j, i := range m.gen {
		if diff&(1<<j) == 0 {
			continue
		}
		if i == m.auto {
			r.fail("wren: INSERT INTO %s: some rows set the auto-increment key %s and some leave it zero", t.ref(), m.cols[i].name)
		} else {
			r.fail("wren: INSERT INTO %s: some rows set column %s and some leave it zero (it is omitzero or autoupdate); insert them in separate statements (Create does)", t.ref(), m.cols[i].name)
		}
		return
	}
}

// checkKey fails an INSERT whose row ri leaves a primary key column zero
// that the database does not generate.
func (m *rowMap) checkKey(r *renderer, t *tableInfo, base unsafe.Pointer, ri int) bool {
	if err := m.keyError(t, base, ri); err != nil {
		r.fail("%w", err)
		return false
	}
	return true
}

// keyError is checkKey's error, or nil.
func (m *rowMap) keyError(t *tableInfo, base unsafe.Pointer, ri int) error {
	for _, i := range m.pk {
		if m.genOf[i] >= 0 || !m.zeroAt(i, unsafe.Add(base, m.offs[i])) {
			continue
		}
		return fmt.Errorf("wren: INSERT INTO %s: row %d (a %[4]s) leaves primary key column %[3]s zero; set it, or tag the column omitzero with a default=… that generates it", t.ref(), ri, m.cols[i].name, m.typ)
	}
	return nil
}

// isPK reports whether c is part of its table's primary key.
func isPK(c *colInfo) bool {
	if c.opts.pk {
		return true
	}
	for _, n := range c.table.opts.pk {
		if n == c.name {
			return true
		}
	}
	return false
}

// checkWriteOptions panics, as NewTable does on a bad declaration, when an
// autoupdate column cannot hold CURRENT_TIMESTAMP or is a key.
func checkWriteOptions(ti *tableInfo) {
	for _, c := range ti.cols {
		if !c.opts.autoUpdate {
			continue
		}
		if !isTimeColumn(c.typ) {
			panic(fmt.Sprintf("wren.NewTable[%s]: column %s is autoupdate, so it must hold a time (time.Time, *time.Time or sql.Null[time.Time]), not %s", ti.goName, c.name, c.typ))
		}
		if c.opts.auto || isPK(c) {
			panic(fmt.Sprintf("wren.NewTable[%s]: column %s cannot be both autoupdate and a key", ti.goName, c.name))
		}
	}
}

func isTimeColumn(t reflect.Type) bool {
	tt := reflect.TypeFor[time.Time]()
	switch {
	case t == tt, t.Kind() == reflect.Pointer && t.Elem() == tt:
		return true
	case t.Kind() == reflect.Struct && t.NumField() == 2 && t.Field(0).Type == tt:
		return true // sql.Null[time.Time], sql.NullTime
	}
	return false
}
