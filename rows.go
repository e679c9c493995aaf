package wren

import (
	"database/sql/driver"
	"fmt"
	"reflect"
	"strings"
	"sync"
	"time"
	"unsafe"

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
	auto int // index of the auto-increment key in cols, or -1
}

type rowMapKey struct {
	t  reflect.Type
	ti *tableInfo
}

var rowMaps sync.Map // rowMapKey -> *rowMap

func rowMapFor(t reflect.Type, ti *tableInfo) (*rowMap, error) {
	k := rowMapKey{t, ti}
	if m, ok := rowMaps.Load(k); ok {
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
	rowMaps.Store(k, m)
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
		m.cols = append(m.cols, c)
		m.offs = append(m.offs, base+f.Offset)
		m.typs = append(m.typs, f.Type)
		m.get = append(m.get, columnGetter(f.Type, c))
	}
	return nil
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

// isZeroAt reports whether the field of type t at p is its zero value.
func isZeroAt(t reflect.Type, p unsafe.Pointer) bool {
	return reflect.NewAt(t, p).Elem().IsZero()
}

// appendStructRows writes " (cols) VALUES (…), (…)" for rows of one struct
// type. The auto-increment key is left out when it is zero in every row.
// Each row is looked at once: checked as its values are written (a failed
// rendering discards the text). Rows given as struct values are copied
// once each; pointers are read in place.
func appendStructRows(r *renderer, t *tableInfo, rows []any) {
	base, m, ok := rowMapAt(r, t, rows[0])
	if !ok {
		return
	}
	withAuto := m.auto >= 0 && !isZeroAt(m.typs[m.auto], unsafe.Add(base, m.offs[m.auto]))
	r.buf = append(r.buf, " ("...)
	n := 0
	for i, c := range m.cols {
		if i == m.auto && !withAuto {
			continue
		}
		if n > 0 {
			r.buf = append(r.buf, ", "...)
		}
		r.ident(roleColumn, c.name)
		n++
	}
	r.buf = append(r.buf, ") VALUES "...)
	for ri, row := range rows {
		if ri > 0 {
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
			if m.auto >= 0 && withAuto == isZeroAt(m.typs[m.auto], unsafe.Add(base, m.offs[m.auto])) {
				r.fail("wren: INSERT INTO %s: some rows set the auto-increment key %s and some leave it zero", t.ref(), m.cols[m.auto].name)
				return
			}
			r.buf = append(r.buf, ", "...)
		}
		r.buf = append(r.buf, '(')
		n := 0
		for i := range m.cols {
			if i == m.auto && !withAuto {
				continue
			}
			if n > 0 {
				r.buf = append(r.buf, ", "...)
			}
			r.arg(m.get[i](unsafe.Add(base, m.offs[i])))
			n++
		}
		r.buf = append(r.buf, ')')
	}
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
