package wren

import "strconv"

// WindowSpec is the window of a window function: OVER (PARTITION BY …
// ORDER BY … frame).
type WindowSpec struct {
	partition []Expression
	order     []OrderTerm
	frame     string
	err       string // a bad frame bound, reported when rendered
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

// appendOver writes " OVER (…)".
func (w *WindowSpec) appendOver(r *renderer) {
	if w.err != "" {
		r.fail("%s", w.err)
		return
	}
	r.buf = append(r.buf, " OVER ("...)
	sep := ""
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
func RowNumber() Agg[int64] { return agg[int64](&funcExpr{name: "ROW_NUMBER"}) }

// Rank is RANK(): use it with Over.
func Rank() Agg[int64] { return agg[int64](&funcExpr{name: "RANK"}) }

// DenseRank is DENSE_RANK(): use it with Over.
func DenseRank() Agg[int64] { return agg[int64](&funcExpr{name: "DENSE_RANK"}) }

// Lag is LAG(e, offset): e's value offset rows before the current one
// (NULL before the first: scan it into a pointer, or use LagOr). Use it
// with Over. A negative offset is an error when rendered.
func Lag[T any](e TypedExpr[T], offset int) Agg[T] {
	return agg[T](&funcExpr{name: "LAG", args: []Expression{e, offsetArg("LAG", offset)}})
}

// LagOr is LAG(e, offset, def): like Lag, but def where there is no row
// offset rows before, so the result is never NULL on that account.
// MariaDB's LAG has no default argument; there it is
// COALESCE(LAG(e, offset) OVER (…), def), which also replaces a NULL e.
func LagOr[T any](e TypedExpr[T], offset int, def T) Agg[T] {
	return agg[T](&funcExpr{name: "LAG", args: []Expression{e, offsetArg("LAG", offset)}, def: typedValue(def)})
}

// Lead is LEAD(e, offset): e's value offset rows after the current one
// (NULL after the last).
func Lead[T any](e TypedExpr[T], offset int) Agg[T] {
	return agg[T](&funcExpr{name: "LEAD", args: []Expression{e, offsetArg("LEAD", offset)}})
}

// LeadOr is LEAD(e, offset, def): like Lead, with def after the last row
// (on MariaDB, as for LagOr, COALESCE(LEAD(…) OVER (…), def)).
func LeadOr[T any](e TypedExpr[T], offset int, def T) Agg[T] {
	return agg[T](&funcExpr{name: "LEAD", args: []Expression{e, offsetArg("LEAD", offset)}, def: typedValue(def)})
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
