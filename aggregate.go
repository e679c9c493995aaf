package wren

import (
	"github.com/wrensql/wren/dialect"
)

// Aggregate clauses (FILTER, ORDER BY inside the parentheses) and the
// aggregates whose name and form differ by dialect: StringAgg, GroupConcat,
// ArrayAgg.

// aggKind marks the aggregates whose function the dialect names.
type aggKind uint8

const (
	aggPlain  aggKind = iota
	aggString         // STRING_AGG / GROUP_CONCAT
	aggArray          // ARRAY_AGG
)

// Filter restricts the rows the aggregate reads to those where every
// condition holds: COUNT(*) FILTER (WHERE …) on PostgreSQL and SQLite. MySQL
// and MariaDB have no FILTER; there the condition moves into a CASE around
// the aggregate's argument (COUNT(CASE WHEN … THEN 1 END) for CountAll),
// which every aggregate that skips NULLs reads the same way. Filter on a
// window function (RowNumber, Rank, Lag, …) is an error when rendered.
//
//	wren.Select(wren.CountAll().As("n"), wren.CountAll().Filter(Users.Active.Eq(true)).As("active")).From(Users)
func (a Agg[T]) Filter(conds ...Predicate) Agg[T] {
	if a.f == nil {
		return a
	}
	f := *a.f
	f.filter = append(clip(f.filter), conds...)
	return agg[T](&f)
}

// OrderBy orders the rows the aggregate reads, inside its parentheses:
// STRING_AGG(name, ', ' ORDER BY name). It matters to the aggregates that
// keep an order ([StringAgg], [GroupConcat], [ArrayAgg]). PostgreSQL and
// SQLite take it in any aggregate; MySQL and MariaDB only in GROUP_CONCAT,
// so elsewhere rendering for them fails with ErrUnsupported. PostgreSQL
// takes none in an aggregate computed Over a window, and wren refuses that
// on every dialect.
func (a Agg[T]) OrderBy(terms ...Orderable) Agg[T] {
	if a.f == nil {
		return a
	}
	f := *a.f
	f.order = appendOrderTerms(clip(f.order), terms)
	return agg[T](&f)
}

// StringAgg joins the values of e, NULLs skipped, with sep between them:
// STRING_AGG(e, $1) on PostgreSQL, GROUP_CONCAT(e SEPARATOR 'sep') on MySQL
// and MariaDB (the separator written as a literal, hex-encoded unless it is
// plain printable ASCII), GROUP_CONCAT(e, ?) on SQLite. Use OrderBy to fix
// the order. Over no rows the result is NULL: wrap it in [Coalesce], or
// select it through [Nullable]. MySQL cuts the result at
// group_concat_max_len bytes (1024 by default; MariaDB's default is 1 MiB)
// with only a warning: raise it for long lists.
func StringAgg[S ~string](e TypedExpr[S], sep string) Agg[S] {
	return agg[S](&funcExpr{name: "STRING_AGG", args: []Expression{e}, kind: aggString, sep: sep})
}

// GroupConcat is [StringAgg] with a comma between the values, the default
// of MySQL's and SQLite's GROUP_CONCAT.
func GroupConcat[S ~string](e TypedExpr[S]) Agg[S] { return StringAgg(e, ",") }

// ArrayAgg collects the values of e into an array, scanned into a []T:
// ARRAY_AGG(e) on PostgreSQL. The other databases have no array type, and
// rendering for them fails with ErrUnsupported (use StringAgg, or one row
// per value). Over no rows the result is NULL, a nil slice.
func ArrayAgg[T any](e TypedExpr[T]) Agg[[]T] {
	return agg[[]T](&funcExpr{name: "ARRAY_AGG", args: []Expression{e}, kind: aggArray})
}

// aggName checks the aggregate's clauses against the dialect and returns
// the function's name there, or "" after failing the rendering.
func (f *funcExpr) aggName(r *renderer) string {
	name := f.name
	switch f.kind {
	case aggString:
		name = "GROUP_CONCAT"
		if r.d.StringAgg() == dialect.StringAggFunc {
			name = "STRING_AGG"
		}
	case aggArray:
		if !r.d.ArrayAgg() {
			r.unsupported("ArrayAgg (ARRAY_AGG)")
			return ""
		}
	}
	if len(f.filter) > 0 && (f.window || f.scalar) {
		r.fail("wren: Filter on %s, which is not an aggregate", name)
		return ""
	}
	if len(f.order) > 0 {
		switch {
		case f.over != nil:
			r.fail("wren: %s with OrderBy inside it and Over a window: order the window instead", name)
			return ""
		case f.window || f.scalar:
			r.fail("wren: OrderBy inside %s, which is not an aggregate", name)
			return ""
		case f.kind != aggString && !r.d.AggregateOrderAll():
			r.unsupported("ORDER BY inside " + name)
			return ""
		}
	}
	return name
}

// appendAggTail writes what follows an aggregate's arguments: the
// separator of a string aggregate and ORDER BY, in the dialect's order.
func (f *funcExpr) appendAggTail(r *renderer) {
	style := r.d.StringAgg()
	if f.kind == aggString && style != dialect.GroupConcatSeparator {
		r.buf = append(r.buf, ", "...)
		r.arg(f.sep)
	}
	if len(f.order) > 0 {
		r.buf = append(r.buf, " ORDER BY "...)
		appendList(r, f.order, func(r *renderer, o OrderTerm) { o.appendOrder(r) })
	}
	if f.kind == aggString && style == dialect.GroupConcatSeparator {
		r.buf = append(r.buf, " SEPARATOR "...)
		r.buf = appendStringLiteral(r.buf, f.sep)
	}
}

// appendFilterCase writes an argument (nil: CountAll's row) as CASE WHEN
// filter THEN arg END, FILTER's emulation. A string aggregate's separator
// is not an argument here, so every argument is a value the aggregate reads.
func (f *funcExpr) appendFilterCase(r *renderer, arg Expression) {
	r.buf = append(r.buf, "CASE WHEN "...)
	appendConds(r, f.filter)
	r.buf = append(r.buf, " THEN "...)
	if arg == nil {
		r.buf = append(r.buf, '1')
	} else {
		appendExpr(r, arg)
	}
	r.buf = append(r.buf, " END"...)
}

// appendStringLiteral writes s as a SQL string literal that means the same
// under every sql_mode: quoted when it is printable ASCII without quote or
// backslash, else as a hex literal X'…'.
func appendStringLiteral(b []byte, s string) []byte {
	plain := true
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c > 0x7e || c == '\'' || c == '\\' {
			plain = false
			break
		}
	}
	if plain {
		b = append(b, '\'')
		b = append(b, s...)
		return append(b, '\'')
	}
	const hex = "0123456789ABCDEF"
	b = append(b, "X'"...)
	for i := 0; i < len(s); i++ {
		b = append(b, hex[s[i]>>4], hex[s[i]&15])
	}
	return append(b, '\'')
}
