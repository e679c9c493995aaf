package wren

import (
	"database/sql"
	"fmt"
	"reflect"
	"sync"
	"time"
)

// Declarations that disagree about a column's Go type are found when they
// are made: a Derived table or a CTE whose columns are not of the types
// its query selects, and a references= tag between columns of different
// types. (A column's type decides what its predicates take, so a wrong one
// lets wrong comparisons compile.)

// valueTyper is implemented by the typed expressions: the Go type of the
// values they select.
type valueTyper interface{ valueType() reflect.Type }

func (e Expr[T]) valueType() reflect.Type    { return reflect.TypeFor[T]() }
func (a Aliased[T]) valueType() reflect.Type { return reflect.TypeFor[T]() }
func (s Subquery[T]) valueType() reflect.Type {
	return reflect.TypeFor[T]()
}

// valueType is bool for a comparison; a Raw fragment's is unknown.
func (p Predicate) valueType() reflect.Type {
	if p.op == pExpr {
		return nil
	}
	return reflect.TypeFor[bool]()
}

func (s exprSel) valueType() reflect.Type {
	if vt, ok := s.e.(valueTyper); ok {
		return vt.valueType()
	}
	return nil
}

// itemTypes lists the Go type of each column items select, nil where it
// is not known, in the order of their result columns.
func itemTypes(items []Selectable) []reflect.Type {
	var out []reflect.Type
	for _, it := range items {
		if tl, ok := it.(TableLike); ok {
			if ti := infoOf(tl); ti != nil {
				for _, c := range ti.cols {
					out = append(out, c.typ)
				}
			}
			continue
		}
		if isNil(it) {
			out = append(out, nil)
			continue
		}
		if vt, ok := it.(valueTyper); ok {
			out = append(out, vt.valueType())
			continue
		}
		for range it.appendResultCols(nil) {
			out = append(out, nil)
		}
	}
	return out
}

// rowSourceItems returns the SELECT list that names q's result columns:
// its own, or a compound's first SELECT's.
func rowSourceItems(q any) ([]Selectable, bool) {
	switch q := q.(type) {
	case SelectQuery:
		return q.items, true
	case CompoundQuery:
		return q.first.items, true
	case untypedSource:
		return rowSourceItems(q.untyped())
	}
	return nil, false
}

// checkColumnTypes compares the columns of ti with what q selects, by
// name, and describes the first disagreement; what says which
// declaration it is ("derived table top", "CTE busy").
func checkColumnTypes(ti *tableInfo, q RowSource, what string) error {
	if isNil(q) {
		return nil // reported when rendered
	}
	items, ok := rowSourceItems(q)
	if !ok {
		return nil
	}
	names := q.ResultColumns()
	types := itemTypes(items)
	if len(names) != len(types) {
		return nil
	}
	for _, c := range ti.cols {
		for i, n := range names {
			if n.Name != c.name {
				continue
			}
			if !sameKindOfValue(c.typ, types[i]) {
				return fmt.Errorf("wren: %s: field %s is a Column[%s], but its query selects %s as %s: declare the column with the type the query selects", what, c.field, c.typ, c.name, types[i])
			}
			break
		}
	}
	return nil
}

// sameKindOfValue reports whether a column declared with Go type a can
// hold the values of an expression of Go type b: the same type, or the
// same kind of value (integers, floats, text, …), nullable or not. An
// unknown type (nil, an interface such as RawExpr[any]'s), or one with its
// own conversions (sql.Scanner, driver.Valuer), is given the benefit of
// the doubt.
func sameKindOfValue(a, b reflect.Type) bool {
	if a == nil || b == nil {
		return true
	}
	if a.Kind() == reflect.Pointer {
		a = a.Elem()
	}
	if b.Kind() == reflect.Pointer {
		b = b.Elem()
	}
	if a == b || a.Kind() == reflect.Interface || b.Kind() == reflect.Interface ||
		convertsItself(a) || convertsItself(b) {
		return true
	}
	fa, fb := valueFamily(a), valueFamily(b)
	return fa != "" && fa == fb
}

var scannerType = reflect.TypeFor[sql.Scanner]()

func convertsItself(t reflect.Type) bool {
	return reflect.PointerTo(t).Implements(scannerType) || t.Implements(valuerType)
}

// valueFamily groups Go types whose values the databases store alike.
func valueFamily(t reflect.Type) string {
	switch t.Kind() {
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return "integer"
	case reflect.Float32, reflect.Float64:
		return "float"
	case reflect.String:
		return "text"
	case reflect.Bool:
		return "bool"
	case reflect.Slice:
		if t.Elem().Kind() == reflect.Uint8 {
			return "bytes"
		}
	case reflect.Struct:
		if t.ConvertibleTo(reflect.TypeFor[time.Time]()) {
			return "time"
		}
	}
	return ""
}

// The references= check. A foreign key names a table by its SQL name, and
// the two descriptors may be declared in either order, so each side waits
// for the other in a registry: the key columns (pk, unique) of every table
// declared, and the references not yet matched. Tables without keys or
// references leave nothing in it, and it stops growing at maxRegistered
// entries (a program declares its tables once; a fuzzer declares millions),
// after which new tables go unchecked.
const maxRegistered = 1 << 14

var refRegistry struct {
	sync.Mutex
	keys    map[[2]string][]*colInfo // {table, column} -> key columns declared
	pending map[string][]*colInfo    // table -> columns waiting for it
}

// checkReferences registers ti's key columns and checks its references=
// tags, and the references waiting for ti, against the columns they name.
// It returns the first disagreement.
func checkReferences(ti *tableInfo) error {
	reg := &refRegistry
	reg.Lock()
	defer reg.Unlock()
	if reg.keys == nil {
		reg.keys = map[[2]string][]*colInfo{}
		reg.pending = map[string][]*colInfo{}
	}
	if len(reg.keys) >= maxRegistered || len(reg.pending) >= maxRegistered {
		return nil
	}
	for _, c := range ti.cols {
		if isKeyColumn(ti, c) {
			k := [2]string{ti.name, c.name}
			reg.keys[k] = append(reg.keys[k], c)
		}
	}
	// References waiting for this table.
	if waiting := reg.pending[ti.name]; len(waiting) > 0 {
		var still []*colInfo
		for _, from := range waiting {
			to := ti.column(from.opts.refColumn)
			if to == nil {
				still = append(still, from)
				continue
			}
			if err := refMismatch(from, to); err != nil {
				return err
			}
		}
		reg.pending[ti.name] = still
	}
	// This table's references.
	for _, c := range ti.cols {
		if c.opts.refTable == "" {
			continue
		}
		targets := reg.keys[[2]string{c.opts.refTable, c.opts.refColumn}]
		if len(targets) == 0 {
			reg.pending[c.opts.refTable] = append(reg.pending[c.opts.refTable], c)
			continue
		}
		var err error
		for _, to := range targets {
			if err = refMismatch(c, to); err == nil {
				break // one descriptor of the target agrees
			}
		}
		if err != nil {
			return err
		}
	}
	return nil
}

func isKeyColumn(ti *tableInfo, c *colInfo) bool {
	if c.opts.pk || c.opts.unique {
		return true
	}
	for _, n := range ti.opts.pk {
		if n == c.name {
			return true
		}
	}
	for _, u := range ti.opts.uniques {
		if len(u) == 1 && u[0] == c.name {
			return true
		}
	}
	return false
}

// refMismatch describes a foreign key between columns whose Go types
// hold different kinds of values.
func refMismatch(from, to *colInfo) error {
	if sameKindOfValue(from.typ, to.typ) {
		return nil
	}
	return fmt.Errorf("wren.NewTable[%s]: field %s is a Column[%s] with references=%s.%s, but %s.%s is a Column[%s] (field %s of %s): a foreign key holds the values of the key it references, so declare both with the same Go type",
		from.table.goName, from.field, from.typ, to.table.name, to.name, to.table.name, to.name, to.typ, to.field, to.table.goName)
}
