package scan

import (
	"fmt"
	"reflect"
)

// Strict, embedded in a struct, makes every field of that struct required:
// a plan that leaves one of them without a column is an error, where by
// default such a field simply keeps its zero value.
//
//	type UserRow struct {
//		scan.Strict // or wren.Strict
//		ID   int64
//		Name string
//	}
//
// For a nested struct that receives a joined table, Strict in the outer
// struct asks that the nested struct receive at least one column; Strict
// in the nested struct asks that all its own fields do.
type Strict struct{}

var strictType = reflect.TypeFor[Strict]()

// isStrict reports whether struct type t embeds Strict.
func isStrict(t reflect.Type) bool {
	for i := 0; i < t.NumField(); i++ {
		if f := t.Field(i); f.Anonymous && f.Type == strictType {
			return true
		}
	}
	return false
}

// FieldError is a plan's refusal of one column for one field: the field
// cannot hold the column's values (another type, or NULL). It is returned
// when the plan is built, before any row is read.
type FieldError struct {
	Column    Column
	Field     string       // the field's path, "Row.User.Email"
	FieldType reflect.Type // the field's type
	Reason    string       // what is wrong and what to write instead
}

// Error names the column, the field and both types.
func (e *FieldError) Error() string {
	return fmt.Sprintf("scan: column %s into field %s (%s): %s", e.Column, e.Field, e.FieldType, e.Reason)
}

// checkField refuses a column whose values a field cannot hold: a value of
// another type, or NULL (an outer join's absent row, a nullable column) in
// a field that cannot hold NULL. g is the nested struct the field belongs
// to, or nil.
func checkField(c Column, path string, ft reflect.Type, g *group) error {
	fail := func(format string, a ...any) error {
		return &FieldError{Column: c, Field: path, FieldType: ft, Reason: fmt.Sprintf(format, a...)}
	}
	if c.Type != nil && !Fits(c.Type, ft) && !isScanner(ft) {
		return fail("the column holds %s, which %s cannot hold without a conversion: declare the field as %s (or *%s, sql.Null[%s]), or convert in the query (wren.Cast)",
			c.Type, ft, c.Type, c.Type, c.Type)
	}
	if HoldsNull(ft) {
		return nil
	}
	switch {
	case c.Nullable && g != nil && !g.ptr:
		return fail("the column comes from the nullable side of an outer join and is NULL where no row joins, but %s is a %s struct, which cannot be absent: declare it *%s (nil when no row joins), or make its fields nullable (pointers or sql.Null)",
			g.path, g.elem, g.elem)
	case c.Nullable && g == nil:
		return fail("the column comes from the nullable side of an outer join and is NULL where no row joins, but %s cannot hold NULL: declare the field *%s or sql.Null[%s], or scan the joined table into a *Struct field",
			ft, ft, ft)
	case MayBeNull(c.Type):
		// (A pointer struct is nil when its joined row is absent, so
		// only the column's own nullability matters there.)
		return fail("the column may be NULL (its values are %s), but %s cannot hold NULL: declare the field *%s or sql.Null[%s], or select wren.Coalesce(…) with a default",
			c.Type, ft, ft, ft)
	}
	return nil
}

// checkStrict refuses a strict struct field that no column fills. used
// holds the paths of the fields that receive a column; groups those of the
// nested structs that receive at least one.
func checkStrict(t reflect.Type, top map[string]target, used map[string]string) error {
	if isStrict(t) {
		if err := unfilled(t, top, used); err != nil {
			return err
		}
	}
	for _, tg := range top {
		g := tg.group
		if g == nil || !isStrict(g.elem) || !groupUsed(g, used) {
			continue
		}
		if err := unfilled(g.elem, g.targets, used); err != nil {
			return err
		}
	}
	return nil
}

func unfilled(t reflect.Type, targets map[string]target, used map[string]string) error {
	var missing []target
	for _, tg := range targets {
		if _, ok := used[tg.path]; ok || (tg.group != nil && groupUsed(tg.group, used)) {
			continue
		}
		missing = append(missing, tg)
	}
	if len(missing) == 0 {
		return nil
	}
	first := missing[0]
	for _, m := range missing[1:] {
		if m.path < first.path {
			first = m
		}
	}
	return fmt.Errorf("scan: %s embeds Strict, but no column fills field %s (%s)%s: select a column named %q, or tag the field `db:\"-\"`",
		t, first.path, first.typ, more(len(missing)-1), first.name)
}

func more(n int) string {
	if n == 0 {
		return ""
	}
	return fmt.Sprintf(" nor %d other field(s)", n)
}

func groupUsed(g *group, used map[string]string) bool {
	for _, tg := range g.targets {
		if _, ok := used[tg.path]; ok {
			return true
		}
	}
	return false
}
