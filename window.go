package wren

import "strconv"

// WindowSpec is the window of a window function: OVER (PARTITION BY …
// ORDER BY … frame).
type WindowSpec struct {
	partition []Expression
	order     []OrderTerm
	frame     string
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
	o := clip(w.order)
	for _, t := range terms {
		o = append(o, t.orderTerm())
	}
	w.order = o
	return w
}

// FrameBound is one end of a window frame.
type FrameBound struct{ s string }

// Frame bounds.
var (
	UnboundedPreceding = FrameBound{"UNBOUNDED PRECEDING"}
	CurrentRow         = FrameBound{"CURRENT ROW"}
	UnboundedFollowing = FrameBound{"UNBOUNDED FOLLOWING"}
)

// Preceding is "n PRECEDING".
func Preceding(n int) FrameBound { return FrameBound{strconv.Itoa(n) + " PRECEDING"} }

// Following is "n FOLLOWING".
func Following(n int) FrameBound { return FrameBound{strconv.Itoa(n) + " FOLLOWING"} }

// Rows sets the frame to ROWS BETWEEN start AND end.
func (w WindowSpec) Rows(start, end FrameBound) WindowSpec {
	w.frame = "ROWS BETWEEN " + start.s + " AND " + end.s
	return w
}

// Range sets the frame to RANGE BETWEEN start AND end.
func (w WindowSpec) Range(start, end FrameBound) WindowSpec {
	w.frame = "RANGE BETWEEN " + start.s + " AND " + end.s
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
// (NULL before the first). Use it with Over.
func Lag[T any](e TypedExpr[T], offset int) Agg[T] {
	return agg[T](&funcExpr{name: "LAG", args: []Expression{e, keyword(strconv.Itoa(offset))}})
}

// Lead is LEAD(e, offset): e's value offset rows after the current one.
func Lead[T any](e TypedExpr[T], offset int) Agg[T] {
	return agg[T](&funcExpr{name: "LEAD", args: []Expression{e, keyword(strconv.Itoa(offset))}})
}
