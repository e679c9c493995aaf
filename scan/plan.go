package scan

import (
	"database/sql"
	"fmt"
	"reflect"
	"strconv"
	"strings"
	"sync"
	"time"
	"unsafe"
)

// Options change how a plan hands values to the driver.
type Options struct {
	// TextTimes wraps time.Time fields in a scanner that also accepts the
	// text and integer forms SQLite stores times in.
	TextTimes bool
	// TextUUIDs wraps [16]byte fields in a scanner that reads a UUID's
	// text (36 characters, or 32 hex digits) or its 16 bytes, for drivers
	// that have no UUID type.
	TextUUIDs bool
	// Positional sends column i to the i-th field of the struct, whatever
	// the names: for row types whose fields are the positions of a SELECT
	// list. The struct must have one exported field per column.
	Positional bool
	// ScanNumbers scans int64, int, int32 and float64 fields (of those
	// kinds, not sql.Scanners) through a wrapper that stores the driver's
	// int64 or float64 directly, where database/sql would go through
	// reflection.
	// Other values are converted as database/sql converts them. For
	// drivers read through database/sql; pgx scans numbers natively.
	ScanNumbers bool
	// TextBlocks lets a Row copy the bytes of string fields into blocks
	// its rows share, when its caller asks (Row.ShareText), instead of
	// one string allocation per value. For drivers that hand strings over
	// as bytes they own: pgx, go-sql-driver/mysql.
	TextBlocks bool
}

// Plan scans rows with a fixed column list into values of one Go type.
// A Plan is immutable and safe for concurrent use.
type Plan struct {
	typ     reflect.Type
	scalar  bool
	fields  []field // one per column
	nested  []nested
	wrapped bool      // some field needs a per-query wrapper
	text    bool      // some field can be scanned through a textScanner
	rows    sync.Pool // of *Row, reused across queries
}

// field is where one column goes.
type field struct {
	col    Column
	path   string       // Go field path, for errors ("Tweet.User.Email")
	typ    reflect.Type // the field's type
	off    uintptr      // offset from the row (or nested struct) base
	proto  any          // a nil *typ (or **typ inside a nested pointer), to make dest pointers from
	nest   int          // index into Plan.nested, or -1
	wrap   bool         // scan through a timeScanner
	uuid   bool         // scan through a uuidScanner
	num    numKind      // scan through a numScanner, when not numNone
	text   bool         // a string, which Row.ShareText scans through a textScanner
	isNull bool         // the field can hold NULL
}

// nested is a pointer-to-struct field filled from the columns of one table.
type nested struct {
	off    uintptr      // offset of the pointer field in the row
	elem   reflect.Type // the struct type it points to
	fields []int        // indexes into Plan.fields
}

var (
	scannerType = reflect.TypeFor[sql.Scanner]()
	timeType    = reflect.TypeFor[time.Time]()
	stringType  = reflect.TypeFor[string]()
)

// IsScalar reports whether values of t are scanned whole from one column
// rather than field by field: every non-struct type, time.Time, and types
// that implement sql.Scanner (sql.Null[T] and friends).
func IsScalar(t reflect.Type) bool {
	if t.Kind() == reflect.Pointer {
		return IsScalar(t.Elem())
	}
	return t.Kind() != reflect.Struct || t == timeType || reflect.PointerTo(t).Implements(scannerType)
}

// wrapField decides whether f is scanned through a wrapper of the Row:
// times and UUIDs that the dialect keeps as text, and with
// opts.ScanNumbers plain int64, int, int32 and float64 fields.
func (p *Plan) wrapField(f *field, opts Options) {
	f.wrap = opts.TextTimes && isTime(f.typ)
	f.uuid = opts.TextUUIDs && isUUIDBytes(f.typ)
	if opts.ScanNumbers && !reflect.PointerTo(f.typ).Implements(scannerType) {
		switch f.typ.Kind() {
		case reflect.Int64:
			f.num = numInt64
		case reflect.Float64:
			f.num = numFloat64
		case reflect.Int32:
			f.num = numInt32
		case reflect.Int:
			if strconv.IntSize == 64 {
				f.num = numInt
			}
		}
	}
	p.wrapped = p.wrapped || f.wrap || f.uuid || f.num != numNone
	f.text = opts.TextBlocks && f.typ == stringType
	p.text = p.text || f.text
}

func nullable(t reflect.Type) bool {
	switch t.Kind() {
	case reflect.Pointer, reflect.Interface, reflect.Slice, reflect.Map:
		return true
	}
	return reflect.PointerTo(t).Implements(scannerType)
}

// target is a candidate field found while walking a struct type.
type target struct {
	name  string
	path  string
	typ   reflect.Type
	off   uintptr
	group *group // for struct fields that hold a joined table
}

type group struct {
	ptr     bool
	elem    reflect.Type
	off     uintptr
	path    string
	targets map[string]target
}

// Build makes the plan for scanning the columns cols into values of type t.
func Build(t reflect.Type, cols []Column, opts Options) (*Plan, error) {
	p := &Plan{typ: t}
	if IsScalar(t) {
		if len(cols) != 1 {
			return nil, fmt.Errorf("scan: %s is scanned from one column, but the query selects %d (%s)", t, len(cols), names(cols))
		}
		if err := checkField(cols[0], t.String(), t, nil); err != nil {
			return nil, err
		}
		f := field{col: cols[0], path: t.String(), typ: t, proto: reflect.Zero(reflect.PointerTo(t)).Interface(), nest: -1, isNull: nullable(t)}
		p.wrapField(&f, opts)
		p.scalar = true
		p.fields = []field{f}
		return p, nil
	}
	if opts.Positional {
		return buildPositional(p, t, cols, opts)
	}
	top := map[string]target{}
	if err := collect(t, 0, t.Name(), top); err != nil {
		return nil, err
	}
	used := map[string]string{} // field path -> column
	groupIndex := map[*group]int{}
	for _, c := range cols {
		var tg target
		var g *group
		found := false
		if c.Table != "" {
			if gt, ok := top[c.Table]; ok && gt.group != nil {
				g = gt.group
				tg, found = g.targets[c.Name]
				if !found {
					return nil, fmt.Errorf("scan: column %s has no field in %s (%s): add a field named %q or tagged `db:%q`", c, g.path, g.elem, c.Name, c.Name)
				}
			}
		}
		if !found {
			g = nil
			tg, found = top[c.Name]
			if found && tg.group != nil {
				return nil, fmt.Errorf("scan: column %s would go to field %s, which holds the joined table %q", c, tg.path, c.Name)
			}
		}
		if !found {
			return nil, fmt.Errorf("scan: column %s has no field in %s: add a field named %q or tagged `db:%q`", c, t, c.Name, c.Name)
		}
		if prev, dup := used[tg.path]; dup {
			return nil, fmt.Errorf("scan: columns %s and %s both go to field %s; alias one of them", prev, c, tg.path)
		}
		if err := checkField(c, tg.path, tg.typ, g); err != nil {
			return nil, err
		}
		used[tg.path] = c.String()
		f := field{col: c, path: tg.path, typ: tg.typ, off: tg.off, nest: -1, isNull: nullable(tg.typ)}
		p.wrapField(&f, opts)
		if g != nil && g.ptr {
			i, ok := groupIndex[g]
			if !ok {
				i = len(p.nested)
				groupIndex[g] = i
				p.nested = append(p.nested, nested{off: g.off, elem: g.elem})
			}
			f.nest = i
			p.nested[i].fields = append(p.nested[i].fields, len(p.fields))
			// The cell holds a *typ the driver sets to nil on NULL; a
			// pointer field is its own cell.
			cell := tg.typ
			if cell.Kind() != reflect.Pointer {
				cell = reflect.PointerTo(cell)
			}
			f.proto = reflect.Zero(reflect.PointerTo(cell)).Interface()
		} else {
			if g != nil {
				f.off += g.off
			}
			f.proto = reflect.Zero(reflect.PointerTo(tg.typ)).Interface()
		}
		p.fields = append(p.fields, f)
	}
	if err := checkStrict(t, top, used); err != nil {
		return nil, err
	}
	return p, nil
}

var uuidBytesType = reflect.TypeFor[[16]byte]()

// isUUIDBytes reports whether t is [16]byte or *[16]byte (a named type
// such as uuid.UUID scans itself).
func isUUIDBytes(t reflect.Type) bool {
	return t == uuidBytesType || (t.Kind() == reflect.Pointer && t.Elem() == uuidBytesType)
}

func isTime(t reflect.Type) bool {
	return t == timeType || (t.Kind() == reflect.Pointer && t.Elem() == timeType)
}

func names(cols []Column) string {
	s := make([]string, len(cols))
	for i, c := range cols {
		s[i] = c.String()
	}
	return strings.Join(s, ", ")
}

// String is "table.name", or "name" for an unqualified column.
func (c Column) String() string {
	if c.Table == "" {
		return c.Name
	}
	return c.Table + "." + c.Name
}

// collect adds the fields of struct type t (at offset base) to out, by
// column name. Struct fields become groups for joined tables.
func collect(t reflect.Type, base uintptr, path string, out map[string]target) error {
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		tag, hasTag := f.Tag.Lookup("db")
		if tag == "-" {
			continue
		}
		name, _, _ := strings.Cut(tag, ",")
		fpath := path + "." + f.Name
		if f.Anonymous && !hasTag {
			ft := f.Type
			if ft.Kind() == reflect.Struct && !IsScalar(ft) {
				if err := collect(ft, base+f.Offset, path, out); err != nil {
					return err
				}
				continue
			}
			if ft.Kind() == reflect.Pointer && ft.Elem().Kind() == reflect.Struct && !IsScalar(ft) {
				return fmt.Errorf("scan: embedded pointer %s is not supported; embed the struct by value", fpath)
			}
		}
		if !f.IsExported() {
			continue
		}
		if name == "" {
			name = SnakeCase(f.Name)
		}
		tg := target{name: name, path: fpath, typ: f.Type, off: base + f.Offset}
		if !IsScalar(f.Type) {
			g := &group{off: base + f.Offset, path: fpath, elem: f.Type, targets: map[string]target{}}
			if f.Type.Kind() == reflect.Pointer {
				g.ptr, g.elem = true, f.Type.Elem()
				if err := collect(g.elem, 0, fpath, g.targets); err != nil {
					return err
				}
			} else if err := collect(f.Type, 0, fpath, g.targets); err != nil {
				return err
			}
			tg.group = g
		}
		if prev, dup := out[name]; dup {
			return fmt.Errorf("scan: fields %s and %s both take column %q; tag one with `db:\"…\"`", prev.path, fpath, name)
		}
		out[name] = tg
	}
	return nil
}

// Columns returns the number of columns the plan scans.
func (p *Plan) Columns() int { return len(p.fields) }

// Column returns the i-th column and the path and type of the field it goes
// to, for error messages.
func (p *Plan) Column(i int) (col Column, fieldPath string, fieldType reflect.Type) {
	f := p.fields[i]
	return f.col, f.path, f.typ
}

// eface is the layout of an interface{} value.
type eface struct {
	typ  unsafe.Pointer
	data unsafe.Pointer
}

// ptrAt returns proto (a nil pointer of some type *F, as any) pointing at p.
// It is what reflect.NewAt(F, p).Interface() returns, without reflection.
func ptrAt(proto any, p unsafe.Pointer) any {
	(*eface)(unsafe.Pointer(&proto)).data = p
	return proto
}

// buildPositional fills p for struct type t whose i-th field receives
// column i.
func buildPositional(p *Plan, t reflect.Type, cols []Column, opts Options) (*Plan, error) {
	if t.Kind() != reflect.Struct || t.NumField() != len(cols) {
		return nil, fmt.Errorf("scan: %s takes its columns by position, but the query selects %d (%s)", t, len(cols), names(cols))
	}
	for i, c := range cols {
		sf := t.Field(i)
		path := t.Name() + "." + sf.Name
		if err := checkField(c, path, sf.Type, nil); err != nil {
			return nil, err
		}
		f := field{col: c, path: path, typ: sf.Type, off: sf.Offset, nest: -1, isNull: nullable(sf.Type),
			proto: reflect.Zero(reflect.PointerTo(sf.Type)).Interface()}
		p.wrapField(&f, opts)
		p.fields = append(p.fields, f)
	}
	return p, nil
}
