package wren

import (
	"context"
	"fmt"
	"iter"
	"reflect"
	"sync"
	satomic "sync/atomic"

	"github.com/wrensql/wren/dialect"
	"github.com/wrensql/wren/scan"
)

// Param is a named placeholder of type T: an expression whose value is
// given each time a [Prepared] query runs, with [Bind]. It compares and
// combines like any Expr[T]:
//
//	minAge := wren.NewParam[int64]("min_age")
//	q := wren.Prepare[User](wren.Select(Users.ID, Users.Username).From(Users).Where(Users.Age.GteExpr(minAge)))
//	users, err := q.All(ctx, db, wren.Bind(minAge, 30))
//
// A query with a Param runs only through Prepare; run directly it fails
// with an error naming the parameter.
type Param[T any] struct{ Expr[T] }

// paramExpr is a Param's node: its name and Go type.
type paramExpr struct {
	name string
	t    reflect.Type
}

// paramArg is what a Param binds while its query is rendered: a marker
// that a [Prepared] query replaces with the value given for the parameter.
type paramArg struct{ p *paramExpr }

// NewParam makes a placeholder named name (for error messages) of type T.
func NewParam[T any](name string) Param[T] {
	return Param[T]{newExpr[T](&paramExpr{name: name, t: reflect.TypeFor[T]()})}
}

func (p *paramExpr) appendSQL(r *renderer) {
	// Rendered as Val renders a value, so the server sees the same text.
	if r.param == "" {
		r.param = p.name
	}
	typedVal{v: paramArg{p}, t: p.t}.appendSQL(r)
}

func (p Param[T]) param() *paramExpr { return p.n.Expression.(*paramExpr) }

// paramNode returns the parameter e is, or nil.
func (e Expr[T]) paramNode() *paramExpr {
	if e.n == nil {
		return nil
	}
	p, _ := e.n.Expression.(*paramExpr)
	return p
}

// isParam reports whether v is a parameter made by NewParam.
func isParam(v any) bool {
	p, ok := v.(interface{ paramNode() *paramExpr })
	return ok && p.paramNode() != nil
}

// Arg is a parameter's value for one run of a [Prepared] query; make it
// with [Bind].
type Arg struct {
	p *paramExpr
	v any
}

// Bind gives parameter p the value v for one run. A nil v (of a pointer
// type) is refused when the query runs: "= NULL" is never true; write
// IsNull in the query instead.
func Bind[T any](p Param[T], v T) Arg {
	if p.n == nil {
		return Arg{}
	}
	return Arg{p: p.param(), v: v}
}

// Prepared is a statement rendered once per dialect and run many times
// with different parameter values: a hot path pays no building or
// rendering, only the copy of its arguments. Make it with [Prepare] (rows
// of type T) or [PrepareExec]; it is safe for concurrent use.
type Prepared[T any] struct {
	s     Statement
	one   bool // One adds LIMIT 1 to s (limitsToOne), decided once
	mu    sync.Mutex
	forms satomic.Pointer[[]*preparedForm] // one per dialect, copied on write
}

// preparedForm is the statement rendered for one dialect.
type preparedForm struct {
	d     *dialect.Dialect
	one   bool // rendered for One: LIMIT 1 added where One adds it
	text  string
	args  []any // paramArg markers where parameters go
	slots []int // indexes of the markers in args
	err   error
	// plan is the scan plan of the form's rows, kept here so that a run
	// skips the shared plan cache (see startType).
	plan satomic.Pointer[planVariant]
}

// Prepare makes a prepared query whose rows are T (as [All] reads them).
func Prepare[T any](s Statement) *Prepared[T] {
	return &Prepared[T]{s: s, one: !isNil(s) && limitsToOne(s)}
}

// PrepareExec makes a prepared statement that returns no rows, run with
// Exec.
func PrepareExec(s Statement) *Prepared[Result] { return &Prepared[Result]{s: s} }

// form returns the statement rendered for d (for One when one is set),
// rendering it the first time.
func (p *Prepared[T]) form(d *dialect.Dialect, one bool) *preparedForm {
	if fs := p.forms.Load(); fs != nil {
		for _, f := range *fs {
			if f.d == d && f.one == one {
				return f
			}
		}
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	var old []*preparedForm
	if fs := p.forms.Load(); fs != nil {
		old = *fs
		for _, f := range old {
			if f.d == d && f.one == one {
				return f
			}
		}
	}
	f := &preparedForm{d: d, one: one}
	if d == nil {
		f.err = errNoDialect
	} else if p.s == nil || isNil(p.s) {
		f.err = fmt.Errorf("wren: Prepare of a nil statement")
	} else if r, err := renderPrepared(d, p.s, one); err != nil {
		f.err = err
	} else {
		f.text = texts.intern(r.buf)
		f.args = append([]any(nil), r.args...)
		r.release()
		for i, a := range f.args {
			if _, ok := a.(paramArg); ok {
				f.slots = append(f.slots, i)
			}
		}
	}
	forms := append(append(make([]*preparedForm, 0, len(old)+1), old...), f)
	p.forms.Store(&forms)
	return f
}

// renderPrepared is render for a Prepared statement, whose Params are
// bound when it runs.
func renderPrepared(d *dialect.Dialect, s Statement, one bool) (*renderer, error) {
	r := getRenderer(d)
	r.prepared = true
	r.limitOne = one
	s.appendStatement(r)
	if err := r.check(); err != nil {
		return nil, err
	}
	return r, nil
}

// bind returns the form's arguments with the parameters' values in place.
func (f *preparedForm) bind(args []Arg) ([]any, error) {
	if f.err != nil {
		return nil, f.err
	}
	if len(f.slots) == 0 && len(args) == 0 {
		return f.args, nil // never written to by the drivers
	}
	out := make([]any, len(f.args))
	copy(out, f.args)
	for _, i := range f.slots {
		p := out[i].(paramArg).p
		found := false
		for _, a := range args {
			if a.p == p {
				if isNil(a.v) {
					return nil, fmt.Errorf("wren: parameter %q is nil: a comparison with NULL is never true; write IsNull in the query", p.name)
				}
				out[i], found = a.v, true
				break
			}
		}
		if !found {
			return nil, fmt.Errorf("wren: parameter %q has no value: give it with wren.Bind", p.name)
		}
	}
	for _, a := range args {
		if a.p == nil {
			return nil, fmt.Errorf("wren: Bind of a zero Param (make parameters with wren.NewParam)")
		}
		used := false
		for _, i := range f.slots {
			if f.args[i].(paramArg).p == a.p {
				used = true
				break
			}
		}
		if !used {
			return nil, fmt.Errorf("wren: parameter %q is not in the statement", a.p.name)
		}
	}
	return out, nil
}

// run renders (once) and binds the statement for db's dialect.
func (p *Prepared[T]) run(db Querier, args []Arg, one bool) (*preparedForm, []any, error) {
	if err := checkDB(db); err != nil {
		return nil, nil, err
	}
	f := p.form(db.Dialect(), one)
	vals, err := f.bind(args)
	return f, vals, err
}

// All runs the query with the parameters' values and returns every row.
func (p *Prepared[T]) All(ctx context.Context, db Querier, args ...Arg) ([]T, error) {
	f, vals, err := p.run(db, args, false)
	if err != nil {
		return nil, err
	}
	return All[T](ctx, db, boundStmt{p.s, f.text, vals, &f.plan})
}

// One runs the query and returns its first row; with no row the error
// wraps ErrNoRows. As [One] does, it adds LIMIT 1 to a SELECT that has no
// LIMIT (rendered once, beside the form All runs).
func (p *Prepared[T]) One(ctx context.Context, db Querier, args ...Arg) (T, error) {
	f, vals, err := p.run(db, args, p.one)
	if err != nil {
		var zero T
		return zero, err
	}
	return One[T](ctx, db, boundStmt{p.s, f.text, vals, &f.plan})
}

// Iter runs the query and yields its rows one at a time.
func (p *Prepared[T]) Iter(ctx context.Context, db Querier, args ...Arg) iter.Seq2[T, error] {
	f, vals, err := p.run(db, args, false)
	if err != nil {
		return func(yield func(T, error) bool) {
			var zero T
			yield(zero, err)
		}
	}
	return Iter[T](ctx, db, boundStmt{p.s, f.text, vals, &f.plan})
}

// Exec runs the statement with the parameters' values and reports the rows
// it affected.
func (p *Prepared[T]) Exec(ctx context.Context, db Querier, args ...Arg) (Result, error) {
	f, vals, err := p.run(db, args, false)
	if err != nil {
		return Result{}, err
	}
	return Exec(ctx, db, boundStmt{p.s, f.text, vals, nil})
}

// SQL renders the statement for d, with the parameters as placeholders
// whose arguments are unbound markers.
func (p *Prepared[T]) SQL(d *dialect.Dialect) (string, []any, error) {
	f := p.form(d, false)
	return f.text, f.args, f.err
}

// boundStmt is a Prepared statement's text with its values bound, run by
// All, One and Iter without rendering (see start); its result columns and
// row hint are the statement's.
type boundStmt struct {
	s    Statement
	text string
	args []any
	plan *satomic.Pointer[planVariant] // the form's plan, for rows of the Prepared's T
}

// SQL returns the bound text and values; d must be the dialect it was
// rendered for.
func (b boundStmt) SQL(*dialect.Dialect) (string, []any, error) { return b.text, b.args, nil }

func (b boundStmt) appendStatement(r *renderer) {
	r.buf = append(r.buf, b.text...)
	r.args = append(r.args, b.args...)
}

// ResultColumns are the statement's, where it knows them.
func (b boundStmt) ResultColumns() []scan.Column {
	if rc, ok := b.s.(resultColumner); ok {
		return rc.ResultColumns()
	}
	return nil
}

func (b boundStmt) rowsHint() int {
	if h, ok := b.s.(interface{ rowsHint() int }); ok {
		return h.rowsHint()
	}
	return 0
}
