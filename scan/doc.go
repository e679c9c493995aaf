// Package scan maps result rows onto Go values: structs (by column name),
// nested structs for joined tables, and single scalars.
//
// A [Plan] is built once per (Go type, column list) and cached by the caller;
// scanning a row with a plan does no reflection and allocates nothing beyond
// what the driver needs: the plan holds, for every column, the offset of its
// field and the type of pointer to hand the driver, and [Plan.Dest] fills a
// reused destination slice with pointers into the row's struct.
//
// Matching rules, for a struct type T and a column qualified by table (or
// alias) Q with name N:
//
//   - a field of T whose type is a struct (or pointer to struct) and whose
//     `db` tag or snake_case name is Q receives the column, in its own field
//     named N: this is how joined tables land in nested structs;
//   - otherwise the field of T named N (by `db` tag or snake_case name)
//     receives it; fields of embedded structs count as T's own;
//   - a column with no field, or two columns for one field, is an error
//     naming them.
//
// A pointer-to-struct field is left nil when every column of its table is
// NULL, as for the absent side of a LEFT JOIN. NULL into a field that cannot
// hold it (not a pointer, sql.Null[T] or sql.Scanner) is an error, never a
// zero value.
//
// With [Options.TextBlocks], a caller that keeps a query's rows together
// can ask ([Row.ShareText]) for the string fields of the rows after the
// first to be copied into blocks of up to 4 KiB that the rows share, one
// allocation per block instead of one per value; values over 256 bytes get
// a string of their own. A string from such a result keeps its block
// alive.
//
// For PostgreSQL through pgx, [Row.UseWire] and [Row.DecodeWire] store
// the common column types (text, integers, floats, bool, times, uuid,
// bytea) into fields of the Go types pgx gives them, or pointers to
// them, straight from the bytes pgx received, as pgx's default type map
// decodes them; any other pair leaves the query to pgx's Scan, and a NULL
// into a field that cannot hold it, or an infinite time, leaves its row
// to it.
package scan
