package wren

import "strconv"

// WindowSpec is the window of a window function: OVER (PARTITION BY …
// ORDER BY … frame).
type WindowSpec struct {
	partition []Expression
	order     []OrderTerm
	frame     string
	err       string       // a bad frame bound, reported when rendered
	base      *NamedWindow // the named window this one extends (Extend)
	named     bool         // OVER name, the base as it is (OverWindow)
}

// Window starts an empty window: the whole result.
func Window() WindowSpec { return WindowSpec{} }

// PartitionBy adds PARTITION BY expressions.
func (w WindowSpec) PartitionBy(exprs ...Expression) WindowSpec {
	w.partition = append(clip(w.partition), exprs...)
	return w
}

// OrderBy adds ORDER BY terms within each partition.
func (w WindowSpec) OrderBy(terms ...Orderable) WindowSpec {
	w.order = appendOrderTerms(clip(w.order), terms)
	return w
}

// FrameBound is one end of a window frame.
type FrameBound struct{ s, err string }

// Frame bounds.
var (
	UnboundedPreceding = FrameBound{s: "UNBOUNDED PRECEDING"}
	CurrentRow         = FrameBound{s: "CURRENT ROW"}
	UnboundedFollowing = FrameBound{s: "UNBOUNDED FOLLOWING"}
)

// Preceding is "n PRECEDING"; a negative n is an error when rendered.
func Preceding(n int) FrameBound { return offsetBound(n, " PRECEDING") }

// Following is "n FOLLOWING"; a negative n is an error when rendered.
func Following(n int) FrameBound { return offsetBound(n, " FOLLOWING") }

func offsetBound(n int, dir string) FrameBound {
	if n < 0 {
		return FrameBound{err: "wren: window frame bound " + strconv.Itoa(n) + dir + " is negative"}
	}
	return FrameBound{s: strconv.Itoa(n) + dir}
}

// Rows sets the frame to ROWS BETWEEN start AND end.
func (w WindowSpec) Rows(start, end FrameBound) WindowSpec { return w.between("ROWS", start, end) }

// Range sets the frame to RANGE BETWEEN start AND end. (PostgreSQL and
// SQLite take n PRECEDING/FOLLOWING in RANGE only with one ORDER BY
// expression; MySQL needs it numeric or temporal.)
func (w WindowSpec) Range(start, end FrameBound) WindowSpec { return w.between("RANGE", start, end) }

func (w WindowSpec) between(kind string, start, end FrameBound) WindowSpec {
	w.err = ""
	for _, b := range [2]FrameBound{start, end} {
		if b.err != "" {
			w.err = b.err
		} else if b.s == "" && w.err == "" {
			w.err = "wren: window frame " + kind + " BETWEEN with a zero FrameBound (use Preceding, CurrentRow, …)"
		}
	}
	w.frame = kind + " BETWEEN " + start.s + " AND " + end.s
	return w
}

// Over computes the aggregate or window function over the window w.
func (a Agg[T]) Over(w WindowSpec) Expr[T] {
	if a.f == nil {
		return a.Expr
	}
	f := *a.f
	f.over = &w
	return newExpr[T](&f)
}

// appendOver writes " OVER (…)", or " OVER name".
func (w *WindowSpec) appendOver(r *renderer) {
	if w.named {
		if windowDefined(r, w.base) {
			r.buf = append(r.buf, " OVER "...)
			r.ident(roleWindow, w.base.name)
		}
		return
	}
	r.buf = append(r.buf, " OVER "...)
	w.appendBody(r)
}

// appendBody writes the window's definition in parentheses.
func (w *WindowSpec) appendBody(r *renderer) {
	if w.err != "" {
		r.fail("%s", w.err)
		return
	}
	r.buf = append(r.buf, '(')
	sep := ""
	if w.base != nil {
		if !w.checkExtends(r) {
			return
		}
		r.ident(roleWindow, w.base.name)
		sep = " "
	}
	if len(w.partition) > 0 {
		r.buf = append(r.buf, "PARTITION BY "...)
		appendList(r, w.partition, appendExpr)
		sep = " "
	}
	if len(w.order) > 0 {
		r.buf = append(r.buf, sep...)
		r.buf = append(r.buf, "ORDER BY "...)
		appendList(r, w.order, func(r *renderer, t OrderTerm) { t.appendOrder(r) })
		sep = " "
	}
	if w.frame != "" {
		r.buf = append(r.buf, sep...)
		r.buf = append(r.buf, w.frame...)
	}
	r.buf = append(r.buf, ')')
}

// RowNumber is ROW_NUMBER(): use it with Over.
func RowNumber() Agg[int64] { return agg[int64](&funcExpr{name: "ROW_NUMBER", window: true}) }

// Rank is RANK(): use it with Over.
func Rank() Agg[int64] { return agg[int64](&funcExpr{name: "RANK", window: true}) }

// DenseRank is DENSE_RANK(): use it with Over.
func DenseRank() Agg[int64] { return agg[int64](&funcExpr{name: "DENSE_RANK", window: true}) }

// Lag is LAG(e, offset): e's value offset rows before the current one
// (NULL before the first: scan it into a pointer, or use LagOr). Use it
// with Over. A negative offset is an error when rendered.
func Lag[T any](e TypedExpr[T], offset int) Agg[T] {
	return agg[T](&funcExpr{name: "LAG", window: true, args: []Expression{e, offsetArg("LAG", offset)}})
}

// LagOr is LAG(e, offset, def): like Lag, but def where there is no row
// offset rows before, so the result is never NULL on that account.
// MariaDB's LAG has no default argument; there it is
// COALESCE(LAG(e, offset) OVER (…), def), which also replaces a NULL e.
func LagOr[T any](e TypedExpr[T], offset int, def T) Agg[T] {
	return agg[T](&funcExpr{name: "LAG", window: true, args: []Expression{e, offsetArg("LAG", offset)}, def: typedValue(def)})
}

// Lead is LEAD(e, offset): e's value offset rows after the current one
// (NULL after the last).
func Lead[T any](e TypedExpr[T], offset int) Agg[T] {
	return agg[T](&funcExpr{name: "LEAD", window: true, args: []Expression{e, offsetArg("LEAD", offset)}})
}

// LeadOr is LEAD(e, offset, def): like Lead, with def after the last row
// (on MariaDB, as for LagOr, COALESCE(LEAD(…) OVER (…), def)).
func LeadOr[T any](e TypedExpr[T], offset int, def T) Agg[T] {
	return agg[T](&funcExpr{name: "LEAD", window: true, args: []Expression{e, offsetArg("LEAD", offset)}, def: typedValue(def)})
}

// offsetArg is a LAG/LEAD offset, written as a literal (it is an int, never
// user text); a negative one fails the rendering.
func offsetArg(fn string, n int) Expression {
	if n < 0 {
		return failExpr("wren: " + fn + " offset " + strconv.Itoa(n) + " is negative")
	}
	return keyword(strconv.Itoa(n))
}

// failExpr fails the rendering with its message.
type failExpr string

func (f failExpr) appendSQL(r *renderer) { r.fail("%s", string(f)) }

// roleWindow names a window of a WINDOW clause, for errors.
const roleWindow = "window"

// NamedWindow is a window defined once in a query's WINDOW clause and used
// by name: made with [WindowSpec.As], added to the query with Window, used
// by [Agg.OverWindow] as it is or by [NamedWindow.Extend] with more clauses.
//
//	w := wren.Window().PartitionBy(Tweets.UserID).As("w")
//	wren.Select(Tweets.ID,
//		wren.CountAll().OverWindow(w).As("n"),                        // OVER "w"
//		wren.RowNumber().Over(w.Extend().OrderBy(Tweets.ID)).As("rn"), // OVER ("w" ORDER BY "id")
//	).From(Tweets).Window(w)
//
// Every database wren renders for has named windows.
type NamedWindow struct {
	name string
	spec WindowSpec
}

// As names the window, for a query's Window clause.
func (w WindowSpec) As(name string) NamedWindow { return NamedWindow{name: name, spec: w} }

// Name returns the window's name.
func (w NamedWindow) Name() string { return w.name }

// Extend starts a window that takes w's partitions, order and frame and
// adds its own: OVER (w ORDER BY …). SQL lets it add ORDER BY only where w
// has none, and a frame; adding PARTITION BY, or extending a window with a
// frame, is an error when rendered.
func (w NamedWindow) Extend() WindowSpec { return WindowSpec{base: &w} }

// OverWindow computes the aggregate or window function over the named
// window w, which the query defines with Window: OVER w.
func (a Agg[T]) OverWindow(w NamedWindow) Expr[T] {
	return a.Over(WindowSpec{base: &w, named: true})
}

// Window defines named windows: WINDOW w AS (…), after HAVING. An
// aggregate that uses a window the query does not define, or two windows of
// one name, fail the rendering.
func (q SelectQuery) Window(ws ...NamedWindow) SelectQuery {
	m := q.edit()
	m.windows = append(clip(m.windows), ws...)
	return q
}

// Window defines named windows (see SelectQuery.Window).
func (s TypedSelect[R]) Window(ws ...NamedWindow) TypedSelect[R] {
	return TypedSelect[R]{s.q.Window(ws...)}
}

// appendWindows writes the WINDOW clause.
func appendWindows(r *renderer, ws []NamedWindow) {
	r.buf = append(r.buf, " WINDOW "...)
	for i, w := range ws {
		for _, o := range ws[:i] {
			if o.name == w.name {
				r.fail("wren: WINDOW %q is defined twice", w.name)
				return
			}
		}
		if i > 0 {
			r.buf = append(r.buf, ", "...)
		}
		r.ident(roleWindow, w.name)
		r.buf = append(r.buf, " AS "...)
		w.spec.appendBody(r)
	}
}

// windowDefined reports whether the query being rendered defines w,
// failing the rendering if not.
func windowDefined(r *renderer, w *NamedWindow) bool {
	for _, d := range r.windows {
		if d.name == w.name {
			return true
		}
	}
	r.fail("wren: window %q is used, but the query does not define it: add it with Window(…)", w.name)
	return false
}

// checkExtends fails the rendering where w adds what SQL does not let a
// window add to the one it extends.
func (w *WindowSpec) checkExtends(r *renderer) bool {
	b := w.base
	switch {
	case !windowDefined(r, b):
	case len(w.partition) > 0:
		r.fail("wren: a window extending %q cannot add PartitionBy (partition %q itself)", b.name, b.name)
	case len(w.order) > 0 && len(b.spec.order) > 0:
		r.fail("wren: a window extending %q cannot add OrderBy: %q is ordered already", b.name, b.name)
	case b.spec.frame != "":
		r.fail("wren: window %q has a frame (Rows or Range), and a window with a frame cannot be extended", b.name)
	default:
		return true
	}
	return false
}
