package wren

import (
	"fmt"
	"reflect"
	"strconv"
	"strings"

	"github.com/wrensql/wren/dialect"
	"github.com/wrensql/wren/scan"
)

// Row values: several expressions compared at once, (a, b) > (x, y), and
// VALUES lists read as tables.

// RowValue2 is the row value (e1, e2) of two typed expressions, made by
// [Tuple2]. Its comparisons take values of the expressions' types, so a
// row of other types does not compile. The ordering comparisons are
// lexicographic, the way keyset pagination needs them:
//
//	// The page after (lastTime, lastID), newest first.
//	wren.Select(Tweets).From(Tweets).
//		Where(wren.Tuple2(Tweets.CreatedAt, Tweets.ID).Lt(lastTime, lastID)).
//		OrderBy(Tweets.CreatedAt.Desc(), Tweets.ID.Desc()).Limit(20)
//
// PostgreSQL and SQLite get (a, b) < ($1, $2); MySQL and MariaDB get the
// same condition spelled a < ? OR (a = ? AND b < ?), which their optimizers
// can read an index for (MariaDB's uses none for an ordering row
// comparison).
type RowValue2[T1, T2 any] struct{ r rowValue }

// RowValue3 is the row value of three typed expressions, made by [Tuple3].
type RowValue3[T1, T2, T3 any] struct{ r rowValue }

// RowValue4 is the row value of four typed expressions, made by [Tuple4].
type RowValue4[T1, T2, T3, T4 any] struct{ r rowValue }

// Tuple2 is the row value (e1, e2).
func Tuple2[T1, T2 any](e1 TypedExpr[T1], e2 TypedExpr[T2]) RowValue2[T1, T2] {
	return RowValue2[T1, T2]{rowValue{e1, e2}}
}

// Tuple3 is the row value (e1, e2, e3).
func Tuple3[T1, T2, T3 any](e1 TypedExpr[T1], e2 TypedExpr[T2], e3 TypedExpr[T3]) RowValue3[T1, T2, T3] {
	return RowValue3[T1, T2, T3]{rowValue{e1, e2, e3}}
}

// Tuple4 is the row value (e1, e2, e3, e4).
func Tuple4[T1, T2, T3, T4 any](e1 TypedExpr[T1], e2 TypedExpr[T2], e3 TypedExpr[T3], e4 TypedExpr[T4]) RowValue4[T1, T2, T3, T4] {
	return RowValue4[T1, T2, T3, T4]{rowValue{e1, e2, e3, e4}}
}

// Eq is "(e1, e2) = (v1, v2)". A nil value of a nullable expression
// matches NULL there: e2 IS NULL, as Eq(nil) does for one expression.
func (t RowValue2[T1, T2]) Eq(v1 T1, v2 T2) Predicate { return t.r.cmp(opEq, v1, v2) }

// Ne is "(e1, e2) <> (v1, v2)".
func (t RowValue2[T1, T2]) Ne(v1 T1, v2 T2) Predicate { return t.r.cmp(opNe, v1, v2) }

// Lt is "(e1, e2) < (v1, v2)": e1 < v1, or e1 = v1 and e2 < v2. A nil
// value is refused when the query renders.
func (t RowValue2[T1, T2]) Lt(v1 T1, v2 T2) Predicate { return t.r.cmp(opLt, v1, v2) }

// Lte is "(e1, e2) <= (v1, v2)".
func (t RowValue2[T1, T2]) Lte(v1 T1, v2 T2) Predicate { return t.r.cmp(opLte, v1, v2) }

// Gt is "(e1, e2) > (v1, v2)".
func (t RowValue2[T1, T2]) Gt(v1 T1, v2 T2) Predicate { return t.r.cmp(opGt, v1, v2) }

// Gte is "(e1, e2) >= (v1, v2)".
func (t RowValue2[T1, T2]) Gte(v1 T1, v2 T2) Predicate { return t.r.cmp(opGte, v1, v2) }

// In is "(e1, e2) IN ((v1, v2), …)"; an empty list is always false. A
// row holding a nil is refused when the query renders (IN never matches
// NULL).
func (t RowValue2[T1, T2]) In(rows ...Row2[T1, T2]) Predicate {
	return t.r.in(false, flatten(rows, func(r Row2[T1, T2], dst []any) []any { return append(dst, r.V1, r.V2) }))
}

// NotIn is "(e1, e2) NOT IN ((v1, v2), …)"; an empty list is always true.
func (t RowValue2[T1, T2]) NotIn(rows ...Row2[T1, T2]) Predicate {
	return t.r.in(true, flatten(rows, func(r Row2[T1, T2], dst []any) []any { return append(dst, r.V1, r.V2) }))
}

// InQuery is "(e1, e2) IN (SELECT …)", for a typed select of the same two
// types.
func (t RowValue2[T1, T2]) InQuery(q Selects[Row2[T1, T2]]) Predicate { return t.r.inQuery(false, q) }

// NotInQuery is "(e1, e2) NOT IN (SELECT …)".
func (t RowValue2[T1, T2]) NotInQuery(q Selects[Row2[T1, T2]]) Predicate {
	return t.r.inQuery(true, q)
}

// Eq is "(e1, e2, e3) = (v1, v2, v3)".
func (t RowValue3[T1, T2, T3]) Eq(v1 T1, v2 T2, v3 T3) Predicate { return t.r.cmp(opEq, v1, v2, v3) }

// Ne is "(e1, e2, e3) <> (v1, v2, v3)".
func (t RowValue3[T1, T2, T3]) Ne(v1 T1, v2 T2, v3 T3) Predicate { return t.r.cmp(opNe, v1, v2, v3) }

// Lt is "(e1, e2, e3) < (v1, v2, v3)", lexicographic.
func (t RowValue3[T1, T2, T3]) Lt(v1 T1, v2 T2, v3 T3) Predicate { return t.r.cmp(opLt, v1, v2, v3) }

// Lte is "(e1, e2, e3) <= (v1, v2, v3)".
func (t RowValue3[T1, T2, T3]) Lte(v1 T1, v2 T2, v3 T3) Predicate {
	return t.r.cmp(opLte, v1, v2, v3)
}

// Gt is "(e1, e2, e3) > (v1, v2, v3)".
func (t RowValue3[T1, T2, T3]) Gt(v1 T1, v2 T2, v3 T3) Predicate { return t.r.cmp(opGt, v1, v2, v3) }

// Gte is "(e1, e2, e3) >= (v1, v2, v3)".
func (t RowValue3[T1, T2, T3]) Gte(v1 T1, v2 T2, v3 T3) Predicate {
	return t.r.cmp(opGte, v1, v2, v3)
}

// In is "(e1, e2, e3) IN ((v1, v2, v3), …)".
func (t RowValue3[T1, T2, T3]) In(rows ...Row3[T1, T2, T3]) Predicate {
	return t.r.in(false, flatten(rows, func(r Row3[T1, T2, T3], dst []any) []any { return append(dst, r.V1, r.V2, r.V3) }))
}

// NotIn is "(e1, e2, e3) NOT IN ((v1, v2, v3), …)".
func (t RowValue3[T1, T2, T3]) NotIn(rows ...Row3[T1, T2, T3]) Predicate {
	return t.r.in(true, flatten(rows, func(r Row3[T1, T2, T3], dst []any) []any { return append(dst, r.V1, r.V2, r.V3) }))
}

// InQuery is "(e1, e2, e3) IN (SELECT …)".
func (t RowValue3[T1, T2, T3]) InQuery(q Selects[Row3[T1, T2, T3]]) Predicate {
	return t.r.inQuery(false, q)
}

// NotInQuery is "(e1, e2, e3) NOT IN (SELECT …)".
func (t RowValue3[T1, T2, T3]) NotInQuery(q Selects[Row3[T1, T2, T3]]) Predicate {
	return t.r.inQuery(true, q)
}

// Eq is "(e1, e2, e3, e4) = (v1, v2, v3, v4)".
func (t RowValue4[T1, T2, T3, T4]) Eq(v1 T1, v2 T2, v3 T3, v4 T4) Predicate {
	return t.r.cmp(opEq, v1, v2, v3, v4)
}

// Ne is "(e1, e2, e3, e4) <> (v1, v2, v3, v4)".
func (t RowValue4[T1, T2, T3, T4]) Ne(v1 T1, v2 T2, v3 T3, v4 T4) Predicate {
	return t.r.cmp(opNe, v1, v2, v3, v4)
}

// Lte is "(e1, e2, e3, e4) <= (v1, v2, v3, v4)".
func (t RowValue4[T1, T2, T3, T4]) Lte(v1 T1, v2 T2, v3 T3, v4 T4) Predicate {
	return t.r.cmp(opLte, v1, v2, v3, v4)
}

// Gte is "(e1, e2, e3, e4) >= (v1, v2, v3, v4)".
func (t RowValue4[T1, T2, T3, T4]) Gte(v1 T1, v2 T2, v3 T3, v4 T4) Predicate {
	return t.r.cmp(opGte, v1, v2, v3, v4)
}

// Lt is "(e1, e2, e3, e4) < (v1, v2, v3, v4)", lexicographic.
func (t RowValue4[T1, T2, T3, T4]) Lt(v1 T1, v2 T2, v3 T3, v4 T4) Predicate {
	return t.r.cmp(opLt, v1, v2, v3, v4)
}

// Gt is "(e1, e2, e3, e4) > (v1, v2, v3, v4)".
func (t RowValue4[T1, T2, T3, T4]) Gt(v1 T1, v2 T2, v3 T3, v4 T4) Predicate {
	return t.r.cmp(opGt, v1, v2, v3, v4)
}

// In is "(e1, e2, e3, e4) IN ((v1, v2, v3, v4), …)".
func (t RowValue4[T1, T2, T3, T4]) In(rows ...Row4[T1, T2, T3, T4]) Predicate {
	return t.r.in(false, flatten(rows, func(r Row4[T1, T2, T3, T4], dst []any) []any {
		return append(dst, r.V1, r.V2, r.V3, r.V4)
	}))
}

// NotIn is "(e1, e2, e3, e4) NOT IN ((v1, v2, v3, v4), …)".
func (t RowValue4[T1, T2, T3, T4]) NotIn(rows ...Row4[T1, T2, T3, T4]) Predicate {
	return t.r.in(true, flatten(rows, func(r Row4[T1, T2, T3, T4], dst []any) []any {
		return append(dst, r.V1, r.V2, r.V3, r.V4)
	}))
}

// InQuery is "(e1, e2, e3, e4) IN (SELECT …)".
func (t RowValue4[T1, T2, T3, T4]) InQuery(q Selects[Row4[T1, T2, T3, T4]]) Predicate {
	return t.r.inQuery(false, q)
}

// NotInQuery is "(e1, e2, e3, e4) NOT IN (SELECT …)".
func (t RowValue4[T1, T2, T3, T4]) NotInQuery(q Selects[Row4[T1, T2, T3, T4]]) Predicate {
	return t.r.inQuery(true, q)
}

func flatten[R any](rows []R, each func(R, []any) []any) []any {
	var out []any
	for _, r := range rows {
		out = each(r, out)
	}
	return out
}

// rowValue is the list of expressions of a row value.
type rowValue []Expression

func (rv rowValue) cmp(op cmpOp, vals ...any) Predicate {
	return Predicate{op: pMatch, l: &rowCmp{l: rv, op: op, vals: vals}}
}

func (rv rowValue) in(not bool, flat []any) Predicate {
	if len(flat) == 0 {
		if not {
			return Predicate{op: pConst, v: true, cmp: constEmptyNotIn}
		}
		return Predicate{op: pConst, v: false}
	}
	return Predicate{op: pMatch, l: &rowIn{l: rv, vals: flat, not: not}}
}

func (rv rowValue) inQuery(not bool, q Statement) Predicate {
	return Predicate{op: pMatch, l: &rowIn{l: rv, sub: q, not: not}}
}

// appendRow writes "(e1, e2, …)".
func (rv rowValue) appendRow(r *renderer) {
	r.buf = append(r.buf, '(')
	appendList(r, rv, appendExpr)
	r.buf = append(r.buf, ')')
}

// appendArgs writes "(?, ?, …)" for vals, each converted for its expression.
func (rv rowValue) appendArgs(r *renderer, vals []any) {
	r.buf = append(r.buf, '(')
	for i, v := range vals {
		if i > 0 {
			r.buf = append(r.buf, ", "...)
		}
		r.arg(forColumn(rv[i], v))
	}
	r.buf = append(r.buf, ')')
}

// rowCmp is "(e1, e2, …) op (v1, v2, …)".
type rowCmp struct {
	l    rowValue
	op   cmpOp
	vals []any
}

func (c *rowCmp) appendSQL(r *renderer) {
	nulls := false
	for i, v := range c.vals {
		if isNullValue(v) {
			if c.op != opEq && c.op != opNe {
				r.fail("wren: Tuple%d.%s: value %d (for %s) is nil, and no row compares in order with NULL: leave that expression out of the row value", len(c.l), cmpNames[c.op], i+1, describe(c.l[i]))
				return
			}
			nulls = true
		}
	}
	switch {
	case nulls:
		// Each part on its own, so that a nil is IS NULL.
		parts := make([]Predicate, len(c.l))
		for i, e := range c.l {
			parts[i] = Predicate{op: pCmp, cmp: c.op, l: e, v: c.vals[i]}
		}
		if c.op == opEq {
			Predicate{op: pAnd, kids: parts}.appendOperand(r, pNone)
		} else {
			Predicate{op: pOr, kids: parts}.appendOperand(r, pNone)
		}
	case c.op != opEq && c.op != opNe && !r.d.RowValueOrder():
		r.buf = append(r.buf, '(')
		c.expand(0).appendSQL(r)
		r.buf = append(r.buf, ')')
	default:
		c.l.appendRow(r)
		r.buf = append(r.buf, cmpText[c.op]...)
		c.l.appendArgs(r, c.vals)
	}
}

// expand is the lexicographic comparison from part i on:
// e_i < v_i OR (e_i = v_i AND <the rest>).
func (c *rowCmp) expand(i int) Predicate {
	part := func(op cmpOp) Predicate { return Predicate{op: pCmp, cmp: op, l: c.l[i], v: c.vals[i]} }
	if i == len(c.l)-1 {
		return part(c.op)
	}
	strict := c.op
	switch c.op {
	case opLte:
		strict = opLt
	case opGte:
		strict = opGt
	}
	return Or(part(strict), And(part(opEq), c.expand(i+1)))
}

// rowIn is "(e1, e2, …) IN ((…), …)" or "IN (SELECT …)".
type rowIn struct {
	l    rowValue
	vals []any // row after row
	sub  Statement
	not  bool
}

func (x *rowIn) appendSQL(r *renderer) {
	n := len(x.l)
	for i, v := range x.vals {
		if isNullValue(v) {
			r.fail("wren: Tuple%d.In: row %d has a nil for %s, and IN never matches NULL: compare that row with Eq", n, i/n+1, describe(x.l[i%n]))
			return
		}
	}
	x.l.appendRow(r)
	if x.not {
		r.buf = append(r.buf, " NOT IN ("...)
	} else {
		r.buf = append(r.buf, " IN ("...)
	}
	if x.sub != nil {
		if isNil(x.sub) {
			r.fail("wren: Tuple%d.InQuery of a nil query", n)
			return
		}
		x.sub.appendStatement(r)
	} else {
		for i := 0; i < len(x.vals); i += n {
			if i > 0 {
				r.buf = append(r.buf, ", "...)
			}
			x.l.appendArgs(r, x.vals[i:i+n])
		}
	}
	r.buf = append(r.buf, ')')
}

// ValuesList returns a descriptor for a list of rows written into the
// statement as a table, FROM (VALUES …) AS alias: a list of keys to join
// with, or of pairs to look up. T is a struct embedding Table whose Column
// fields name and type the list's columns; each row is a struct R, either
// one of the typed-select rows (Row2[int64, string], taken by position) or
// a struct whose fields are matched to the columns by name (a `db` tag or
// the field's snake_case name):
//
//	type PairTable struct {
//		wren.Table
//		ID   wren.Column[int64]
//		Name wren.Column[string]
//	}
//	v := wren.ValuesList[PairTable]("v", wren.Row2[int64, string]{1, "huey"}, wren.Row2[int64, string]{2, "mickey"})
//	wren.Select(v.Name, Tweets.Content).From(v).Join(Tweets, Tweets.UserID.EqExpr(v.ID))
//
// Each dialect gets its own spelling: PostgreSQL (VALUES ($1, $2), …) AS v
// (id, name), MySQL 8 (VALUES ROW(?, ?), …) AS v (id, name), MariaDB
// (SELECT ? AS id, ? AS name UNION ALL SELECT ?, ? …) AS v, SQLite
// (SELECT column1 AS id, column2 AS name FROM (VALUES (?, ?), …)) AS v.
// Every value is a bound parameter. A field whose type does not fit its
// column, a column without a field, a field without a column, or no rows at
// all fail every statement that uses the list with an error saying which.
// A T that is not a table descriptor panics, as in NewTable.
func ValuesList[T any, R any](alias string, rows ...R) *T {
	p := new(T)
	src := &valuesSrc{}
	ti := &tableInfo{name: alias, goName: reflect.TypeFor[T]().String(), src: src}
	if err := bindTable(reflect.ValueOf(p).Elem(), ti, nil); err != nil {
		panic(err.Error())
	}
	src.cells, ti.err = valuesCells(ti, rows)
	return p
}

// valuesCells maps each row to the columns of ti: the values, row after
// row.
func valuesCells[R any](ti *tableInfo, rows []R) ([]any, error) {
	rt := reflect.TypeFor[R]()
	what := "wren.ValuesList[" + ti.goName + "](" + strconv.Quote(ti.name) + ")"
	if rt.Kind() != reflect.Struct {
		return nil, fmt.Errorf("%s: a row is a %s; want a struct (a wren.RowN, or fields named like the columns)", what, rt)
	}
	if len(rows) == 0 {
		return nil, fmt.Errorf("%s has no rows: a VALUES list needs at least one (do not run the query for an empty list)", what)
	}
	idx := make([]int, len(ti.cols))
	if _, ok := any(rows[0]).(positional); ok {
		if rt.NumField() != len(ti.cols) {
			return nil, fmt.Errorf("%s: rows of %s have %d values for %d columns", what, rt, rt.NumField(), len(ti.cols))
		}
		for i := range idx {
			idx[i] = i
		}
	} else {
		used := map[int]bool{}
		for i, c := range ti.cols {
			idx[i] = -1
			for j := 0; j < rt.NumField(); j++ {
				if f := rt.Field(j); f.IsExported() && !f.Anonymous && fieldColumn(f) == c.name {
					idx[i] = j
					used[j] = true
					break
				}
			}
			if idx[i] < 0 {
				return nil, fmt.Errorf("%s: column %s has no field in %s (name one %s, or tag it `db:\"%s\"`)", what, c.name, rt, c.field, c.name)
			}
		}
		for j := 0; j < rt.NumField(); j++ {
			if f := rt.Field(j); f.IsExported() && !used[j] {
				return nil, fmt.Errorf("%s: field %s.%s matches no column of %s", what, rt, f.Name, ti.goName)
			}
		}
	}
	for i, c := range ti.cols {
		if f := rt.Field(idx[i]); !sameKindOfValue(c.typ, f.Type) {
			return nil, fmt.Errorf("%s: field %s.%s is a %s, but column %s is a Column[%s]", what, rt, f.Name, f.Type, c.name, c.typ)
		}
	}
	cells := make([]any, 0, len(rows)*len(idx))
	for _, row := range rows {
		rv := reflect.ValueOf(row)
		for _, j := range idx {
			cells = append(cells, rv.Field(j).Interface())
		}
	}
	return cells, nil
}

// fieldColumn is the column a struct field maps to: its db tag, or its
// snake_case name.
func fieldColumn(f reflect.StructField) string {
	if tag, _, _ := strings.Cut(f.Tag.Get("db"), ","); tag != "" {
		return tag
	}
	return scan.SnakeCase(f.Name)
}

// valuesSrc is the body of a VALUES list: its cells, row after row.
type valuesSrc struct{ cells []any }

func (s *valuesSrc) appendSQL(r *renderer) {
	r.fail("wren: a VALUES list is used only as a table in FROM or JOIN")
}

// appendFrom writes the list as a table of FROM, in the dialect's form.
func (s *valuesSrc) appendFrom(r *renderer, ti *tableInfo) {
	n := len(ti.cols)
	if n == 0 || len(s.cells)%n != 0 {
		r.fail("wren: VALUES list %s has no columns", ti.ref())
		return
	}
	style := r.d.ValuesTable()
	row := func(i int, prefix string, typed bool) {
		r.buf = append(r.buf, prefix...)
		r.buf = append(r.buf, '(')
		for j, c := range ti.cols {
			if j > 0 {
				r.buf = append(r.buf, ", "...)
			}
			v := forColumn(c, s.cells[i*n+j])
			if typed && r.d.CastParams() {
				appendTypedArg(r, v, c)
			} else {
				r.arg(v)
			}
		}
		r.buf = append(r.buf, ')')
	}
	rows := len(s.cells) / n
	r.buf = append(r.buf, '(')
	switch style {
	case dialect.ValuesColumnList, dialect.ValuesRowColumnList:
		prefix := ""
		if style == dialect.ValuesRowColumnList {
			prefix = "ROW"
		}
		r.buf = append(r.buf, "VALUES "...)
		for i := 0; i < rows; i++ {
			if i > 0 {
				r.buf = append(r.buf, ", "...)
			}
			row(i, prefix, i == 0)
		}
		r.buf = append(r.buf, ") AS "...)
		r.tableRef(ti)
		r.buf = append(r.buf, " ("...)
		appendList(r, ti.cols, func(r *renderer, c *colInfo) { c.appendName(r) })
		r.buf = append(r.buf, ')')
		return
	case dialect.ValuesUnion:
		r.buf = append(r.buf, "SELECT "...)
		for j, c := range ti.cols {
			if j > 0 {
				r.buf = append(r.buf, ", "...)
			}
			r.arg(forColumn(c, s.cells[j]))
			r.buf = append(r.buf, " AS "...)
			c.appendName(r)
		}
		// Not UNION ALL VALUES (…): MariaDB 10.11 then cuts the texts
		// of later rows to the length of the first row's.
		for i := 1; i < rows; i++ {
			r.buf = append(r.buf, " UNION ALL SELECT "...)
			for j, c := range ti.cols {
				if j > 0 {
					r.buf = append(r.buf, ", "...)
				}
				r.arg(forColumn(c, s.cells[i*n+j]))
			}
		}
	default: // dialect.ValuesColumnN
		r.buf = append(r.buf, "SELECT "...)
		for j, c := range ti.cols {
			if j > 0 {
				r.buf = append(r.buf, ", "...)
			}
			r.buf = append(r.buf, "column"...)
			r.buf = appendInt(r.buf, j+1)
			r.buf = append(r.buf, " AS "...)
			c.appendName(r)
		}
		r.buf = append(r.buf, " FROM (VALUES "...)
		for i := 0; i < rows; i++ {
			if i > 0 {
				r.buf = append(r.buf, ", "...)
			}
			row(i, "", false)
		}
		r.buf = append(r.buf, ')')
	}
	r.buf = append(r.buf, ") AS "...)
	r.tableRef(ti)
}

// appendTypedArg binds v as CAST(? AS type) with c's SQL type, so that the
// server knows the type of a VALUES column from its first row.
func appendTypedArg(r *renderer, v any, c *colInfo) {
	if c.opts.sqlType == "" {
		typedVal{v: v, t: c.typ}.appendSQL(r)
		return
	}
	r.buf = append(r.buf, "CAST("...)
	r.arg(v)
	r.buf = append(r.buf, " AS "...)
	r.buf = append(r.buf, c.opts.sqlType...)
	r.buf = append(r.buf, ')')
}
