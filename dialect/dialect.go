// Package dialect describes the SQL dialects wren renders for: PostgreSQL,
// MySQL, MariaDB and SQLite.
//
// A [Dialect] is data, not behaviour spread through the code: how identifiers
// are quoted, how placeholders are written, which clauses exist, how a missing
// feature is emulated. The statement builders in package wren ask a Dialect
// for these facts while rendering; no other package branches on the database.
package dialect

import (
	"strconv"
)

// Dialect holds everything wren needs to know to render SQL for one database.
// The values are fixed: use [Postgres], [MySQL], [MariaDB] or [SQLite].
type Dialect struct {
	name        string
	quote       byte   // identifier quote character
	numbered    bool   // $1, $2… instead of ?
	trueLit     string // boolean literals
	falseLit    string
	offsetLimit string // LIMIT to add when only OFFSET is given ("" = OFFSET alone is valid)
	inlineLimit bool   // LIMIT written as a number, not bound
	nullsOrder  bool   // NULLS FIRST / NULLS LAST supported natively
	ilike       string // case-insensitive LIKE operator ("" = emulate with LOWER)
	arrayParams bool   // IN lists bind one array parameter (= ANY($1))
	intDiv      string // integer division operator
	concatFunc  bool   // string concatenation is CONCAT(a, b) rather than a || b
	maxParams   int    // bound parameters per statement
	bulkParams  int    // bound parameters per INSERT of many rows (0 = maxParams)
	splitParams int    // rows binding more are split (0 = bulkParams)
	copyRows    bool   // COPY … FROM STDIN streams rows in text format

	returningInsert bool
	returningUpdate bool
	returningDelete bool
	distinctOn      bool
	fullJoin        bool
	rightJoin       bool
	rowLocks        bool // FOR UPDATE / FOR SHARE, NOWAIT, SKIP LOCKED
	shareLock       string
	upsert          UpsertStyle
	updateMulti     bool // UPDATE t, other SET … instead of UPDATE … FROM
	noDeleteAlias   bool // DELETE FROM t AS a is a syntax error (MariaDB before 11.6)
	noLagDefault    bool // LAG/LEAD take no third (default) argument

	// Clauses of writes and locks (issue 18).
	writeLimit  bool   // UPDATE/DELETE … ORDER BY … LIMIT
	writeWith   bool   // WITH before UPDATE and DELETE
	replace     string // REPLACE INTO / INSERT OR REPLACE INTO ("" = none)
	lockOf      bool   // FOR UPDATE OF t
	noKeyUpdate bool   // FOR NO KEY UPDATE
}

// UpsertStyle says how a dialect writes INSERT … ON CONFLICT.
type UpsertStyle uint8

const (
	// OnConflict is PostgreSQL's and SQLite's
	// ON CONFLICT (cols) DO NOTHING / DO UPDATE SET … WHERE ….
	OnConflict UpsertStyle = iota + 1
	// OnDuplicateKey is MySQL's INSERT IGNORE / ON DUPLICATE KEY UPDATE.
	OnDuplicateKey
)

// Postgres renders for PostgreSQL 12 or newer.
var Postgres = &Dialect{
	name: "postgres", quote: '"', numbered: true,
	trueLit: "TRUE", falseLit: "FALSE",
	inlineLimit: true, nullsOrder: true, ilike: "ILIKE", arrayParams: true, intDiv: "/",
	maxParams: 65535, copyRows: true,
	returningInsert: true, returningUpdate: true, returningDelete: true,
	distinctOn: true, fullJoin: true, rightJoin: true, rowLocks: true, shareLock: "FOR SHARE",
	upsert: OnConflict,

	writeWith: true, lockOf: true, noKeyUpdate: true,
}

// MySQL renders for MySQL 8.0. It has no RETURNING clause: inserted keys come
// from the driver's last-insert id.
var MySQL = &Dialect{
	name: "mysql", quote: '`',
	trueLit: "TRUE", falseLit: "FALSE",
	offsetLimit: "18446744073709551615", intDiv: "DIV", concatFunc: true,
	maxParams: 65535, bulkParams: 2000, splitParams: 65535,
	rightJoin: true, rowLocks: true, shareLock: "FOR SHARE",
	upsert: OnDuplicateKey, updateMulti: true,

	writeLimit: true, writeWith: true, replace: "REPLACE INTO", lockOf: true,
}

// MariaDB renders for MariaDB 10.5 or newer: MySQL's syntax plus
// INSERT … RETURNING and DELETE … RETURNING (UPDATE has none).
var MariaDB = &Dialect{
	name: "mariadb", quote: '`',
	trueLit: "TRUE", falseLit: "FALSE",
	offsetLimit: "18446744073709551615", intDiv: "DIV", concatFunc: true,
	maxParams: 65535, bulkParams: 2000, splitParams: 65535,
	returningInsert: true, returningDelete: true,
	rightJoin: true, rowLocks: true, shareLock: "LOCK IN SHARE MODE",
	upsert: OnDuplicateKey, updateMulti: true, noDeleteAlias: true, noLagDefault: true,

	writeLimit: true, replace: "REPLACE INTO",
}

// SQLite renders for SQLite 3.39 or newer (the version modernc.org/sqlite
// embeds), which has RETURNING, NULLS FIRST/LAST and RIGHT/FULL joins, but no
// row locks.
var SQLite = &Dialect{
	name: "sqlite", quote: '"',
	trueLit: "1", falseLit: "0",
	offsetLimit: "-1", inlineLimit: true, nullsOrder: true, intDiv: "/",
	maxParams: 32766, bulkParams: 2000,
	returningInsert: true, returningUpdate: true, returningDelete: true,
	fullJoin: true, rightJoin: true,
	upsert: OnConflict,

	writeWith: true, replace: "INSERT OR REPLACE INTO",
}

// Name is the dialect's short name: "postgres", "mysql", "mariadb" or "sqlite".
func (d *Dialect) Name() string { return d.name }

// String returns the dialect's name.
func (d *Dialect) String() string { return d.name }

// IsMySQLFamily reports whether d is MySQL or MariaDB, which share a wire
// protocol and a driver.
func (d *Dialect) IsMySQLFamily() bool { return d.quote == '`' }

// AppendIdent appends name as a quoted identifier, doubling any embedded quote
// character. The caller rejects names containing NUL, which no server accepts.
func (d *Dialect) AppendIdent(b []byte, name string) []byte {
	b = append(b, d.quote)
	for i := 0; i < len(name); i++ {
		c := name[i]
		if c == d.quote {
			b = append(b, c)
		}
		b = append(b, c)
	}
	return append(b, d.quote)
}

// AppendPlaceholder appends the placeholder for the n-th (1-based) bound
// parameter of a statement.
func (d *Dialect) AppendPlaceholder(b []byte, n int) []byte {
	if !d.numbered {
		return append(b, '?')
	}
	switch {
	case n >= 0 && n < 10:
		return append(b, '$', byte('0'+n))
	case n >= 10 && n < 100: // most statements: two digits without strconv
		return append(b, '$', byte('0'+n/10), byte('0'+n%10))
	}
	b = append(b, '$')
	return strconv.AppendInt(b, int64(n), 10)
}

// NumberedParams reports whether placeholders are numbered ($1, $2…), so
// that the same expression is written differently at another position;
// otherwise every placeholder is "?".
func (d *Dialect) NumberedParams() bool { return d.numbered }

// Bool returns the literal for a constant true or false.
func (d *Dialect) Bool(v bool) string {
	if v {
		return d.trueLit
	}
	return d.falseLit
}

// OffsetOnlyLimit returns the LIMIT value to write when a query has an OFFSET
// but no LIMIT, or "" when OFFSET alone is valid.
func (d *Dialect) OffsetOnlyLimit() string { return d.offsetLimit }

// InlineLimit reports whether LIMIT is written into the text as a number
// rather than bound.
//
// On PostgreSQL a bound LIMIT keeps the server planning the statement on
// every run: the plan it would keep for every value (the generic plan)
// assumes a tenth of the rows, so for a page of 20 it always costs more
// than a plan made for the value, and the server never switches to it.
// Measured here (pgbench, prepared, 10,000 rows, WHERE id > $1 ORDER BY id
// LIMIT 20): 83–134 µs per query bound, 65–76 µs written as a number. A
// query has few page sizes, so a number costs few more statements.
//
// On SQLite a bound LIMIT makes SQLite compile the prepared statement
// again on every run (its value can change the plan): 21 compilations for
// 20 runs of a page query with pages of 10 to 12 rows, against one with
// the LIMIT written (counted with SQLite's authorizer). MySQL and MariaDB
// plan every run of a prepared statement, so the LIMIT is bound.
//
// OFFSET is bound on every dialect, so that every page of a query shares
// one prepared statement: an OFFSET takes as many values as there are
// pages. (SQLite keeps its program for a bound OFFSET: one compilation for
// 20 pages, counted with its authorizer.)
func (d *Dialect) InlineLimit() bool { return d.inlineLimit }

// NativeNullsOrder reports whether ORDER BY accepts NULLS FIRST / NULLS LAST.
// Where it does not, wren sorts on "expr IS NULL" first.
func (d *Dialect) NativeNullsOrder() bool { return d.nullsOrder }

// ILike returns the case-insensitive LIKE operator, or "" when the dialect has
// none and both sides are to be compared through LOWER().
func (d *Dialect) ILike() string { return d.ilike }

// ArrayParams reports whether a list of values for IN is bound as one array
// parameter (col = ANY($1)), so that lists of every length share one
// statement text and one prepared statement.
func (d *Dialect) ArrayParams() bool { return d.arrayParams }

// IntDiv returns the operator for integer division.
func (d *Dialect) IntDiv() string { return d.intDiv }

// ConcatFunc reports whether strings are joined with CONCAT(a, b) rather than
// the standard a || b (which MySQL reads as OR).
func (d *Dialect) ConcatFunc() bool { return d.concatFunc }

// MaxParams is the largest number of bound parameters one statement may have.
func (d *Dialect) MaxParams() int { return d.maxParams }

// BulkParams is how many parameters one INSERT of many rows binds at most
// when rows are split over several. On SQLite, 2,000: since
// modernc.org/sqlite v1.60.1 binding is no longer quadratic in the number
// of parameters (500 measured best before), and from 500 to 8,000 the
// client's instructions differ by 2 % (1,000 rows of 9 columns: 27.9M,
// 28.0M and 28.5M; 10,000 rows: 280M, 282M, 287M), while 2,000 lets 100
// rows go in one INSERT, without a transaction around two (2.81M
// instructions against 2.84M). On
// MySQL and MariaDB database/sql and the driver copy every argument into
// buffers of their own per statement: 2,000 keeps 10,000 rows at 7.3 MB
// (13.3 MB at the full 65,535) for the same CPU and wall time within the
// noise. Measured with bench/ BenchmarkBulkInsert, issue 19; PostgreSQL
// binds arrays instead (see Create) and keeps MaxParams.
func (d *Dialect) BulkParams() int {
	if d.bulkParams > 0 {
		return d.bulkParams
	}
	return d.maxParams
}

// SplitParams is how many parameters an INSERT of many rows may bind before
// Create splits the rows over several INSERTs of [Dialect.BulkParams] each.
// On MySQL and MariaDB it is MaxParams: rows that fit in one statement go
// in one, since several need a transaction around them, and each a round
// trip (1,000 rows of 10 columns in one INSERT rather than five: client CPU
// 1.01× of a hand-written single INSERT against 1.31×, BenchmarkBulkInsert,
// issue 19). Elsewhere it is BulkParams. (Create also splits rows whose
// text could take one INSERT near the server's packet limit.)
func (d *Dialect) SplitParams() int {
	if d.splitParams > 0 {
		return d.splitParams
	}
	return d.BulkParams()
}

// Statement kinds, for [Dialect.Returning].
const (
	Insert = "INSERT"
	Update = "UPDATE"
	Delete = "DELETE"
)

// Returning reports whether a statement of the given kind (Insert, Update or
// Delete) accepts a RETURNING clause.
func (d *Dialect) Returning(kind string) bool {
	switch kind {
	case Insert:
		return d.returningInsert
	case Update:
		return d.returningUpdate
	case Delete:
		return d.returningDelete
	}
	return false
}

// LagDefaultArg reports whether LAG and LEAD take a third argument, the
// value where there is no such row (MariaDB's take only two).
func (d *Dialect) LagDefaultArg() bool { return !d.noLagDefault }

// DistinctOn reports whether SELECT DISTINCT ON (…) exists.
func (d *Dialect) DistinctOn() bool { return d.distinctOn }

// FullJoin reports whether FULL OUTER JOIN exists.
func (d *Dialect) FullJoin() bool { return d.fullJoin }

// RightJoin reports whether RIGHT OUTER JOIN exists.
func (d *Dialect) RightJoin() bool { return d.rightJoin }

// RowLocks reports whether SELECT … FOR UPDATE / FOR SHARE (with NOWAIT and
// SKIP LOCKED) exist.
func (d *Dialect) RowLocks() bool { return d.rowLocks }

// Upsert says which form INSERT … ON CONFLICT takes.
func (d *Dialect) Upsert() UpsertStyle { return d.upsert }

// ShareLock returns the clause that takes shared row locks: FOR SHARE, or
// MariaDB's LOCK IN SHARE MODE.
func (d *Dialect) ShareLock() string { return d.shareLock }

// UpdateFrom says how an UPDATE reads other tables.
type UpdateFrom uint8

const (
	// UpdateFromClause is UPDATE t SET … FROM other WHERE … (PostgreSQL, SQLite).
	UpdateFromClause UpdateFrom = iota
	// UpdateMultiTable is UPDATE t, other SET t.c = … WHERE … (MySQL).
	UpdateMultiTable
)

// UpdateFromStyle says how an UPDATE reads other tables.
func (d *Dialect) UpdateFromStyle() UpdateFrom {
	if d.updateMulti {
		return UpdateMultiTable
	}
	return UpdateFromClause
}

// DeleteAlias reports whether a single-table DELETE may alias its table
// (DELETE FROM t AS a): PostgreSQL, SQLite and MySQL 8.0.16+ accept it,
// MariaDB only from 11.6.
func (d *Dialect) DeleteAlias() bool { return !d.noDeleteAlias }

// LengthFunc names the function that counts a string's characters.
func (d *Dialect) LengthFunc() string {
	if d.IsMySQLFamily() {
		return "CHAR_LENGTH"
	}
	return "LENGTH"
}

// RoundNeedsNumeric reports whether ROUND(x, digits) needs x cast to
// NUMERIC (PostgreSQL has no ROUND(double precision, int)).
func (d *Dialect) RoundNeedsNumeric() bool { return d.numbered }

// CastParams reports whether a bound value whose type the server cannot
// infer (a CASE branch, a selected value) is written CAST(? AS type).
func (d *Dialect) CastParams() bool { return d.numbered }

// CompoundParens reports whether the members of UNION/INTERSECT/EXCEPT may
// be parenthesised (needed for a member with its own ORDER BY or LIMIT).
// SQLite accepts no parentheses there; wren wraps such a member as
// SELECT * FROM (…) instead.
func (d *Dialect) CompoundParens() bool { return d != SQLite }

// LastInsertID reports whether the driver reports the key of an inserted
// row (MySQL, MariaDB and SQLite do; PostgreSQL needs RETURNING).
func (d *Dialect) LastInsertID() bool { return !d.numbered }

// TextTimes reports whether times come back from the driver as text or
// numbers as often as time values (SQLite), so that the scanner parses them.
func (d *Dialect) TextTimes() bool { return d == SQLite }

// NativeScan reports whether rows of this dialect are usually read by a
// driver that stores numbers into their fields itself (pgx on PostgreSQL),
// rather than through database/sql's conversions (MySQL, SQLite).
func (d *Dialect) NativeScan() bool { return d.numbered }

// StringsAsBytes reports whether this dialect's usual driver hands text
// values to the scanner as bytes of its own buffer (pgx, go-sql-driver/mysql),
// which the scanner copies into strings, rather than as Go strings
// (modernc.org/sqlite).
func (d *Dialect) StringsAsBytes() bool { return d != SQLite }
