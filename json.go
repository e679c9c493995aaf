package wren

import (
	"database/sql/driver"
	"encoding/json"
	"fmt"
	"reflect"

	"github.com/wrensql/wren/dialect"
)

// JSON is a column value stored as a JSON document: a Column[wren.JSON[T]]
// is JSONB on PostgreSQL, JSON on MySQL and MariaDB and TEXT on SQLite, and
// a value goes in with encoding/json's Marshal and comes out with its
// Unmarshal, the same way on every database. T is any type encoding/json
// takes: a struct, map[string]any, []T, json.RawMessage, …
//
//	type UserTable struct {
//		wren.Table
//		ID       wren.Column[int64] `wren:",pk"`
//		Settings wren.Column[wren.JSON[Settings]]
//	}
//
// The row struct's field is a wren.JSON[Settings] too (its value in V). A
// nullable JSON column is a Column[*wren.JSON[T]]; SQL NULL into a JSON[T]
// is an error (the JSON literal null is not SQL NULL: it is what a nil V
// of a pointer, map or slice type is stored as).
//
// PostgreSQL's JSONB keeps the document's meaning, not its text: key order,
// duplicate keys and white space are not kept, so a json.RawMessage reads
// back equal in value, not always byte for byte.
//
// Extract values with [JSONGet]; test containment with [JSONContains].
type JSON[T any] struct{ V T }

// JSONOf returns v as a JSON value.
func JSONOf[T any](v T) JSON[T] { return JSON[T]{V: v} }

// Value implements driver.Valuer: the JSON text of V.
func (j JSON[T]) Value() (driver.Value, error) {
	b, err := json.Marshal(j.V)
	if err != nil {
		return nil, fmt.Errorf("wren: JSON[%s]: %w", reflect.TypeFor[T](), err)
	}
	return string(b), nil
}

// Scan implements sql.Scanner: it unmarshals a JSON text into a new V.
func (j *JSON[T]) Scan(src any) error {
	var b []byte
	switch s := src.(type) {
	case []byte:
		b = s
	case string:
		b = []byte(s)
	case nil:
		return fmt.Errorf("wren: NULL into a wren.JSON[%s]; use *wren.JSON[%s] or sql.Null[wren.JSON[%s]]", reflect.TypeFor[T](), reflect.TypeFor[T](), reflect.TypeFor[T]())
	default:
		return fmt.Errorf("wren: cannot read %T as wren.JSON[%s]", src, reflect.TypeFor[T]())
	}
	var v T
	if err := json.Unmarshal(b, &v); err != nil {
		return fmt.Errorf("wren: JSON[%s]: %w", reflect.TypeFor[T](), err)
	}
	j.V = v
	return nil
}

// MarshalJSON writes V, so that a JSON[T] inside another document is V.
func (j JSON[T]) MarshalJSON() ([]byte, error) { return json.Marshal(j.V) }

// UnmarshalJSON reads V.
func (j *JSON[T]) UnmarshalJSON(b []byte) error { return json.Unmarshal(b, &j.V) }

func (JSON[T]) jsonDoc() {}

// JSONDoc is implemented by [JSON] and *JSON: the types of JSON columns and
// of documents extracted from them, which [JSONGet] and [JSONContains]
// take.
type JSONDoc interface{ jsonDoc() }

var jsonDocType = reflect.TypeFor[JSONDoc]()

// isJSONType reports whether t is a JSON[T].
func isJSONType(t reflect.Type) bool { return t.Kind() == reflect.Struct && t.Implements(jsonDocType) }

// JSONGet extracts the value at path from the JSON document e, as an
// expression of type V. The path is object keys (strings) and array
// indexes (ints); it is bound as one parameter, so paths of one length
// share one statement text:
//
//	wren.JSONGet[string](Users.Settings, "theme")          // "settings" #>> $1 on PostgreSQL
//	wren.JSONGet[int64](Users.Settings, "limits", "daily") // CAST(… AS BIGINT)
//	wren.JSONGet[wren.JSON[Limits]](Users.Settings, "limits")
//
// V says what is extracted: a string type is the value as text (a JSON
// string unquoted: ->> / JSON_UNQUOTE(JSON_EXTRACT(…)) / ->>); an integer,
// float or bool type is that text cast; a JSON[U] is the sub-document (#>
// / JSON_EXTRACT / ->). A path that is not in the document gives NULL:
// scan it into a pointer (V = *string, …) where it may be missing. Any
// other V fails when the query is rendered.
func JSONGet[V any, J JSONDoc](e TypedExpr[J], path ...any) Expr[V] {
	return newExpr[V](jsonGet{doc: e, path: path, as: reflect.TypeFor[V]()})
}

type jsonGet struct {
	doc  Expression
	path []any
	as   reflect.Type
}

func (g jsonGet) appendSQL(r *renderer) {
	kind, ok := jsonKind(g.as)
	if !ok {
		r.fail("wren: JSONGet[%s]: want a string, integer, float or bool type, or a wren.JSON[…], as the extracted value's type", g.as)
		return
	}
	path, err := r.d.JSONPath(g.path)
	if err != nil {
		r.fail("wren: JSONGet on %s: %v", describe(g.doc), err)
		return
	}
	pre, mid, suf := r.d.JSONExtract(kind)
	r.buf = append(r.buf, pre...)
	g.doc.appendSQL(r)
	r.buf = append(r.buf, mid...)
	r.arg(path)
	r.buf = append(r.buf, suf...)
}

// jsonKind says what JSONGet extracts for a value of Go type t.
func jsonKind(t reflect.Type) (dialect.JSONValue, bool) {
	if t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if isJSONType(t) {
		return dialect.JSONDocument, true
	}
	switch {
	case t.Kind() == reflect.String:
		return dialect.JSONText, true
	case t.Kind() == reflect.Bool:
		return dialect.JSONBool, true
	case isIntegerType(t):
		return dialect.JSONInt, true
	case t.Kind() == reflect.Float32 || t.Kind() == reflect.Float64:
		return dialect.JSONFloat, true
	}
	return 0, false
}

// JSONContains is true where the JSON document e contains v (marshaled
// with encoding/json): every key and value of an object v is in e's
// object, every element of an array v is in e's array. It is @> on
// PostgreSQL and JSON_CONTAINS on MySQL and MariaDB; SQLite has no such
// test, and rendering fails there with ErrUnsupported.
//
//	wren.JSONContains(Users.Settings, map[string]any{"theme": "dark"})
func JSONContains[J JSONDoc](e TypedExpr[J], v any) Predicate {
	b, err := json.Marshal(v)
	if err != nil {
		return invalidPredicate(fmt.Errorf("wren: JSONContains on %s: %w", describe(e), err))
	}
	return Predicate{op: pExpr, l: jsonContains{doc: e, v: string(b)}}
}

type jsonContains struct {
	doc Expression
	v   string
}

func (c jsonContains) appendSQL(r *renderer) {
	pre, mid, suf, ok := r.d.JSONContains()
	if !ok {
		r.unsupported("JSONContains (JSON containment)")
		return
	}
	r.buf = append(r.buf, pre...)
	c.doc.appendSQL(r)
	r.buf = append(r.buf, mid...)
	r.arg(c.v)
	r.buf = append(r.buf, suf...)
}
