package wren_test

import (
	"errors"
	"fmt"
	"reflect"
	"strconv"
	"strings"
	"sync"
	"testing"
	"unicode/utf8"

	"github.com/wrensql/wren"
	"github.com/wrensql/wren/dialect"
)

type fuzzTable struct {
	wren.Table
	Name wren.Column[string]
}

var allDialects = []*dialect.Dialect{dialect.Postgres, dialect.MySQL, dialect.MariaDB, dialect.SQLite}

// fuzzNames are the identifiers one fuzz input plays with: a table t with
// columns c and "k", an alias x (table alias, As alias, CTE name, derived
// table name, second table) and a function name f.
type fuzzNames struct{ t, c, x, f string }

// plain are the names the reference rendering of each shape is built with.
var plain = fuzzNames{t: "tt", c: "cc", x: "xx", f: "ff"}

// argWant says what one bound argument must be: the value itself, a LIKE
// pattern built from it, or the IN list.
type argWant byte

const (
	argValue    argWant = 'v'
	argStarts   argWant = 's' // StartsWith: escaped value, then %
	argEnds     argWant = 'e' // EndsWith: %, then escaped value
	argContains argWant = 'c' // Contains: %, escaped value, %
	argList     argWant = 'l' // the IN list: one array or one argument per item
	argLimit    argWant = '3' // LIMIT 3
)

// shape is one statement form, built from names, a value and an IN list.
type shape struct {
	name  string
	args  []argWant
	build func(n fuzzNames, v string, list []string) wren.Statement
	// uses lists the identifiers the statement quotes.
	uses func(n fuzzNames) []string
	// funcName: n.f is written as a function name, not quoted.
	funcName bool
	// asAlias: n.x is (also) a column alias, SELECT … AS x.
	asAlias bool
}

func usesTCX(n fuzzNames) []string { return []string{n.t, n.c, n.x} }
func usesTC(n fuzzNames) []string  { return []string{n.t, n.c} }

// tables builds the descriptors of n: the table, an alias of it, and a
// second table named x with the same columns.
func tables(n fuzzNames) (t wren.Table, tc []wren.Column[string], a wren.Table, ac []wren.Column[string], x wren.Table, xc []wren.Column[string]) {
	t, tc = wren.DynTable(n.t, n.c, "k")
	a, ac = wren.DynAlias(t, n.x)
	x, xc = wren.DynTable(n.x, n.c, "k")
	return
}

var shapes = []shape{
	{name: "select join", asAlias: true, args: []argWant{argValue, argContains, argList, argLimit}, uses: usesTCX,
		build: func(n fuzzNames, v string, list []string) wren.Statement {
			t, tc, a, ac, _, _ := tables(n)
			return wren.Select(tc[0], ac[1].As(n.x)).From(t).Join(a, ac[0].EqExpr(tc[0])).
				Where(tc[0].Eq(v), wren.Contains(ac[1], v), tc[1].In(list...)).OrderBy(tc[0].Desc()).Limit(3)
		}},
	{name: "select like", args: []argWant{argStarts, argEnds, argValue, argValue}, uses: usesTC,
		build: func(n fuzzNames, v string, _ []string) wren.Statement {
			t, tc, _, _, _, _ := tables(n)
			return wren.Select(tc[1]).From(t).Where(wren.StartsWith(tc[0], v), wren.EndsWith(tc[1], v),
				wren.Like(tc[0], v), wren.ILike(tc[1], v))
		}},
	{name: "as alias order", asAlias: true, args: []argWant{argList}, uses: usesTCX,
		build: func(n fuzzNames, _ string, list []string) wren.Statement {
			t, tc, _, _, _, _ := tables(n)
			s := tc[0].As(n.x)
			return wren.Select(s, tc[1]).From(t).Where(tc[1].NotIn(list...)).OrderBy(s.Desc())
		}},
	{name: "func", asAlias: true, args: []argWant{argValue}, uses: usesTCX, funcName: true,
		build: func(n fuzzNames, v string, _ []string) wren.Statement {
			t, tc, _, _, _, _ := tables(n)
			return wren.Select(wren.Func[string](n.f, tc[0], wren.Val(v)).As(n.x)).From(t)
		}},
	{name: "cte", args: []argWant{argValue}, uses: usesTCX,
		build: func(n fuzzNames, v string, _ []string) wren.Statement {
			t, tc, _, _, x, xc := tables(n)
			return wren.Select(xc[0]).From(x).With(wren.CTEOf(x, wren.Select(tc[0], tc[1]).From(t).Where(tc[0].Eq(v))))
		}},
	{name: "derived", args: []argWant{argValue, argList}, uses: usesTCX,
		build: func(n fuzzNames, v string, list []string) wren.Statement {
			t, tc, _, _, _, _ := tables(n)
			d := wren.Derived[fuzzTable](wren.Select(tc[0].As("name")).From(t).Where(tc[1].Eq(v)), n.x)
			return wren.Select(d.Name).From(d).Where(d.Name.In(list...))
		}},
	{name: "compound", args: []argWant{argValue, argContains}, uses: usesTCX,
		build: func(n fuzzNames, v string, _ []string) wren.Statement {
			t, tc, a, ac, _, _ := tables(n)
			return wren.Select(tc[0]).From(t).Where(tc[1].Eq(v)).
				Union(wren.Select(ac[0]).From(a).Where(wren.Contains(ac[1], v)))
		}},
	{name: "in subquery", args: []argWant{argValue}, uses: usesTCX,
		build: func(n fuzzNames, v string, _ []string) wren.Statement {
			t, tc, a, ac, _, _ := tables(n)
			return wren.Select(tc[0]).From(t).Where(tc[1].InQuery(wren.SubqueryOf(ac[1]).From(a).Where(ac[0].Eq(v))))
		}},
	{name: "insert", args: []argWant{argValue, argValue}, uses: usesTC,
		build: func(n fuzzNames, v string, _ []string) wren.Statement {
			t, tc, _, _, _, _ := tables(n)
			return wren.Insert(t).Set(wren.Set(tc[0], v), wren.Set(tc[1], v))
		}},
	{name: "insert returning", asAlias: true, args: []argWant{argValue}, uses: usesTCX,
		build: func(n fuzzNames, v string, _ []string) wren.Statement {
			t, tc, _, _, _, _ := tables(n)
			return wren.Insert(t).Set(wren.Set(tc[0], v)).Returning(tc[0].As(n.x), tc[1])
		}},
	{name: "upsert", args: []argWant{argValue, argValue, argValue}, uses: usesTC,
		build: func(n fuzzNames, v string, _ []string) wren.Statement {
			t, tc, _, _, _, _ := tables(n)
			return wren.Insert(t).Set(wren.Set(tc[0], v), wren.Set(tc[1], v)).OnConflict(tc[0]).
				DoUpdate([]wren.Assignment{wren.Set(tc[1], v)})
		}},
	{name: "insert select", args: []argWant{argList}, uses: usesTCX,
		build: func(n fuzzNames, _ string, list []string) wren.Statement {
			t, tc, _, _, x, xc := tables(n)
			return wren.Insert(t).Select([]wren.ColumnRef{tc[0], tc[1]}, wren.Select(xc[0], xc[1]).From(x).Where(xc[0].In(list...)))
		}},
	{name: "update", args: []argWant{argValue, argValue, argList}, uses: usesTC,
		build: func(n fuzzNames, v string, list []string) wren.Statement {
			t, tc, _, _, _, _ := tables(n)
			return wren.Update(t).Set(wren.Set(tc[1], v)).Where(tc[0].Eq(v), tc[1].NotIn(list...))
		}},
	{name: "update from", args: []argWant{argValue, argEnds}, uses: usesTCX,
		build: func(n fuzzNames, v string, _ []string) wren.Statement {
			t, tc, _, _, x, xc := tables(n)
			return wren.Update(t).Set(wren.Set(tc[1], v)).From(x).Where(xc[0].EqExpr(tc[0]), wren.EndsWith(xc[1], v))
		}},
	{name: "delete", args: []argWant{argValue, argStarts}, uses: usesTC,
		build: func(n fuzzNames, v string, _ []string) wren.Statement {
			t, tc, _, _, _, _ := tables(n)
			return wren.Delete(t).Where(tc[0].Eq(v), wren.StartsWith(tc[1], v))
		}},
	{name: "delete returning", asAlias: true, args: []argWant{argList}, uses: usesTCX,
		build: func(n fuzzNames, _ string, list []string) wren.Statement {
			t, tc, _, _, _, _ := tables(n)
			return wren.Delete(t).Where(tc[0].In(list...)).Returning(tc[1].As(n.x))
		}},
	{name: "create table", uses: usesTC,
		build: func(n fuzzNames, _ string, _ []string) wren.Statement {
			t, _, _, _, _, _ := tables(n)
			return wren.CreateTable(t).IfNotExists()
		}},
	{name: "create index", uses: func(n fuzzNames) []string { return []string{n.t, n.c, "idx_" + n.t + "_" + n.c} },
		build: func(n fuzzNames, _ string, _ []string) wren.Statement {
			t, _, _, _, _, _ := tables(n)
			return wren.CreateIndexes(t)[0]
		}},
	{name: "drop table", uses: func(n fuzzNames) []string { return []string{n.t} },
		build: func(n fuzzNames, _ string, _ []string) wren.Statement {
			t, _, _, _, _, _ := tables(n)
			return wren.DropTable(t).IfExists()
		}},
}

// validIdent is the rule wren promises for identifiers on d.
func validIdent(d *dialect.Dialect, s string, columnAlias bool) bool {
	if m := d.MaxIdentBytes(columnAlias); m > 0 && len(s) > m {
		return false
	}
	return s != "" && strings.IndexByte(s, 0) < 0 && utf8.ValidString(s)
}

// plainFunc is the documented rule for Func names.
func plainFunc(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c == '_' || c == '.' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (i > 0 && c >= '0' && c <= '9')) {
			return false
		}
	}
	return true
}

// reference is a shape's rendering with plain names and value "vv",
// tokenized, or the error that rendering gave; cached per list length.
type reference struct {
	toks []sqlTok
	err  error
}

var references sync.Map // "shape/dialect/len/func" -> reference

func referenceOf(t *testing.T, s shape, d *dialect.Dialect, listLen int, f string) reference {
	key := fmt.Sprintf("%s/%s/%d/%s", s.name, d, listLen, f)
	if r, ok := references.Load(key); ok {
		return r.(reference)
	}
	n := plain
	n.f = f
	text, _, err := s.build(n, "vv", makeList("vv", listLen)).SQL(d)
	var r reference
	if err != nil {
		r.err = err
	} else if r.toks, err = lexSQL(d, text); err != nil {
		t.Fatalf("%s on %s: the plain rendering does not lex: %v", s.name, d, err)
	}
	if f == plain.f { // fuzzed function names would grow the cache without bound
		references.Store(key, r)
	}
	return r
}

func makeList(v string, n int) []string {
	list := make([]string, n)
	for i := range list {
		list[i] = v + strconv.Itoa(i)
	}
	return list
}

// FuzzStatementShape checks, for every statement kind on every dialect,
// that no identifier and no value can change a statement's shape. The
// checks do not restate wren's quoting rule: the text is split into tokens by
// the servers' lexical rules (lexSQL) and compared token by token with the
// same statement built from plain names, each quoted identifier reading back
// as the name it was given; the placeholders counted by the lexer equal the
// arguments, which are the values given (a LIKE pattern unescapes back to
// the value, with its wildcards only at the ends); and an identifier that is
// empty, holds a NUL or is not UTF-8 is an error naming it, never a panic.
// Each execution checks one shape on one dialect, chosen by sel; the seeds
// cover every pair.
func FuzzStatementShape(f *testing.F) {
	nasty := []string{"users", `we"ird`, "back`tick", `back\slash`, "nul\x00byte", "ünï ☃", "a'b", "--", "-- x",
		"x; DROP TABLE t", "$1", "?", "?1", ":a", "@a", "$a", "[br]acket", "]", "/*", "*/", "#", "\x81`", "中`", "\xff",
		"a\nb", "%_!", "!", "%", "_", "''", "\\'", `"`, "`", "k", "tt", "E'", "U&\"", strings.Repeat("long", 20),
		strings.Repeat("long", 15) + "abc", strings.Repeat("ü", 32), strings.Repeat("ü", 128)}
	// Every awkward name as the table of every shape on every dialect, with
	// others as column and alias, and every list length.
	for k := 0; k < len(nasty)*len(shapes)*len(allDialects); k++ {
		i := k / (len(shapes) * len(allDialects))
		sel := k%(len(shapes)*len(allDialects)) + len(shapes)*len(allDialects)*(k%8)
		f.Add(nasty[i], nasty[(k+7)%len(nasty)], nasty[(k+13)%len(nasty)], nasty[(k+3)%len(nasty)]+"x", uint16(sel))
	}
	f.Fuzz(func(t *testing.T, tn, cn, xn, value string, sel uint16) {
		n := fuzzNames{t: tn, c: cn, x: xn, f: xn}
		if cn == "k" || tn == "" || cn == "" || xn == "" {
			// "k" is the other column's name (assigning it twice is an
			// error); empty names are refused by NewTable, Alias and the
			// renderer (TestIdentifierNotUTF8).
			return
		}
		// sel picks the shape, the dialect and the IN list's length, so that
		// one execution renders one statement and the fuzzer runs fast.
		k := int(sel)
		s := shapes[k%len(shapes)]
		k /= len(shapes)
		d := allDialects[k%len(allDialects)]
		k /= len(allDialects)
		checkShape(t, s, d, n, value, makeList(value, 1+k%8))
	})
}

func checkShape(t *testing.T, s shape, d *dialect.Dialect, n fuzzNames, value string, list []string) {
	text, args, err := s.build(n, value, list).SQL(d)
	var bad []string
	for _, id := range s.uses(n) {
		if !validIdent(d, id, s.asAlias && id == n.x) {
			bad = append(bad, strconv.Quote(id))
		}
	}
	refFunc := plain.f
	if s.funcName {
		if !plainFunc(n.f) {
			if err == nil || !strings.Contains(err.Error(), "function name") {
				t.Fatalf("%s on %s: function name %q: err %v, text %q", s.name, d, n.f, err, text)
			}
			return
		}
		refFunc = n.f // not quoted: the reference uses it as it is
	}
	ref := referenceOf(t, s, d, len(list), refFunc)
	if len(bad) > 0 {
		if ref.err != nil && errors.Is(err, wren.ErrUnsupported) {
			return // the dialect's refusal came first
		}
		if !errors.Is(err, wren.ErrIdentifier) {
			t.Fatalf("%s on %s: identifiers %v: err %v, text %q", s.name, d, bad, err, text)
		}
		named := false
		for _, b := range bad {
			named = named || strings.Contains(err.Error(), b[1:len(b)-1])
		}
		if !named {
			t.Fatalf("%s on %s: %v names none of %v", s.name, d, err, bad)
		}
		return
	}
	if ref.err != nil {
		// The dialect cannot express the shape (RETURNING on MySQL, …):
		// the fuzzed names must not change that.
		if err == nil || !errors.Is(err, wren.ErrUnsupported) {
			t.Fatalf("%s on %s: plain names give %v, fuzzed names give %v (%q)", s.name, d, ref.err, err, text)
		}
		return
	}
	if err != nil {
		t.Fatalf("%s on %s: %v", s.name, d, err)
	}
	toks, err := lexSQL(d, text)
	if err != nil {
		t.Fatalf("%s on %s: %v", s.name, d, err)
	}
	subst := map[string]string{plain.t: n.t, plain.c: n.c, plain.x: n.x, "idx_tt_cc": "idx_" + n.t + "_" + n.c}
	if err := sameShape(toks, ref.toks, subst); err != nil {
		t.Fatalf("%s on %s: %v\n%s", s.name, d, err, text)
	}
	checkArgs(t, s, d, toks, args, value, list)
}

// checkArgs checks the placeholders against the arguments, and each argument
// against what the shape says it is.
func checkArgs(t *testing.T, s shape, d *dialect.Dialect, toks []sqlTok, args []any, value string, list []string) {
	var params []string
	for _, tk := range toks {
		if tk.kind == tokParam {
			params = append(params, tk.text)
		}
	}
	if len(params) != len(args) {
		t.Fatalf("%s on %s: %d placeholders, %d arguments", s.name, d, len(params), len(args))
	}
	for i, p := range params {
		if p != "?" && p != "$"+strconv.Itoa(i+1) {
			t.Fatalf("%s on %s: placeholder %d is %s", s.name, d, i+1, p)
		}
	}
	i := 0
	next := func() any {
		if i >= len(args) {
			t.Fatalf("%s on %s: too few arguments: %#v", s.name, d, args)
		}
		i++
		return args[i-1]
	}
	for _, w := range s.args {
		switch w {
		case argValue:
			if a := next(); a != value {
				t.Fatalf("%s on %s: argument %#v, want %q", s.name, d, a, value)
			}
		case argStarts, argEnds, argContains:
			a := next()
			p, _ := a.(string)
			lit, ok := likeLiteral(p, w != argEnds, w != argStarts)
			if !ok || lit != value {
				t.Fatalf("%s on %s: LIKE pattern %q does not match %q literally", s.name, d, p, value)
			}
		case argLimit:
			if d.InlineLimit() {
				continue // LIMIT 3 in the text, compared with the shape's
			}
			if a := next(); fmt.Sprint(a) != "3" {
				t.Fatalf("%s on %s: LIMIT argument %#v", s.name, d, a)
			}
		case argList:
			if d.ArrayParams() {
				if a := next(); !reflect.DeepEqual(a, list) {
					t.Fatalf("%s on %s: IN array %#v, want %#v", s.name, d, a, list)
				}
				continue
			}
			for _, v := range list {
				if a := next(); a != v {
					t.Fatalf("%s on %s: IN item %#v, want %q", s.name, d, a, v)
				}
			}
		}
	}
	if i != len(args) {
		t.Fatalf("%s on %s: %d arguments, want %d: %#v", s.name, d, len(args), i, args)
	}
}

// likeLiteral reads a LIKE pattern with escape character '!': a % at the
// end (suffix) and at the start (prefix) as the wildcards, everything else
// literal. ok is false for any other wildcard or a dangling escape.
func likeLiteral(p string, suffix, prefix bool) (string, bool) {
	if prefix {
		if !strings.HasPrefix(p, "%") {
			return "", false
		}
		p = p[1:]
	}
	if suffix {
		// Were this % escaped, the loop below finds a dangling !.
		if !strings.HasSuffix(p, "%") {
			return "", false
		}
		p = p[:len(p)-1]
	}
	var b strings.Builder
	for i := 0; i < len(p); i++ {
		c := p[i]
		switch c {
		case '!':
			if i+1 == len(p) {
				return "", false // the escape took the closing %
			}
			i++
			if n := p[i]; n != '%' && n != '_' && n != '!' {
				return "", false
			}
			b.WriteByte(p[i])
		case '%', '_':
			return "", false
		default:
			b.WriteByte(c)
		}
	}
	return b.String(), true
}
