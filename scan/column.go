package scan

import "reflect"

// Column names one column of a result set as wren selected it: the table (or
// alias) it was qualified by, empty for an expression, and its name or alias.
type Column struct {
	Table string
	Name  string
	// Type is the Go type of the values wren selects in this column (the T
	// of a Column[T] or of a typed expression), or nil when wren does not
	// know it (raw SQL). A plan refuses a field that cannot hold a Type
	// without a conversion.
	Type reflect.Type
	// Nullable says the column comes from the nullable side of an outer
	// join (the joined table of a LEFT JOIN, the tables before a RIGHT
	// JOIN, both sides of a FULL JOIN): it is NULL wherever the joined row
	// is absent, whatever the column's declaration says.
	Nullable bool
}
