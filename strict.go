package wren

import "github.com/wrensql/wren/scan"

// Strict, embedded in a struct that rows are scanned into, makes every field
// of that struct required: a query that fills none of them fails when its
// scan plan is built, before any row is read. By default a field that no
// column fills keeps its zero value.
//
//	type UserRow struct {
//		wren.Strict
//		ID       int64
//		Username string
//	}
//
// Strictness belongs to the struct type, so every query that scans into it
// is checked the same way. In a nested struct that receives a joined table,
// Strict in the outer struct asks that the nested struct receive some
// column; Strict in the nested struct asks that all its own fields do.
// Fields tagged `db:"-"` are never required.
type Strict = scan.Strict
