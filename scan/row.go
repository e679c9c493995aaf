package scan

import (
	"fmt"
	"reflect"
	"slices"
	"strconv"
	"time"
	"unsafe"

	"github.com/google/uuid"
)

// Row is the per-query state for scanning with a plan: the destination
// slice handed to the driver and the cells of nested pointers and time
// wrappers, reused for every row. A Row is not safe for concurrent use.
type Row struct {
	p     *Plan
	dest  []any
	cells []unsafe.Pointer // per column: the *F a nested-pointer column was scanned into
	times []timeScanner
	uuids []uuidScanner
	nums  []numScanner
	// kinds and offs say, per column, how Dest points it at a row: the
	// fields' own, kept close together for the loop that runs per row.
	kinds []destKind
	offs  []uintptr
	// plain is set when every destination is destField: the loops per row
	// then only point them.
	plain bool
	// texts and blk scan string fields into shared blocks while sharing
	// (ShareText), when dest and kinds are those that point string
	// columns at texts; other holds the pair not in use, and plainAlone
	// is plain when not sharing.
	texts      []textScanner
	blk        textBlock
	sharing    bool
	plainAlone bool
	base       unsafe.Pointer // the row being scanned, while sharing
	fieldCols  []int          // the destField columns while sharing, when all others are strings
	other      struct {
		dest  []any
		kinds []destKind
	}
	// wire decodes PostgreSQL's wire forms without pgx's Scan (UseWire).
	wire wireState
}

// destKind is how a column's destination is pointed at a row.
type destKind uint8

const (
	destField  destKind = iota // dest holds a *F; its pointer is set per row
	destNested                 // dest points at the column's cell, cleared per row
	destUUID                   // dest is the column's uuidScanner; its p is set per row
	destTime                   // dest is the column's timeScanner; its p is set per row
	destNum                    // dest is the column's numScanner; its p is set per row
	destText                   // dest is the column's textScanner, which finds its field from the Row's base
)

// NewRow returns the per-query scanning state of p. Give it back with
// Release when the query is done, so the next query reuses it.
func (p *Plan) NewRow() *Row {
	if r, ok := p.rows.Get().(*Row); ok {
		return r
	}
	n := len(p.fields)
	r := &Row{p: p, dest: make([]any, n), kinds: make([]destKind, n), offs: make([]uintptr, n)}
	if len(p.nested) > 0 {
		r.cells = make([]unsafe.Pointer, n)
	}
	if p.wrapped {
		r.times = make([]timeScanner, n)
		r.uuids = make([]uuidScanner, n)
		r.nums = make([]numScanner, n)
	}
	// Each destination's type, and where it points when it points into r,
	// are the same for every row: set once here.
	for i := range p.fields {
		f := &p.fields[i]
		r.offs[i] = f.off
		ptr := f.typ.Kind() == reflect.Pointer
		switch {
		case f.nest >= 0:
			r.kinds[i] = destNested
			r.dest[i] = ptrAt(f.proto, unsafe.Pointer(&r.cells[i]))
		case f.uuid:
			r.kinds[i] = destUUID
			r.uuids[i].ptr = ptr
			r.dest[i] = &r.uuids[i]
		case f.wrap:
			r.kinds[i] = destTime
			r.times[i].ptr = ptr
			r.dest[i] = &r.times[i]
		case f.num != numNone:
			r.kinds[i] = destNum
			r.nums[i].kind = f.num
			r.dest[i] = &r.nums[i]
		default:
			r.dest[i] = f.proto // a nil *F until Dest points it at a row
		}
	}
	r.plain = !slices.ContainsFunc(r.kinds, func(k destKind) bool { return k != destField })
	r.plainAlone = r.plain
	return r
}

// Release returns r to its plan for reuse; r must not be used afterwards.
func (r *Row) Release() {
	// Drop every pointer into the caller's values before pooling; the
	// destinations keep their types, and those that point into r keep
	// pointing there.
	r.wire.src = nil
	if r.plain {
		for i := range r.dest {
			(*eface)(unsafe.Pointer(&r.dest[i])).data = nil
		}
		r.p.rows.Put(r)
		return
	}
	for i, k := range r.kinds {
		switch k {
		case destField:
			(*eface)(unsafe.Pointer(&r.dest[i])).data = nil
		case destUUID:
			r.uuids[i].p = nil
		case destTime:
			r.times[i].p = nil
		case destNum:
			r.nums[i].p = nil
		}
	}
	if r.sharing {
		r.unshare()
	}
	clear(r.cells)
	r.p.rows.Put(r)
}

// Dest returns the destination pointers for scanning one row into the value
// at base (a pointer to the plan's type).
func (r *Row) Dest(base unsafe.Pointer) []any {
	dest, offs := r.dest[:len(r.kinds)], r.offs[:len(r.kinds)]
	if r.plain {
		for i, off := range offs {
			(*eface)(unsafe.Pointer(&dest[i])).data = unsafe.Add(base, off)
		}
		return r.dest
	}
	if r.sharing {
		r.blk.rows++
		r.base = base
		if r.fieldCols != nil {
			for _, i := range r.fieldCols {
				(*eface)(unsafe.Pointer(&dest[i])).data = unsafe.Add(base, offs[i])
			}
			return r.dest
		}
	}
	for i, k := range r.kinds {
		switch k {
		case destField:
			(*eface)(unsafe.Pointer(&dest[i])).data = unsafe.Add(base, offs[i])
		case destNested:
			r.cells[i] = nil
		case destUUID:
			r.uuids[i].p = unsafe.Add(base, offs[i])
		case destTime:
			r.times[i].p = unsafe.Add(base, offs[i])
		case destNum:
			r.nums[i].p = unsafe.Add(base, offs[i])
		}
	}
	return r.dest
}

// Finish completes a row after the driver scanned it: it fills nested
// pointer structs, leaving them nil when all their columns were NULL.
func (r *Row) Finish(base unsafe.Pointer) error {
	for _, n := range r.p.nested {
		present := false
		for _, i := range n.fields {
			if r.cells[i] != nil {
				present = true
				break
			}
		}
		if !present {
			continue
		}
		s := reflect.New(n.elem)
		sp := s.UnsafePointer()
		for _, i := range n.fields {
			f := &r.p.fields[i]
			if r.cells[i] == nil {
				if !f.isNull {
					return fmt.Errorf("scan: column %s is NULL but field %s (%s) cannot hold NULL; use a pointer or sql.Null[%s]", f.col, f.path, f.typ, f.typ)
				}
				continue
			}
			if f.typ.Kind() == reflect.Pointer {
				*(*unsafe.Pointer)(unsafe.Add(sp, f.off)) = r.cells[i]
				continue
			}
			reflect.NewAt(f.typ, unsafe.Add(sp, f.off)).Elem().Set(reflect.NewAt(f.typ, r.cells[i]).Elem())
		}
		*(*unsafe.Pointer)(unsafe.Add(base, n.off)) = sp
	}
	return nil
}

// timeScanner reads a time.Time (or *time.Time) from any form SQLite keeps
// times in: a time value, ISO-8601 / SQLite text, or Unix seconds.
type timeScanner struct {
	p   unsafe.Pointer // *time.Time, or **time.Time when ptr
	ptr bool
}

var timeLayouts = []string{
	time.RFC3339Nano,
	"2006-01-02 15:04:05.999999999-07:00",
	"2006-01-02 15:04:05.999999999Z07:00",
	"2006-01-02 15:04:05.999999999",
	"2006-01-02 15:04:05.999999999 -0700 MST", // time.Time.String()
	"2006-01-02T15:04:05.999999999",
	"2006-01-02 15:04",
	"2006-01-02T15:04",
	"2006-01-02",
}

// Scan implements sql.Scanner.
func (s *timeScanner) Scan(src any) error {
	var t time.Time
	switch v := src.(type) {
	case nil:
		if s.ptr {
			*(**time.Time)(s.p) = nil
			return nil
		}
		return fmt.Errorf("converting NULL to time.Time is unsupported")
	case time.Time:
		t = v
	case string:
		return s.parse(v)
	case []byte:
		return s.parse(string(v))
	case int64:
		t = time.Unix(v, 0).UTC()
	case float64:
		sec := int64(v)
		t = time.Unix(sec, int64((v-float64(sec))*1e9)).UTC()
	default:
		return fmt.Errorf("converting %T to time.Time is unsupported", src)
	}
	s.set(t)
	return nil
}

func (s *timeScanner) parse(v string) error {
	for _, l := range timeLayouts {
		if t, err := time.Parse(l, v); err == nil {
			s.set(t)
			return nil
		}
	}
	if n, err := strconv.ParseInt(v, 10, 64); err == nil {
		s.set(time.Unix(n, 0).UTC())
		return nil
	}
	return fmt.Errorf("cannot read %q as a time", v)
}

// set stores t; only a *time.Time field gets a time of its own on the heap
// (a copy, so that t itself stays on the stack for a time.Time field).
func (s *timeScanner) set(t time.Time) {
	if s.ptr {
		p := new(time.Time)
		*p = t
		*(**time.Time)(s.p) = p
		return
	}
	*(*time.Time)(s.p) = t
}

// uuidScanner reads a [16]byte (or *[16]byte) from a UUID's text or its
// 16 bytes.
type uuidScanner struct {
	p   unsafe.Pointer // *[16]byte, or **[16]byte when ptr
	ptr bool
}

// Scan implements sql.Scanner.
func (s *uuidScanner) Scan(src any) error {
	var b []byte
	switch v := src.(type) {
	case nil:
		if s.ptr {
			*(**[16]byte)(s.p) = nil
			return nil
		}
		return fmt.Errorf("converting NULL to [16]byte is unsupported")
	case string:
		b = []byte(v)
	case []byte:
		b = v
	default:
		return fmt.Errorf("converting %T to a [16]byte UUID is unsupported", src)
	}
	var u [16]byte
	if len(b) == 16 {
		copy(u[:], b)
	} else {
		p, err := uuid.ParseBytes(b)
		if err != nil {
			return fmt.Errorf("cannot read %q as a UUID: %w", b, err)
		}
		u = p
	}
	if s.ptr {
		p := new([16]byte)
		*p = u
		*(**[16]byte)(s.p) = p
		return nil
	}
	*(*[16]byte)(s.p) = u
	return nil
}
