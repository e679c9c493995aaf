package scan

import (
	"errors"
	"reflect"
	"strings"
	"testing"
	"unsafe"
)

type pos2 struct {
	V1 int64
	V2 *string
}

// A positional plan sends column i to field i whatever the names.
func TestPositional(t *testing.T) {
	cols := []Column{{Table: "u", Name: "id", Type: reflect.TypeFor[int64]()}, {Name: "whatever", Type: reflect.TypeFor[*string]()}}
	p, err := Build(reflect.TypeFor[pos2](), cols, Options{Positional: true})
	if err != nil {
		t.Fatal(err)
	}
	var v pos2
	row := p.NewRow()
	defer row.Release()
	dest := row.Dest(unsafe.Pointer(&v))
	s := "x"
	*dest[0].(*int64) = 7
	*dest[1].(**string) = &s
	if err := row.Finish(unsafe.Pointer(&v)); err != nil || v.V1 != 7 || *v.V2 != "x" {
		t.Fatalf("got %+v, %v", v, err)
	}
}

// The column count must match the fields; an outer join's column into a
// field that cannot hold NULL is refused by name.
func TestPositionalErrors(t *testing.T) {
	_, err := Build(reflect.TypeFor[pos2](), []Column{{Name: "id"}}, Options{Positional: true})
	if err == nil || !strings.Contains(err.Error(), "takes its columns by position, but the query selects 1 (id)") {
		t.Fatalf("count: %v", err)
	}
	cols := []Column{{Table: "t", Name: "id", Type: reflect.TypeFor[int64](), Nullable: true}, {Name: "x"}}
	_, err = Build(reflect.TypeFor[pos2](), cols, Options{Positional: true})
	var fe *FieldError
	if !errors.As(err, &fe) || fe.Field != "pos2.V1" || fe.Column.Name != "id" {
		t.Fatalf("nullable: %v", err)
	}
}
