package wren

import (
	"database/sql/driver"
	"fmt"
	"reflect"
	"regexp"
	"strconv"
	"strings"
	"sync"
	syncatomic "sync/atomic"

	"modernc.org/sqlite"

	"github.com/wrensql/wren/dialect"
)

// Operators whose spelling differs by dialect: regular-expression matches,
// case-sensitive LIKE and GLOB, and the bitwise operators.

// Regexp is true when e matches the regular expression pattern, with the
// case of letters significant: e ~ $1 on PostgreSQL, e REGEXP ? elsewhere.
// MySQL and MariaDB match by the column's collation, which is usually
// case-insensitive, so wren binds their pattern with "(?-i)" before it.
// SQLite has no regular expressions of its own: wren registers a REGEXP
// function with modernc.org/sqlite (for every connection the process opens
// after it is loaded) that uses Go's regexp package. The syntaxes agree on
// the common forms (classes, anchors, repetition, alternation); they differ
// in the rarer ones (back-references, POSIX classes, PostgreSQL's \m and
// \M), which each database reads its own way.
func Regexp[S Text, P ~string](e TypedExpr[S], pattern P) Predicate {
	return Predicate{op: pMatch, l: &matchExpr{l: e, kind: matchRegexp, pattern: string(pattern)}}
}

// IRegexp is [Regexp] ignoring the case of letters: e ~* $1 on
// PostgreSQL, the pattern bound with "(?i)" before it elsewhere.
func IRegexp[S Text, P ~string](e TypedExpr[S], pattern P) Predicate {
	return Predicate{op: pMatch, l: &matchExpr{l: e, kind: matchIRegexp, pattern: string(pattern)}}
}

// CaseSensitiveLike is LIKE with the case of letters significant on every
// database: % and _ are the wildcards, and a backslash makes the character
// after it literal. PostgreSQL's LIKE is case-sensitive already; MySQL and
// MariaDB get e LIKE CAST(? AS BINARY), since their LIKE follows the
// column's collation; SQLite, whose LIKE ignores the case of ASCII letters,
// gets e GLOB ? with the pattern translated (% to *, _ to ?, and GLOB's
// own wildcards * ? [ made literal).
func CaseSensitiveLike[S Text, P ~string](e TypedExpr[S], pattern P) Predicate {
	return Predicate{op: pMatch, l: &matchExpr{l: e, kind: matchCaseLike, pattern: string(pattern)}}
}

// Glob is SQLite's "e GLOB pattern": case-sensitive, with * and ? as the
// wildcards and [...] as character classes. The other databases have no
// GLOB, and rendering for them fails with ErrUnsupported; CaseSensitiveLike
// and Regexp say the same things everywhere.
func Glob[S Text, P ~string](e TypedExpr[S], pattern P) Predicate {
	return Predicate{op: pMatch, l: &matchExpr{l: e, kind: matchGlob, pattern: string(pattern)}}
}

type matchKind uint8

const (
	matchRegexp matchKind = iota
	matchIRegexp
	matchCaseLike
	matchGlob
)

// matchExpr is "l <operator> pattern".
type matchExpr struct {
	l       Expression
	kind    matchKind
	pattern string
}

func (m *matchExpr) appendSQL(r *renderer) {
	if m.kind == matchGlob && !r.d.Glob() {
		r.unsupported("GLOB (use CaseSensitiveLike or Regexp)")
		return
	}
	appendExpr(r, m.l)
	switch m.kind {
	case matchRegexp, matchIRegexp:
		op, prefix := r.d.Regexp(m.kind == matchIRegexp)
		r.buf = append(r.buf, ' ')
		r.buf = append(r.buf, op...)
		r.buf = append(r.buf, ' ')
		r.arg(prefix + m.pattern)
	case matchGlob:
		r.buf = append(r.buf, " GLOB "...)
		r.arg(m.pattern)
	default:
		switch r.d.CaseLike() {
		case dialect.CaseLikeBinary:
			r.buf = append(r.buf, " LIKE CAST("...)
			r.arg(m.pattern)
			r.buf = append(r.buf, " AS BINARY)"...)
		case dialect.CaseLikeGlob:
			r.buf = append(r.buf, " GLOB "...)
			r.arg(likeToGlob(m.pattern))
		default:
			r.buf = append(r.buf, " LIKE "...)
			r.arg(m.pattern)
		}
	}
}

// likeToGlob translates a LIKE pattern (% and _, backslash escapes) into
// the GLOB pattern that matches the same texts.
func likeToGlob(p string) string {
	var b strings.Builder
	b.Grow(len(p) + 4)
	lit := func(c byte) {
		switch c {
		case '*', '?', '[':
			b.WriteByte('[')
			b.WriteByte(c)
			b.WriteByte(']')
		default:
			b.WriteByte(c)
		}
	}
	for i := 0; i < len(p); i++ {
		switch c := p[i]; c {
		case '\\':
			if i+1 < len(p) {
				i++
				lit(p[i])
			} else {
				lit(c)
			}
		case '%':
			b.WriteByte('*')
		case '_':
			b.WriteByte('?')
		default:
			lit(c)
		}
	}
	return b.String()
}

func init() {
	// An error means another package registered "regexp" first; its
	// function then serves REGEXP.
	_ = sqlite.RegisterDeterministicScalarFunction("regexp", 2, sqliteRegexp)
}

// sqliteRegexp is SQLite's regexp(pattern, text), which "text REGEXP
// pattern" calls.
func sqliteRegexp(_ *sqlite.FunctionContext, args []driver.Value) (driver.Value, error) {
	pat, ok1 := sqliteText(args[0])
	s, ok2 := sqliteText(args[1])
	if !ok1 || !ok2 {
		return nil, nil // NULL in, NULL out
	}
	re, err := compiledRegexp(pat)
	if err != nil {
		return nil, err
	}
	if re.MatchString(s) {
		return int64(1), nil
	}
	return int64(0), nil
}

func sqliteText(v driver.Value) (string, bool) {
	switch x := v.(type) {
	case string:
		return x, true
	case []byte:
		return string(x), true
	case int64:
		return strconv.FormatInt(x, 10), true
	case float64:
		return strconv.FormatFloat(x, 'g', -1, 64), true
	}
	return "", false
}

// The compiled patterns of SQLite's REGEXP, kept for the first
// regexpCacheSize patterns a process uses.
var (
	regexpCache  sync.Map
	regexpCached syncatomic.Int32
)

const regexpCacheSize = 256

func compiledRegexp(p string) (*regexp.Regexp, error) {
	if v, ok := regexpCache.Load(p); ok {
		return v.(*regexp.Regexp), nil
	}
	re, err := regexp.Compile(p)
	if err != nil {
		return nil, fmt.Errorf("wren: REGEXP pattern %q: %v", p, err)
	}
	if regexpCached.Add(1) <= regexpCacheSize {
		regexpCache.Store(p, re)
	}
	return re, nil
}

// Integer is the constraint of the bitwise operators: the signed integer
// types, which every database stores in a 64-bit integer column or
// narrower.
type Integer interface {
	~int | ~int8 | ~int16 | ~int32 | ~int64
}

// BitAnd is "e & v". The bitwise operators exist only for signed integer
// expressions. MySQL and MariaDB compute them on unsigned 64-bit integers;
// wren casts the result back to a signed one there, so negative values
// come out as on the other databases.
func BitAnd[T Integer](e TypedExpr[T], v T) Expr[T] { return bitOp[T](e, "&", valueExpr{v}) }

// BitOr is "e | v".
func BitOr[T Integer](e TypedExpr[T], v T) Expr[T] { return bitOp[T](e, "|", valueExpr{v}) }

// BitXor is e XOR v: "e # v" on PostgreSQL, "e ^ v" on MySQL and MariaDB,
// and "(e | v) & ~(e & v)" on SQLite, which has no XOR operator.
func BitXor[T Integer](e TypedExpr[T], v T) Expr[T] { return bitOp[T](e, "^", valueExpr{v}) }

// BitAndExpr is "e & o".
func BitAndExpr[T Integer](e, o TypedExpr[T]) Expr[T] { return bitOp[T](e, "&", o) }

// BitOrExpr is "e | o".
func BitOrExpr[T Integer](e, o TypedExpr[T]) Expr[T] { return bitOp[T](e, "|", o) }

// BitXorExpr is e XOR o (see BitXor).
func BitXorExpr[T Integer](e, o TypedExpr[T]) Expr[T] { return bitOp[T](e, "^", o) }

// ShiftLeft is "e << n"; n must be from 0 to the number of bits of T less
// one, or rendering fails.
func ShiftLeft[T Integer](e TypedExpr[T], n int) Expr[T] { return shift[T](e, "<<", n) }

// ShiftRight is "e >> n", an arithmetic shift (a negative e stays
// negative) on every database: on MySQL and MariaDB, whose >> is a logical
// shift, wren writes CASE WHEN e < 0 THEN ~(~e >> n) ELSE e >> n END.
func ShiftRight[T Integer](e TypedExpr[T], n int) Expr[T] { return shift[T](e, ">>", n) }

func bitOp[T Integer](l Expression, op string, o Expression) Expr[T] {
	return newExpr[T](&bitExpr{l: l, op: op, r: o})
}

func shift[T Integer](l Expression, op string, n int) Expr[T] {
	t := reflect.TypeFor[T]()
	bits := 8 * int(t.Size())
	if n < 0 || n >= bits {
		return newExpr[T](failExpr(fmt.Sprintf("wren: shift %s %d of a %s: the count must be from 0 to %d", op, n, t, bits-1)))
	}
	return newExpr[T](&bitExpr{l: l, op: op, r: keyword(strconv.Itoa(n))})
}

// bitExpr is "(l op r)".
type bitExpr struct {
	l  Expression
	op string
	r  Expression
}

func (b *bitExpr) appendSQL(r *renderer) {
	signedCast := r.d.BitUnsigned()
	if signedCast {
		r.buf = append(r.buf, "CAST("...)
	}
	switch {
	case b.op == "^" && r.d.BitXor() == "":
		b.appendOp(r, "((", " | ", ")")
		r.buf = append(r.buf, " & ~"...)
		b.appendOp(r, "(", " & ", "))")
	case b.op == ">>" && signedCast:
		r.buf = append(r.buf, "CASE WHEN "...)
		appendExpr(r, b.l)
		r.buf = append(r.buf, " < 0 THEN ~(~"...)
		b.appendOp(r, "", " >> ", ") ELSE ")
		b.appendOp(r, "", " >> ", " END")
	case b.op == "^":
		b.appendOp(r, "(", " "+r.d.BitXor()+" ", ")")
	default:
		b.appendOp(r, "(", " "+b.op+" ", ")")
	}
	if signedCast {
		r.buf = append(r.buf, " AS SIGNED)"...)
	}
}

func (b *bitExpr) appendOp(r *renderer, open, op, close string) {
	r.buf = append(r.buf, open...)
	appendExpr(r, b.l)
	r.buf = append(r.buf, op...)
	appendExpr(r, b.r)
	r.buf = append(r.buf, close...)
}
