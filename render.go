package wren

import (
	"errors"
	"fmt"
	"math/bits"
	"reflect"
	"slices"
	"strings"
	"sync"
	satomic "sync/atomic"
	"time"
	"unicode/utf8"

	"github.com/wrensql/wren/dialect"
)

// ErrUnsupported is wrapped by errors for a statement the dialect cannot
// express (RETURNING on MySQL, FULL JOIN on MySQL, row locks on SQLite, …).
var ErrUnsupported = errors.New("not supported by this dialect")

// Statement is anything wren can render and run: SELECT, INSERT, UPDATE,
// DELETE, compound selects, DDL.
type Statement interface {
	// SQL renders the statement for d: its text, its arguments in order,
	// and an error if it cannot be rendered for d.
	SQL(d *dialect.Dialect) (string, []any, error)
	appendStatement(r *renderer)
}

// renderer accumulates one statement's text and arguments. Renderers are
// pooled, so rendering reuses its buffers.
type renderer struct {
	d     *dialect.Dialect
	buf   []byte
	args  []any
	err   error
	scope []*tableInfo // tables in FROM/JOIN of the statements being rendered
	bare  bool         // write column names unqualified
	// qualify writes table.column even in a single-table statement.
	qualify bool
	// noScope turns the FROM check off, for fragments rendered on their own.
	noScope bool
	// param names a Param met while rendering, which only a Prepared
	// statement (prepared set) can bind.
	param    string
	prepared bool
	// consts writes bound values as literals (an index predicate).
	consts bool
	// limitOne adds LIMIT 1 to the statement's SELECT when it has no LIMIT
	// (One); the top-level SELECT takes it, before rendering anything else.
	limitOne bool
	// windows are the named windows of the SELECT being rendered.
	windows []NamedWindow
	// small is args' own slice while args is a large one (growArgs).
	small []any
}

// Argument slices of more than pooledArgs values (bulk INSERTs) are not
// kept with the renderers, whose pool serves every statement: they go to
// bigArgs, up to maxBigArgs values, and growArgs takes them from there.
const (
	pooledArgs = 4096
	maxBigArgs = 1 << 16 // MySQL's limit on parameters, rounded up
)

var bigArgs sync.Pool // of *[]any, cap a power of two

// growArgs makes room for n more arguments in r.args. Room for more than
// pooledArgs comes from bigArgs where it has a slice large enough, and is
// made with a power-of-two capacity otherwise, so that bulk INSERTs of
// similar sizes reuse one another's slices.
func (r *renderer) growArgs(n int) {
	need := len(r.args) + n
	if need <= cap(r.args) {
		return
	}
	if need <= pooledArgs || need > maxBigArgs || r.small != nil {
		r.args = slices.Grow(r.args, n)
		return
	}
	var big []any
	if p, _ := bigArgs.Get().(*[]any); p != nil && cap(*p) >= need {
		big = (*p)[:0]
	} else {
		big = make([]any, 0, 1<<bits.Len(uint(need-1)))
	}
	big = append(big, r.args...)
	clear(r.args) // the small slice holds no values while it waits
	r.small, r.args = r.args[:0], big
}

var renderers = sync.Pool{New: func() any {
	return &renderer{buf: make([]byte, 0, 512), args: make([]any, 0, 16)}
}}

func getRenderer(d *dialect.Dialect) *renderer {
	r := renderers.Get().(*renderer)
	r.d = d
	return r
}

func (r *renderer) release() {
	if cap(r.args) > pooledArgs {
		if cap(r.args) <= maxBigArgs && cap(r.args)&(cap(r.args)-1) == 0 {
			clear(r.args)
			big := r.args[:0]
			bigArgs.Put(&big)
		}
		r.args, r.small = r.small, nil
		if r.args == nil {
			r.args = make([]any, 0, 16)
		}
	}
	if cap(r.buf) > 64<<10 {
		return
	}
	clear(r.args)
	*r = renderer{buf: r.buf[:0], args: r.args[:0], scope: r.scope[:0]}
	renderers.Put(r)
}

var errNoDialect = errors.New("wren: no dialect given (use dialect.Postgres, dialect.MySQL or dialect.SQLite)")

// render renders s for d into a pooled renderer, which the caller releases.
func render(d *dialect.Dialect, s Statement) (*renderer, error) { return renderLimit(d, s, false) }

// renderLimit is render; limitOne adds LIMIT 1 to s, a SELECT (see One).
func renderLimit(d *dialect.Dialect, s Statement, limitOne bool) (*renderer, error) {
	if d == nil {
		return nil, errNoDialect
	}
	r := getRenderer(d)
	r.limitOne = limitOne
	s.appendStatement(r)
	if err := r.check(); err != nil {
		return nil, err
	}
	return r, nil
}

// check returns the rendering's error, releasing the renderer if there is
// one: a recorded failure, or more parameters than the dialect allows.
func (r *renderer) check() error {
	err := r.err
	if err == nil && r.param != "" && !r.prepared {
		err = fmt.Errorf("wren: parameter %q needs a value: run the statement through wren.Prepare and give it with wren.Bind", r.param)
	}
	if err == nil && len(r.args) > r.d.MaxParams() {
		err = fmt.Errorf("wren: statement binds %d parameters, more than the %d %s allows", len(r.args), r.d.MaxParams(), r.d)
	}
	if err != nil {
		r.release()
	}
	return err
}

// renderSQL is the body of every statement's SQL method. It is generic so
// that a statement value is rendered without being boxed in an interface.
func renderSQL[S Statement](d *dialect.Dialect, s S) (string, []any, error) {
	if d == nil {
		return "", nil, errNoDialect
	}
	r := getRenderer(d)
	s.appendStatement(r)
	if err := r.check(); err != nil {
		return "", nil, err
	}
	// Interned: rendering a shape seen before allocates no new text.
	text := texts.intern(r.buf)
	var args []any
	if len(r.args) > 0 {
		args = append(make([]any, 0, len(r.args)), r.args...)
	}
	r.release()
	return text, args, nil
}

// fail records the first error of the rendering; later ones are dropped.
func (r *renderer) fail(format string, a ...any) {
	if r.err == nil {
		r.err = fmt.Errorf(format, a...)
	}
}

// unsupported records that the dialect lacks a feature.
func (r *renderer) unsupported(what string) {
	if r.err == nil {
		r.err = fmt.Errorf("wren: %s: %w on %s", what, ErrUnsupported, r.d)
	}
}

// ErrIdentifier is wrapped by the error for an identifier that cannot be
// quoted safely: empty, holding a NUL byte, not valid UTF-8, or longer than
// the server keeps (PostgreSQL shortens names to 63 bytes, MariaDB column
// aliases to 255). The error names
// the identifier's role (table, column, As alias, CTE, …).
var ErrIdentifier = errors.New("invalid identifier")

// The roles an identifier plays, for errors.
const (
	roleTable      = "table"
	roleTableAlias = "table alias"
	roleColumn     = "column"
	roleAs         = "As alias"
	roleCTE        = "CTE"
	roleCTEColumn  = "CTE column"
	roleDerived    = "derived table"
	roleIndex      = "index"
)

// ident writes a quoted identifier; role says what it names, for the error.
//
// Only valid UTF-8 without NUL bytes is written. The quoting doubles the
// dialect's quote character byte by byte, which keeps the statement's shape
// only if the server reads the bytes as UTF-8: a byte that is not UTF-8 can
// join the quote after it into one character in another connection charset
// (GBK reads 0x81 0x60 as one character), and the doubled quote no longer
// closes where wren meant.
func (r *renderer) ident(role, name string) {
	var why string
	switch {
	case name == "":
		why = "empty"
	case strings.IndexByte(name, 0) >= 0:
		why = "contains a NUL byte"
	case !utf8.ValidString(name):
		why = "is not valid UTF-8"
	case tooLong(r.d, role, name):
		why = fmt.Sprintf("is %d bytes long, and %s keeps only the first %d", len(name), r.d, r.d.MaxIdentBytes(role == roleAs))
	default:
		r.buf = r.d.AppendIdent(r.buf, name)
		return
	}
	if r.err == nil {
		r.err = fmt.Errorf("wren: %s name %q %s: %w", role, name, why, ErrIdentifier)
	}
}

// tooLong reports whether d's server would shorten name in role silently.
func tooLong(d *dialect.Dialect, role, name string) bool {
	m := d.MaxIdentBytes(role == roleAs)
	return m > 0 && len(name) > m
}

// keptIdent writes name, an identifier in role: from the text kept in k
// when r's dialect wrote it, else quoted and then kept there.
func (r *renderer) keptIdent(k *satomic.Pointer[dialectText], role, name string) {
	if r.appendKept(k) {
		return
	}
	start := len(r.buf)
	r.ident(role, name)
	r.keep(k, start)
}

// tableRef writes the name that qualifies ti's columns: its alias, or its
// name.
func (r *renderer) tableRef(ti *tableInfo) {
	switch {
	case ti.alias != "":
		r.ident(roleTableAlias, ti.alias)
	case ti.src != nil:
		r.ident(roleDerived, ti.name)
	default:
		ti.appendName(r)
	}
}

// arg binds a value and writes its placeholder. A value of any but the
// common plain types is checked (enums, decimals) or converted (a [16]byte
// UUID) by convertArg first.
func (r *renderer) arg(v any) {
	if r.consts {
		r.constant(v)
		return
	}
	v, err := argValue(r.d, v)
	if err != nil {
		r.fail("%w", err)
	}
	r.args = append(r.args, v)
	r.buf = r.d.AppendPlaceholder(r.buf, len(r.args))
}

// argValue returns v as it is bound on d: the common types as they are
// (see argAsIs), others converted (see convertArg).
func argValue(d *dialect.Dialect, v any) (any, error) {
	switch v.(type) {
	case nil, int64, int, string, float64, bool, time.Time, []byte:
		return v, nil
	}
	return convertArg(d, v)
}

// argAsIs reports whether argValue binds values of type t as they are: the
// types of its first case.
func argAsIs(t reflect.Type) bool {
	switch t {
	case reflect.TypeFor[int64](), reflect.TypeFor[int](), reflect.TypeFor[string](), reflect.TypeFor[float64](),
		reflect.TypeFor[bool](), reflect.TypeFor[time.Time](), reflect.TypeFor[[]byte]():
		return true
	}
	return false
}

// push adds tables to the scope; pop(n) restores the previous scope.
func (r *renderer) push(t *tableInfo) { r.scope = append(r.scope, t) }

func (r *renderer) pop(n int) { r.scope = r.scope[:n] }

// dialectText is SQL text as one dialect writes it, kept beside what it
// was written for (a column's quoted name, a table's select list): the
// same for every statement of that dialect.
type dialectText struct {
	d *dialect.Dialect
	s string
}

// appendKept writes the text kept in k if r's dialect wrote it, and
// reports whether it did.
func (r *renderer) appendKept(k *satomic.Pointer[dialectText]) bool {
	if t := k.Load(); t != nil && t.d == r.d {
		r.buf = append(r.buf, t.s...)
		return true
	}
	return false
}

// keep keeps in k the text r wrote from start, unless the rendering has
// failed.
func (r *renderer) keep(k *satomic.Pointer[dialectText], start int) {
	if r.err == nil {
		k.Store(&dialectText{d: r.d, s: string(r.buf[start:])})
	}
}

// qualifies reports whether columns are written with their table: where
// the query has several sources, or a caller asks for it.
func (r *renderer) qualifies() bool {
	return !r.bare && (r.qualify || len(r.scope) != 1 || r.noScope)
}

func (r *renderer) inScope(t *tableInfo) bool {
	if r.noScope {
		return true
	}
	for _, s := range r.scope {
		if s == t {
			return true
		}
	}
	return false
}

// list writes items separated by ", ".
func appendList[E any](r *renderer, items []E, each func(*renderer, E)) {
	for i, it := range items {
		if i > 0 {
			r.buf = append(r.buf, ", "...)
		}
		each(r, it)
	}
}

// The statements print as their SQL: String renders for PostgreSQL ($1,
// $2… placeholders; the arguments are not shown: they may be secrets), so
// fmt.Println(q), %v and %s show the statement. Use SQL for another
// dialect or for the arguments. A statement that cannot be rendered prints
// as "wren: cannot render: " and the reason.

// String renders q for PostgreSQL (see [SelectQuery.SQL] for others).
func (q SelectQuery) String() string { return stmtString(q) }

// String renders c for PostgreSQL.
func (c CompoundQuery) String() string { return stmtString(c) }

// String renders q for PostgreSQL.
func (q InsertQuery) String() string { return stmtString(q) }

// String renders q for PostgreSQL.
func (q UpdateQuery) String() string { return stmtString(q) }

// String renders q for PostgreSQL.
func (q DeleteQuery) String() string { return stmtString(q) }

// String renders s for PostgreSQL.
func (s CreateTableStmt) String() string { return stmtString(s) }

// String renders s for PostgreSQL.
func (s IndexStmt) String() string { return stmtString(s) }

// String renders s for PostgreSQL.
func (s DropTableStmt) String() string { return stmtString(s) }

// String renders s for PostgreSQL.
func (s Subquery[T]) String() string { return stmtString(s) }

// String renders s for PostgreSQL.
func (s TypedSelect[R]) String() string { return stmtString(s) }

// String renders c for PostgreSQL.
func (c TypedCompound[R]) String() string { return stmtString(c) }

func (s rawStmt) String() string { return stmtString(s) }

func (c countStmt) String() string { return stmtString(c) }

func stmtString[S Statement](s S) string {
	text, _, err := renderSQL(dialect.Postgres, s)
	if err != nil {
		return "wren: cannot render: " + strings.TrimPrefix(err.Error(), "wren: ")
	}
	return text
}
