package dialect

// The query-language facts below (VALUES lists, LATERAL, row values,
// aggregate clauses, operators, named windows) are kept in a table of their
// own, one entry per dialect.

// ValuesStyle says how a VALUES list is written as a table in FROM.
type ValuesStyle uint8

const (
	// ValuesColumnList is (VALUES (…), (…)) AS v (a, b): PostgreSQL.
	ValuesColumnList ValuesStyle = iota + 1
	// ValuesRowColumnList is (VALUES ROW(…), ROW(…)) AS v (a, b): MySQL
	// 8.0.19 or newer.
	ValuesRowColumnList
	// ValuesUnion is (SELECT ? AS a, ? AS b UNION ALL SELECT ?, ? …) AS v:
	// MariaDB, whose derived tables take no column list (before 11.7), and
	// whose UNION ALL VALUES (…) cuts bound texts of later rows to the
	// length of the first row's (10.11).
	ValuesUnion
	// ValuesColumnN is (SELECT column1 AS a, column2 AS b FROM (VALUES (…),
	// (…))) AS v: SQLite, which names a VALUES list's columns column1, ….
	ValuesColumnN
)

// StringAggStyle says how a string aggregate is written.
type StringAggStyle uint8

const (
	// StringAggFunc is STRING_AGG(e, sep ORDER BY …): PostgreSQL.
	StringAggFunc StringAggStyle = iota + 1
	// GroupConcatSeparator is GROUP_CONCAT(e ORDER BY … SEPARATOR 'sep'),
	// the separator a literal: MySQL and MariaDB.
	GroupConcatSeparator
	// GroupConcatArg is GROUP_CONCAT(e, sep ORDER BY …): SQLite.
	GroupConcatArg
)

// CaseLikeStyle says how a case-sensitive LIKE is written.
type CaseLikeStyle uint8

const (
	// CaseLikeNative is LIKE itself, case-sensitive already: PostgreSQL.
	CaseLikeNative CaseLikeStyle = iota + 1
	// CaseLikeBinary is e LIKE CAST(pattern AS BINARY): MySQL and MariaDB,
	// whose LIKE follows the column's (usually case-insensitive) collation.
	CaseLikeBinary
	// CaseLikeGlob is e GLOB pattern, the LIKE pattern translated: SQLite,
	// whose LIKE ignores the case of ASCII letters.
	CaseLikeGlob
)

type queryFacts struct {
	values      ValuesStyle
	lateral     bool // JOIN LATERAL (subquery)
	rowOrder    bool // (a, b) < (x, y) written as such (else expanded)
	filter      bool // aggregate FILTER (WHERE …)
	aggOrderAll bool // ORDER BY inside any aggregate (else only the string aggregate)
	stringAgg   StringAggStyle
	arrayAgg    bool   // ARRAY_AGG into a Go slice
	regexOp     string // case-sensitive regular-expression match operator
	iregexOp    string // case-insensitive one
	regexCase   string // prefix of a case-sensitive pattern ("(?-i)" where the operator follows a collation)
	regexNoCase string // prefix of a case-insensitive pattern
	bitXor      string // "" = emulated with (a | b) & ~(a & b)
	bitUnsigned bool   // bitwise operators return unsigned 64-bit integers
	caseLike    CaseLikeStyle
	glob        bool
}

var facts = map[*Dialect]*queryFacts{
	Postgres: {
		values: ValuesColumnList, lateral: true, rowOrder: true, filter: true, aggOrderAll: true,
		stringAgg: StringAggFunc, arrayAgg: true, regexOp: "~", iregexOp: "~*",
		bitXor: "#", caseLike: CaseLikeNative,
	},
	MySQL: {
		values: ValuesRowColumnList, lateral: true, stringAgg: GroupConcatSeparator,
		regexOp: "REGEXP", iregexOp: "REGEXP", regexCase: "(?-i)", regexNoCase: "(?i)",
		bitXor: "^", bitUnsigned: true, caseLike: CaseLikeBinary,
	},
	MariaDB: {
		values: ValuesUnion, stringAgg: GroupConcatSeparator,
		regexOp: "REGEXP", iregexOp: "REGEXP", regexCase: "(?-i)", regexNoCase: "(?i)",
		bitXor: "^", bitUnsigned: true, caseLike: CaseLikeBinary,
	},
	SQLite: {
		values: ValuesColumnN, rowOrder: true, filter: true, aggOrderAll: true,
		stringAgg: GroupConcatArg, regexOp: "REGEXP", iregexOp: "REGEXP", regexNoCase: "(?i)",
		caseLike: CaseLikeGlob, glob: true,
	},
}

func (d *Dialect) facts() *queryFacts { return facts[d] }

// ValuesTable says how a VALUES list is written as a table in FROM.
func (d *Dialect) ValuesTable() ValuesStyle { return d.facts().values }

// Lateral reports whether JOIN LATERAL (subquery) exists: PostgreSQL and
// MySQL 8.0.14 or newer; MariaDB and SQLite have none.
func (d *Dialect) Lateral() bool { return d.facts().lateral }

// RowValueOrder reports whether an ordering comparison of row values,
// (a, b) < (x, y), is written as such. Where it is not, wren writes the same
// condition as a < x OR (a = x AND b < y): on MariaDB, whose optimizer uses
// no index for an ordering row comparison, and on MySQL, whose manual
// gives that rewrite for fuller index use.
func (d *Dialect) RowValueOrder() bool { return d.facts().rowOrder }

// AggregateFilter reports whether an aggregate takes FILTER (WHERE …); where
// it does not, wren moves the condition into a CASE around its argument.
func (d *Dialect) AggregateFilter() bool { return d.facts().filter }

// AggregateOrderAll reports whether every aggregate takes ORDER BY inside
// its parentheses (PostgreSQL, SQLite 3.44+); MySQL and MariaDB take it only
// in GROUP_CONCAT.
func (d *Dialect) AggregateOrderAll() bool { return d.facts().aggOrderAll }

// StringAgg says how a string aggregate is written.
func (d *Dialect) StringAgg() StringAggStyle { return d.facts().stringAgg }

// ArrayAgg reports whether ARRAY_AGG exists with results that scan into a
// Go slice (PostgreSQL).
func (d *Dialect) ArrayAgg() bool { return d.facts().arrayAgg }

// Regexp returns the operator of a regular-expression match and the prefix
// that makes the pattern case-sensitive (or, with insensitive, not). MySQL
// and MariaDB match by the column's collation unless the pattern says
// otherwise; SQLite's REGEXP is the function wren registers with
// modernc.org/sqlite (Go's regexp syntax).
func (d *Dialect) Regexp(insensitive bool) (op, prefix string) {
	f := d.facts()
	if insensitive {
		return f.iregexOp, f.regexNoCase
	}
	return f.regexOp, f.regexCase
}

// BitXor returns the bitwise exclusive-or operator, or "" where there is
// none (SQLite) and it is written (a | b) & ~(a & b).
func (d *Dialect) BitXor() string { return d.facts().bitXor }

// BitUnsigned reports whether bitwise operators return unsigned 64-bit
// integers (MySQL, MariaDB), so that a signed result is cast back.
func (d *Dialect) BitUnsigned() bool { return d.facts().bitUnsigned }

// CaseLike says how a case-sensitive LIKE is written.
func (d *Dialect) CaseLike() CaseLikeStyle { return d.facts().caseLike }

// Glob reports whether the GLOB operator exists (SQLite).
func (d *Dialect) Glob() bool { return d.facts().glob }
