package scan

// Column names one column of a result set as wren selected it: the table (or
// alias) it was qualified by, empty for an expression, and its name or alias.
type Column struct {
	Table string
	Name  string
}
