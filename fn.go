package wren

import (
	"reflect"
	"strconv"
	"time"

	"github.com/wrensql/wren/dialect"
)

// Number is the constraint of numeric aggregates and functions.
type Number interface {
	~int | ~int8 | ~int16 | ~int32 | ~int64 |
		~uint | ~uint8 | ~uint16 | ~uint32 | ~uint64 |
		~float32 | ~float64
}

// funcExpr is NAME(args…), optionally NAME(DISTINCT args…).
type funcExpr struct {
	name     string
	args     []Expression
	distinct bool
	star     bool // COUNT(*)
	castTo   reflect.Type
	over     *WindowSpec
	def      Expression // LAG/LEAD default: a third argument, or COALESCE around
	scalar   bool       // one of wren's own scalar functions (not Func, not an aggregate)
	window   bool       // a window function (ROW_NUMBER, LAG, …), which takes no FILTER
	kind     aggKind    // a string or array aggregate, named by the dialect
	sep      string     // a string aggregate's separator
	filter   []Predicate
	order    []OrderTerm
}

func (f *funcExpr) appendSQL(r *renderer) {
	if f.castTo != nil {
		r.buf = append(r.buf, "CAST("...)
	}
	coalesce := f.def != nil && !r.d.LagDefaultArg()
	if coalesce {
		r.buf = append(r.buf, "COALESCE("...)
	}
	name := f.name
	if f.kind != aggPlain || len(f.filter) > 0 || len(f.order) > 0 {
		if name = f.aggName(r); name == "" {
			return
		}
	}
	if !validFuncName(name) {
		r.fail("wren: function name %q is not a plain identifier", name)
		return
	}
	r.buf = append(r.buf, name...)
	r.buf = append(r.buf, '(')
	if f.distinct {
		r.buf = append(r.buf, "DISTINCT "...)
	}
	caseFilter := len(f.filter) > 0 && !r.d.AggregateFilter()
	if f.star {
		if caseFilter {
			f.appendFilterCase(r, nil)
		} else {
			r.buf = append(r.buf, '*')
		}
	}
	if caseFilter {
		appendList(r, f.args, f.appendFilterCase)
	} else {
		appendList(r, f.args, appendExpr)
	}
	if f.def != nil && !coalesce {
		r.buf = append(r.buf, ", "...)
		f.def.appendSQL(r)
	}
	if f.kind != aggPlain || len(f.order) > 0 {
		f.appendAggTail(r)
	}
	r.buf = append(r.buf, ')')
	if len(f.filter) > 0 && !caseFilter {
		r.buf = append(r.buf, " FILTER (WHERE "...)
		appendConds(r, f.filter)
		r.buf = append(r.buf, ')')
	}
	if f.over != nil {
		f.over.appendOver(r)
	}
	if coalesce {
		r.buf = append(r.buf, ", "...)
		f.def.appendSQL(r)
		r.buf = append(r.buf, ')')
	}
	if f.castTo != nil {
		appendCastType(r, f.castTo)
	}
}

// appendCastType writes " AS type)" for a Go type.
func appendCastType(r *renderer, t reflect.Type) {
	dt, _, err := goColumnType(t)
	if err != nil {
		r.fail("wren: CAST to %s: %v", t, err)
		return
	}
	r.buf = append(r.buf, " AS "...)
	r.buf = append(r.buf, r.d.CastType(dt)...)
	r.buf = append(r.buf, ')')
}

func fn[T any](name string, args ...Expression) Expr[T] {
	return newExpr[T](&funcExpr{name: name, args: args, scalar: true})
}

func agg[T any](f *funcExpr) Agg[T] { return Agg[T]{Expr: newExpr[T](f), f: f} }

// Agg is an aggregate or window function. Besides being an expression of
// type T, it can be computed over a window with Over.
type Agg[T any] struct {
	Expr[T]
	f *funcExpr
}

// plainAggregate reports whether a is an aggregate, not a window function.
func (a Agg[T]) plainAggregate() bool { return a.f != nil && !a.f.window }

// CountAll is COUNT(*).
func CountAll() Agg[int64] { return agg[int64](&funcExpr{name: "COUNT", star: true}) }

// CountOf is the aggregate COUNT(e): the number of rows where e is not
// NULL. (wren.Count counts the rows a whole query returns.)
func CountOf(e Expression) Agg[int64] {
	return agg[int64](&funcExpr{name: "COUNT", args: []Expression{e}})
}

// CountDistinct is COUNT(DISTINCT e).
func CountDistinct(e Expression) Agg[int64] {
	return agg[int64](&funcExpr{name: "COUNT", args: []Expression{e}, distinct: true})
}

// NullAgg is an aggregate that is NULL when it aggregates no rows (or only
// NULLs): [Sum], [Avg], [Min] and [Max]. In conditions and arithmetic it is
// an expression of T like any [Agg]; in a typed select ([Select1] …) its
// rows hold a *T, nil for NULL, so an empty group cannot be read as a zero.
// Coalesce(agg, wren.Val(zero)) is a T again, and its Agg field is the same
// aggregate typed T (for an IN subquery, say, where NULL matches nothing).
type NullAgg[T any] struct{ Agg[T] }

func nullAgg[T any](f *funcExpr) NullAgg[T] { return NullAgg[T]{agg[T](f)} }

func (a NullAgg[T]) projection(**T) Selectable { return Nullable[T](a.Expr) }

// As names the aggregate in a SELECT list; in a typed select the named
// aggregate is still a *T.
func (a NullAgg[T]) As(alias string) NullAliased[T] { return NullAliased[T]{a.Expr.As(alias)} }

// NullAliased is a [NullAgg] named with As. Read with [All] into a struct it
// is a T like any aliased expression (a NULL into a T field is an error
// when it happens); in a typed select its rows hold a *T.
type NullAliased[T any] struct{ Aliased[T] }

func (a NullAliased[T]) projection(**T) Selectable {
	return Aliased[*T]{e: Nullable[T](a.e), name: a.name}
}

// Sum is SUM(e), with e's type: integer sums are cast back to an integer
// (PostgreSQL and MySQL widen them to NUMERIC/DECIMAL). The sum of no rows
// is NULL: in a typed select it is a *T; wrap it in Coalesce for a T, or
// scan it into a pointer.
func Sum[T Number](e TypedExpr[T]) NullAgg[T] {
	f := &funcExpr{name: "SUM", args: []Expression{e}}
	if t := reflect.TypeFor[T](); isIntegerType(t) {
		f.castTo = t
	}
	return nullAgg[T](f)
}

// Avg is AVG(e) as a float64 (NULL for no rows: *float64 in a typed select).
func Avg[T Number](e TypedExpr[T]) NullAgg[float64] {
	return nullAgg[float64](&funcExpr{name: "AVG", args: []Expression{e}, castTo: reflect.TypeFor[float64]()})
}

// Min is MIN(e) (NULL for no rows: *T in a typed select). For a nullable
// column, a Column[*T], use [MinNull], whose typed rows hold a *T rather
// than a **T.
func Min[T any](e TypedExpr[T]) NullAgg[T] {
	return nullAgg[T](&funcExpr{name: "MIN", args: []Expression{e}})
}

// Max is MAX(e) (NULL for no rows: *T in a typed select). For a nullable
// column use [MaxNull].
func Max[T any](e TypedExpr[T]) NullAgg[T] {
	return nullAgg[T](&funcExpr{name: "MAX", args: []Expression{e}})
}

// MinNull is MIN(e) of a nullable expression, typed *T: Go's generics
// cannot fold the *(*T) that [Min] of a Column[*T] would give.
func MinNull[T any](e TypedExpr[*T]) Agg[*T] {
	return agg[*T](&funcExpr{name: "MIN", args: []Expression{e}})
}

// MaxNull is MAX(e) of a nullable expression, typed *T (see [MinNull]).
func MaxNull[T any](e TypedExpr[*T]) Agg[*T] {
	return agg[*T](&funcExpr{name: "MAX", args: []Expression{e}})
}

// Lower is LOWER(e).
func Lower[S ~string](e TypedExpr[S]) Expr[S] { return fn[S]("LOWER", e) }

// Upper is UPPER(e).
func Upper[S ~string](e TypedExpr[S]) Expr[S] { return fn[S]("UPPER", e) }

// Length is the length of e in characters (CHAR_LENGTH on MySQL, where
// LENGTH counts bytes).
func Length[S ~string](e TypedExpr[S]) Expr[int64] {
	return newExpr[int64](dialectFunc{name: func(d *dialect.Dialect) string { return d.LengthFunc() }, args: []Expression{e}})
}

// Abs is ABS(e).
func Abs[T Number](e TypedExpr[T]) Expr[T] { return fn[T]("ABS", e) }

// Round is ROUND(e, digits) as a float64. Values away from a half round
// the same everywhere; halves differ, and wren does not paper over it (an
// exact cast on MySQL would silently clamp large values):
//   - PostgreSQL rounds the value as NUMERIC (its 15 significant digits),
//     halves away from zero: ROUND(2.675, 2) = 2.68, ROUND(2.25, 1) = 2.3;
//   - SQLite rounds the binary value, in which 2.675 is 2.67499…: 2.67, 2.3;
//   - MySQL and MariaDB round an exact binary half to even: 2.68, 2.2.
func Round[T ~float32 | ~float64](e TypedExpr[T], digits int) Expr[float64] {
	return newExpr[float64](roundExpr{e: e, digits: digits})
}

type roundExpr struct {
	e      Expression
	digits int
}

func (x roundExpr) appendSQL(r *renderer) {
	// PostgreSQL rounds to digits only on NUMERIC; the result is cast back.
	r.buf = append(r.buf, "CAST(ROUND("...)
	if r.d.RoundNeedsNumeric() {
		r.buf = append(r.buf, "CAST("...)
		appendExpr(r, x.e)
		r.buf = append(r.buf, " AS NUMERIC)"...)
	} else {
		appendExpr(r, x.e)
	}
	r.buf = append(r.buf, ", "...)
	r.buf = appendInt(r.buf, x.digits)
	r.buf = append(r.buf, ')')
	appendCastType(r, reflect.TypeFor[float64]())
}

// Concat joins strings: a || b, or CONCAT(a, b) on MySQL.
func Concat[S ~string](parts ...TypedExpr[S]) Expr[S] {
	args := make([]Expression, len(parts))
	for i, p := range parts {
		args[i] = p
	}
	return newExpr[S](concatExpr(args))
}

type concatExpr []Expression

func (c concatExpr) appendSQL(r *renderer) {
	if len(c) == 0 {
		r.fail("wren: Concat of nothing")
		return
	}
	if r.d.ConcatFunc() {
		r.buf = append(r.buf, "CONCAT("...)
		appendList(r, c, appendExpr)
		r.buf = append(r.buf, ')')
		return
	}
	r.buf = append(r.buf, '(')
	for i, e := range c {
		if i > 0 {
			r.buf = append(r.buf, " || "...)
		}
		appendExpr(r, e)
	}
	r.buf = append(r.buf, ')')
}

// Now is CURRENT_TIMESTAMP.
func Now() Expr[time.Time] { return newExpr[time.Time](keyword("CURRENT_TIMESTAMP")) }

// Today is CURRENT_DATE.
func Today() Expr[time.Time] { return newExpr[time.Time](keyword("CURRENT_DATE")) }

type keyword string

func (k keyword) appendSQL(r *renderer) { r.buf = append(r.buf, k...) }

// Cast is CAST(e AS the column type of T on the dialect). What converts
// is the database's business: PostgreSQL, for one, casts an INTEGER but not
// a BIGINT to BOOLEAN, and reports the error when the query runs.
func Cast[T any](e Expression) Expr[T] {
	return newExpr[T](castExpr{e: e, t: reflect.TypeFor[T]()})
}

type castExpr struct {
	e Expression
	t reflect.Type
}

func (c castExpr) appendSQL(r *renderer) {
	r.buf = append(r.buf, "CAST("...)
	appendExpr(r, c.e)
	appendCastType(r, c.t)
}

// Func calls any SQL function by name, with a result of type T: the
// escape hatch for functions wren does not wrap. The name must be a plain
// identifier (letters, digits, _ and .); arguments are expressions (use
// Val for values, which are bound).
//
//	wren.Func[string]("replace", Users.Username, wren.Val("a"), wren.Val("b"))
func Func[T any](name string, args ...Expression) Expr[T] {
	return newExpr[T](&funcExpr{name: name, args: args})
}

// AggFunc is Func for an aggregate or window function wren does not wrap
// (NTILE, FIRST_VALUE, STRING_AGG, …): the result can also be computed over
// a window with Over. Bound values keep their Go type's SQL type on
// PostgreSQL, so pass what the function takes (NTILE takes an integer:
// int32, not int or int64).
//
//	wren.AggFunc[int64]("NTILE", wren.Val(int32(4))).Over(wren.Window().OrderBy(Users.Age))
func AggFunc[T any](name string, args ...Expression) Agg[T] {
	return agg[T](&funcExpr{name: name, args: args})
}

type dialectFunc struct {
	name func(*dialect.Dialect) string
	args []Expression
}

func (f dialectFunc) appendSQL(r *renderer) {
	r.buf = append(r.buf, f.name(r.d)...)
	r.buf = append(r.buf, '(')
	appendList(r, f.args, appendExpr)
	r.buf = append(r.buf, ')')
}

// validFuncName reports whether name is safe to write as a function name.
func validFuncName(name string) bool {
	if name == "" {
		return false
	}
	for i := 0; i < len(name); i++ {
		c := name[i]
		if !(c == '_' || c == '.' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (i > 0 && c >= '0' && c <= '9')) {
			return false
		}
	}
	return true
}

func appendInt(b []byte, n int) []byte { return strconv.AppendInt(b, int64(n), 10) }
