package wren

import (
	"strings"

	"github.com/wrensql/wren/scan"
)

// Predicate is a boolean condition for WHERE, HAVING, JOIN … ON and CASE.
// Predicates come from the comparison methods of columns and expressions,
// from [And], [Or], [Not], the string matchers ([Like], [Contains], …) and
// [Raw]. A Predicate is a small value; building one allocates at most for the
// value it binds.
type Predicate struct {
	op   predOp
	cmp  cmpOp
	l    Expression
	v    any // bound value, or the right-hand Expression for pCmpExpr
	v2   any // BETWEEN's upper bound; an IN list's expander
	kids []Predicate
}

type predOp uint8

const (
	pNone predOp = iota
	pCmp
	pCmpExpr
	pIn
	pNotIn
	pBetween
	pIsNull
	pIsNotNull
	pAnd
	pOr
	pNot
	pConst // v is a bool
	pExpr  // l renders a boolean expression by itself (Raw, EXISTS, …)
	pLike  // l LIKE v; cmp says which form
	// pInvalid fails the rendering with the error in v: a predicate that
	// was refused when it was built (Lt(nil), …).
	pInvalid
	// pMatch is a test that l renders whole and that needs no parentheses
	// as an operand of AND or OR (a regular-expression match, a row-value
	// comparison, …).
	pMatch
)

type cmpOp uint8

const (
	opEq cmpOp = iota
	opNe
	opLt
	opLte
	opGt
	opGte
)

var cmpText = [...]string{opEq: " = ", opNe: " <> ", opLt: " < ", opLte: " <= ", opGt: " > ", opGte: " >= "}

// listExpander appends an IN list's values one by one.
type listExpander func(list any, r *renderer)

func expandList[T any](list any, r *renderer) {
	for i, v := range list.([]T) {
		if i > 0 {
			r.buf = append(r.buf, ", "...)
		}
		r.arg(v)
	}
}

// And is true when every predicate is. And() with none is always true.
func And(ps ...Predicate) Predicate {
	if len(ps) == 1 {
		return ps[0]
	}
	return Predicate{op: pAnd, kids: ps}
}

// Or is true when any predicate is. Or() with none is always false.
func Or(ps ...Predicate) Predicate {
	if len(ps) == 1 {
		return ps[0]
	}
	return Predicate{op: pOr, kids: ps}
}

// Not negates p.
func Not(p Predicate) Predicate { return Predicate{op: pNot, kids: []Predicate{p}} }

// And is "p AND q…".
func (p Predicate) And(q ...Predicate) Predicate {
	return Predicate{op: pAnd, kids: append([]Predicate{p}, q...)}
}

// Or is "p OR q…".
func (p Predicate) Or(q ...Predicate) Predicate {
	return Predicate{op: pOr, kids: append([]Predicate{p}, q...)}
}

// Raw is the escape hatch: SQL text written as given, with each ? replaced
// by the dialect's placeholder for the next argument ("??" writes a literal
// ?). The text is never built from values: pass them as args. A Raw can be
// used as a condition, a select item or an expression.
//
//	wren.Raw("lower(username) = ?", "huey")
func Raw(sql string, args ...any) Predicate {
	return Predicate{op: pExpr, l: rawExpr{sql: sql, args: args}}
}

// RawExpr is [Raw] with a Go type, usable wherever a TypedExpr[T] is:
//
//	wren.RawExpr[int64]("extract(year from ?)", t)
func RawExpr[T any](sql string, args ...any) Expr[T] {
	return newExpr[T](rawExpr{sql: sql, args: args})
}

type rawExpr struct {
	sql  string
	args []any
}

func (x rawExpr) appendSQL(r *renderer) {
	s, n := x.sql, 0
	for {
		i := strings.IndexByte(s, '?')
		if i < 0 {
			r.buf = append(r.buf, s...)
			break
		}
		r.buf = append(r.buf, s[:i]...)
		if i+1 < len(s) && s[i+1] == '?' {
			r.buf = append(r.buf, '?')
			s = s[i+2:]
			continue
		}
		if n >= len(x.args) {
			r.fail("wren: Raw(%q) has more ? placeholders than its %d arguments", x.sql, len(x.args))
			return
		}
		r.arg(x.args[n])
		n++
		s = s[i+1:]
	}
	if n != len(x.args) {
		r.fail("wren: Raw(%q) has %d ? placeholders but %d arguments", x.sql, n, len(x.args))
	}
}

const (
	likeInsensitive cmpOp = 1 << iota
	likeEscaped
)

// likeEscape is the escape character of StartsWith, EndsWith and Contains;
// it is not a backslash, whose meaning in string literals differs between
// MySQL and the others.
const likeEscape = '!'

func escapeLike(s string) string {
	if !strings.ContainsAny(s, "%_!") {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if c := s[i]; c == '%' || c == '_' || c == likeEscape {
			b.WriteByte(likeEscape)
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

func (p Predicate) appendSelect(r *renderer) { p.appendSQL(r) }

func (p Predicate) appendResultCols(dst []scan.Column) []scan.Column {
	return append(dst, scan.Column{Type: boolType})
}

// appendSQL writes the predicate.
func (p Predicate) appendSQL(r *renderer) {
	switch p.op {
	case pCmp:
		p.appendCmp(r)
	case pCmpExpr:
		p.l.appendSQL(r)
		r.buf = append(r.buf, cmpText[p.cmp]...)
		p.v.(Expression).appendSQL(r)
	case pIn, pNotIn:
		if p.cmp == inOrNull {
			r.buf = append(r.buf, '(')
		}
		p.l.appendSQL(r)
		list, expand := listForColumn(p.l, p.v, p.v2)
		switch {
		case r.d.ArrayParams() && p.op == pIn:
			r.buf = append(r.buf, " = ANY("...)
			r.arg(list)
		case r.d.ArrayParams():
			r.buf = append(r.buf, " <> ALL("...)
			r.arg(list)
		case p.op == pIn:
			r.buf = append(r.buf, " IN ("...)
			expand(list, r)
		default:
			r.buf = append(r.buf, " NOT IN ("...)
			expand(list, r)
		}
		r.buf = append(r.buf, ')')
		if p.cmp == inOrNull {
			// The NULLs taken out of the list.
			if p.op == pIn {
				r.buf = append(r.buf, " OR "...)
				p.l.appendSQL(r)
				r.buf = append(r.buf, " IS NULL)"...)
			} else {
				r.buf = append(r.buf, " AND "...)
				p.l.appendSQL(r)
				r.buf = append(r.buf, " IS NOT NULL)"...)
			}
		}
	case pBetween:
		if nullBetween(r, p) {
			return
		}
		p.l.appendSQL(r)
		r.buf = append(r.buf, " BETWEEN "...)
		r.arg(forColumn(p.l, p.v))
		r.buf = append(r.buf, " AND "...)
		r.arg(forColumn(p.l, p.v2))
	case pIsNull:
		p.l.appendSQL(r)
		r.buf = append(r.buf, " IS NULL"...)
	case pIsNotNull:
		p.l.appendSQL(r)
		r.buf = append(r.buf, " IS NOT NULL"...)
	case pAnd, pOr:
		if len(p.kids) == 0 {
			r.buf = append(r.buf, r.d.Bool(p.op == pAnd)...)
			return
		}
		sep := " AND "
		if p.op == pOr {
			sep = " OR "
		}
		for i, k := range p.kids {
			if i > 0 {
				r.buf = append(r.buf, sep...)
			}
			k.appendOperand(r, p.op)
		}
	case pNot:
		r.buf = append(r.buf, "NOT ("...)
		p.kids[0].appendSQL(r)
		r.buf = append(r.buf, ')')
	case pConst:
		r.buf = append(r.buf, r.d.Bool(p.v.(bool))...)
	case pExpr, pMatch:
		p.l.appendSQL(r)
	case pLike:
		p.appendLike(r)
	case pInvalid:
		r.fail("%w", p.v.(error))
	default:
		r.fail("wren: an empty Predicate was used (build predicates with column methods, And, Or or Raw)")
	}
}

// appendOperand writes p as an operand of AND or OR, in parentheses when it
// is itself an AND/OR of the other kind, or a raw fragment whose precedence
// wren cannot see.
func (p Predicate) appendOperand(r *renderer, parent predOp) {
	paren := p.op == pExpr || ((p.op == pAnd || p.op == pOr) && p.op != parent && len(p.kids) > 1)
	if paren {
		r.buf = append(r.buf, '(')
	}
	p.appendSQL(r)
	if paren {
		r.buf = append(r.buf, ')')
	}
}

func (p Predicate) appendLike(r *renderer) {
	lower := p.cmp&likeInsensitive != 0 && r.d.ILike() == ""
	if lower {
		r.buf = append(r.buf, "LOWER("...)
	}
	p.l.appendSQL(r)
	switch {
	case lower:
		r.buf = append(r.buf, ") LIKE LOWER("...)
	case p.cmp&likeInsensitive != 0:
		r.buf = append(r.buf, ' ')
		r.buf = append(r.buf, r.d.ILike()...)
		r.buf = append(r.buf, ' ')
	default:
		r.buf = append(r.buf, " LIKE "...)
	}
	r.arg(p.v)
	if lower {
		r.buf = append(r.buf, ')')
	}
	if p.cmp&likeEscaped != 0 {
		r.buf = append(r.buf, " ESCAPE '"...)
		r.buf = append(r.buf, likeEscape, '\'')
	}
}

// appendConds writes the predicates of one clause joined by AND.
func appendConds(r *renderer, ps []Predicate) {
	for i, p := range ps {
		if i > 0 {
			r.buf = append(r.buf, " AND "...)
		}
		p.appendOperand(r, pAnd)
	}
}

// Expr turns the predicate into a boolean expression, to select it, compare
// it or pass it where an Expr[bool] goes. It is written in parentheses, so
// that an AND, OR or comparison keeps its meaning inside a larger
// expression. On MySQL, MariaDB and SQLite its value is the integer 1 or 0,
// which scans into a bool; a comparison with NULL is NULL, which needs a
// *bool.
func (p Predicate) Expr() Expr[bool] { return newExpr[bool](predExpr{p}) }

// As names the predicate as a column of a SELECT list:
//
//	wren.Select(Users.Username, Users.Age.Gte(18).As("adult"))
//	wren.Select(Users.Username, wren.ExistsOf(tweetsOfUser).As("has_tweets"))
func (p Predicate) As(alias string) Aliased[bool] { return p.Expr().As(alias) }

// predExpr is a predicate used as a value.
type predExpr struct{ p Predicate }

func (x predExpr) appendSQL(r *renderer) {
	if x.p.op == pConst {
		x.p.appendSQL(r)
		return
	}
	if x.p.op == pExpr {
		if e, ok := x.p.l.(existsExpr); ok && !e.not {
			x.p.appendSQL(r)
			return
		}
	}
	r.buf = append(r.buf, '(')
	x.p.appendSQL(r)
	r.buf = append(r.buf, ')')
}

func (x predExpr) inner() Expression { return x.p }
