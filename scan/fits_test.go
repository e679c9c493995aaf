package scan

import (
	"database/sql"
	"encoding/json"
	"reflect"
	"testing"
	"time"
)

type myName string

func TestFits(t *testing.T) {
	cases := []struct {
		from, to reflect.Type
		want     bool
	}{
		{reflect.TypeFor[int64](), reflect.TypeFor[int64](), true},
		{reflect.TypeFor[int64](), reflect.TypeFor[string](), false},
		{reflect.TypeFor[time.Time](), reflect.TypeFor[string](), false},
		{reflect.TypeFor[string](), reflect.TypeFor[[]byte](), false},
		{reflect.TypeFor[[]byte](), reflect.TypeFor[string](), false},
		{reflect.TypeFor[string](), reflect.TypeFor[myName](), true},
		{reflect.TypeFor[[]byte](), reflect.TypeFor[json.RawMessage](), true},
		{reflect.TypeFor[int64](), reflect.TypeFor[*int64](), true},
		{reflect.TypeFor[*int64](), reflect.TypeFor[int64](), true}, // NULL is MayBeNull's question
		{reflect.TypeFor[int64](), reflect.TypeFor[sql.Null[int64]](), true},
		{reflect.TypeFor[int64](), reflect.TypeFor[sql.NullInt64](), true},
		{reflect.TypeFor[int64](), reflect.TypeFor[sql.NullString](), false},
		{reflect.TypeFor[int32](), reflect.TypeFor[int64](), true},
		{reflect.TypeFor[int64](), reflect.TypeFor[int32](), false},
		{reflect.TypeFor[uint32](), reflect.TypeFor[int64](), true},
		{reflect.TypeFor[uint64](), reflect.TypeFor[int64](), false},
		{reflect.TypeFor[int64](), reflect.TypeFor[uint64](), false},
		{reflect.TypeFor[int64](), reflect.TypeFor[float64](), false},
		{reflect.TypeFor[float32](), reflect.TypeFor[float64](), true},
		{reflect.TypeFor[int64](), reflect.TypeFor[any](), true},
		{reflect.TypeFor[bool](), reflect.TypeFor[int64](), false},
	}
	for _, c := range cases {
		if got := Fits(c.from, c.to); got != c.want {
			t.Errorf("Fits(%s, %s) = %v, want %v", c.from, c.to, got, c.want)
		}
	}
}

type strictRow struct {
	Strict
	ID   int64
	Name string
}

func TestBuildRefuses(t *testing.T) {
	i64 := reflect.TypeFor[int64]()
	type row struct{ ID string }
	_, err := Build(reflect.TypeFor[row](), []Column{{Name: "id", Type: i64}}, Options{})
	if fe, ok := err.(*FieldError); !ok || fe.Field != "row.ID" || fe.Column.Name != "id" {
		t.Fatalf("want a FieldError for row.ID, got %v", err)
	}
	// Unknown types (raw SQL) are not checked.
	if _, err := Build(reflect.TypeFor[row](), []Column{{Name: "id"}}, Options{}); err != nil {
		t.Fatal(err)
	}
	_, err = Build(reflect.TypeFor[strictRow](), []Column{{Name: "id", Type: i64}}, Options{})
	if err == nil {
		t.Fatal("strict struct with an unfilled field: no error")
	}
	if _, err := Build(reflect.TypeFor[strictRow](), []Column{{Name: "id", Type: i64}, {Name: "name"}}, Options{}); err != nil {
		t.Fatal(err)
	}
}
