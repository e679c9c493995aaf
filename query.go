package wren

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"reflect"
	"strconv"
	"strings"
	"unsafe"

	"github.com/jackc/pgx/v5"

	"github.com/wrensql/wren/dialect"
	"github.com/wrensql/wren/scan"
)

// resultColumner is implemented by statements that know what they select:
// SELECT, compound selects, and writes with RETURNING.
type resultColumner interface {
	ResultColumns() []scan.Column
}

// Exec runs a statement that returns no rows (INSERT, UPDATE, DELETE, DDL)
// and reports the rows it affected.
func Exec(ctx context.Context, db Querier, s Statement) (Result, error) {
	if err := checkRun(db, s); err != nil {
		return Result{}, err
	}
	var text string
	var args []any
	d := db.Dialect()
	uq, isUpdate := s.(UpdateQuery)
	var ti *tableInfo
	var kept *keptUpdate
	if isUpdate && d != nil {
		if ti = plainUpdate(&uq); ti != nil {
			kept = ti.keptUpdateFor(&uq, d)
		}
	}
	if b, ok := s.(boundStmt); ok {
		text, args = b.text, b.args // rendered once, its values bound
	} else if kept != nil {
		// A plain UPDATE of a shape rendered before (see keptUpdate); its
		// values go into a pooled renderer's argument slice.
		r := getRenderer(d)
		defer r.release()
		var err error
		if r.args, err = kept.bind(r.args, &uq); err != nil {
			return Result{}, err
		}
		text, args = kept.text, r.args
	} else {
		r, err := render(d, s)
		if err != nil {
			return Result{}, err
		}
		defer r.release()
		text, args = texts.intern(r.buf), r.args
		if ti != nil {
			keepUpdate(ti, &uq, r, text)
		}
	}
	res, err := db.conn().exec(ctx, text, args)
	if err != nil {
		return Result{}, stmtError(ctx, "exec", db, text, err)
	}
	return res, nil
}

// All runs q and returns every row as a T: a struct whose fields are
// matched to the selected columns by name (see package scan), or, when one
// column is selected, any scalar type. With a LIMIT, the slice is made
// once with room for that many rows (for at most 4 MiB of them; more rows
// grow it as append does).
func All[T any](ctx context.Context, db Querier, q Statement) ([]T, error) {
	rs, plan, err := start[T](ctx, db, q, false)
	if err != nil {
		return nil, err
	}
	return readAll[T](ctx, q, rs, plan)
}

// readAll reads every row of rs, the result of q, with plan, and closes rs.
func readAll[T any](ctx context.Context, q Statement, rs rows, plan *scan.Plan) ([]T, error) {
	defer rs.Close()
	row := plan.NewRow()
	defer row.Release()
	limit := rowsLimit(q)
	out := presize[T](limit)
	row.ShareText(limit)
	useWire(rs, row)
	var zero T
	for rs.Next() {
		// The element is zero: made so, never written before.
		if len(out) == cap(out) {
			out = append(out, zero)[:len(out)]
		}
		out = out[:len(out)+1]
		p := unsafe.Pointer(&out[len(out)-1])
		if err := scanRow(rs, plan, row, p); err != nil {
			return nil, withCause(ctx, err)
		}
	}
	if err := rs.Err(); err != nil {
		return nil, withCause(ctx, fmt.Errorf("wren: %w", err))
	}
	return out, nil
}

// maxPresizeBytes bounds the result slice All makes before the first row:
// room for the LIMIT's rows, up to this many bytes. A LIMIT that is only a
// safety bound then costs at most this much for a short result, and a
// longer result grows from there by append.
const maxPresizeBytes = 4 << 20

// rowsLimit is the most rows q returns (its LIMIT), 0 if unknown.
func rowsLimit(q Statement) int {
	if h, ok := q.(interface{ rowsHint() int }); ok {
		return max(h.rowsHint(), 0)
	}
	return 0
}

// presize returns the empty result slice for q, whose LIMIT is n rows: with
// room for them, within maxPresizeBytes; nil when q has no LIMIT.
func presize[T any](n int) []T {
	if size := unsafe.Sizeof(*new(T)); size > 0 {
		n = min(n, int(maxPresizeBytes/size))
	}
	if n <= 0 {
		return nil
	}
	return make([]T, 0, n)
}

// One runs q and returns its first row. With no row, the error wraps
// ErrNoRows (errors.Is(err, wren.ErrNoRows)).
//
// A SELECT (or typed select) that reads a table and has no LIMIT runs with
// LIMIT 1, as Peewee's get() does: the server stops after one row, and
// nothing is left to drain. The 1 is part of the text, not a bound
// parameter: the text is the same for every run, and there is one value
// less to bind. A query that has a LIMIT runs as it is, as
// do compound queries, statements with RETURNING, and a SELECT with a row
// lock (ForUpdate, ForShare), which locks every row it matches. So does a
// query that returns one row at most: one that selects only aggregates
// without GROUP BY, or a lookup of one table, without joins, whose ANDed
// conditions set its whole primary key, or a unique column, to a value or
// a Param.
//
// One reads the result to its end, and returns the error that ended it
// rather than the first row: a locking read chosen as a deadlock's victim
// (or, on Galera, aborted by another node's write) sends the rows it had
// read, then the error.
func One[T any](ctx context.Context, db Querier, q Statement) (T, error) {
	var v T
	rs, plan, err := start[T](ctx, db, q, true)
	if err != nil {
		return v, err
	}
	defer rs.Close()
	if !rs.Next() {
		if err := rs.Err(); err != nil {
			return v, withCause(ctx, fmt.Errorf("wren: %w", err))
		}
		return v, ErrNoRows
	}
	row := plan.NewRow()
	defer row.Release()
	useWire(rs, row)
	if err := scanRow(rs, plan, row, unsafe.Pointer(&v)); err != nil {
		return v, withCause(ctx, err)
	}
	// The statement may still fail after its first row: a locking read
	// that becomes a deadlock's victim, or on Galera is aborted by another
	// node's write, sends the rows it read and then the error. Closing the
	// rows reads to the end of the result.
	if err := rs.Close(); err != nil {
		var zero T
		return zero, withCause(ctx, fmt.Errorf("wren: %w", err))
	}
	return v, nil
}

// Iter runs q and yields its rows one at a time without loading them all;
// breaking out of the loop closes the rows. An error is yielded once, last.
//
//	for u, err := range wren.Iter[User](ctx, db, q) {
//		if err != nil { return err }
//		…
//	}
func Iter[T any](ctx context.Context, db Querier, q Statement) iter.Seq2[T, error] {
	return func(yield func(T, error) bool) {
		var v T
		rs, plan, err := start[T](ctx, db, q, false)
		if err != nil {
			yield(v, err)
			return
		}
		defer rs.Close()
		row := plan.NewRow()
		defer row.Release()
		useWire(rs, row)
		for rs.Next() {
			v = *new(T)
			if err := scanRow(rs, plan, row, unsafe.Pointer(&v)); err != nil {
				yield(v, withCause(ctx, err))
				return
			}
			if !yield(v, nil) {
				return
			}
		}
		if err := rs.Err(); err != nil {
			yield(*new(T), withCause(ctx, fmt.Errorf("wren: %w", err)))
		}
	}
}

// Exists reports whether q returns any row: SELECT EXISTS (q).
func Exists(ctx context.Context, db Querier, q SelectQuery) (bool, error) {
	return One[bool](ctx, db, Select(ExistsOf(q)))
}

// Count returns how many rows q returns, its LIMIT and OFFSET included:
// SELECT COUNT(*) FROM (q) AS "_wren_count".
func Count(ctx context.Context, db Querier, q SelectQuery) (int64, error) {
	return One[int64](ctx, db, countStmt{q})
}

type countStmt struct{ q SelectQuery }

// SQL renders the count for d.
func (c countStmt) SQL(d *dialect.Dialect) (string, []any, error) { return renderSQL(d, c) }

func (c countStmt) appendStatement(r *renderer) {
	r.buf = append(r.buf, "SELECT COUNT(*) FROM "...)
	c.q.appendSQL(r)
	r.buf = append(r.buf, " AS "...)
	r.ident(roleDerived, "_wren_count")
}

// ResultColumns is the one count column.
func (c countStmt) ResultColumns() []scan.Column {
	return []scan.Column{{Name: "count", Type: reflect.TypeFor[int64]()}}
}

// ExistsOf is the predicate EXISTS (q).
func ExistsOf(q SelectQuery) Predicate {
	return Predicate{op: pExpr, l: existsExpr{q: q}}
}

// NotExistsOf is the predicate NOT EXISTS (q).
func NotExistsOf(q SelectQuery) Predicate {
	return Predicate{op: pExpr, l: existsExpr{q: q, not: true}}
}

type existsExpr struct {
	q   SelectQuery
	not bool
}

func (e existsExpr) appendSQL(r *renderer) {
	if e.not {
		r.buf = append(r.buf, "NOT "...)
	}
	r.buf = append(r.buf, "EXISTS "...)
	e.q.appendSQL(r)
}

// oneRow is implemented by the queries One runs with LIMIT 1.
type oneRow interface{ limitsToOne() bool }

// limitsToOne reports whether One adds LIMIT 1 to s.
func limitsToOne(s Statement) bool {
	o, ok := s.(oneRow)
	return ok && o.limitsToOne()
}

func (q SelectQuery) limitsToOne() bool {
	return !q.hasLimit && q.fromCount() > 0 && q.x().lock.mode == "" && !q.pinsOneRow() && !q.aggregatesOnly()
}

// aggregatesOnly reports whether q selects only aggregates (not window
// functions) and has no GROUP BY: it returns one row, or none after HAVING.
func (q SelectQuery) aggregatesOnly() bool {
	if len(q.items) == 0 || (q.more != nil && len(q.more.groupBy) > 0) {
		return false
	}
	for _, it := range q.items {
		a, ok := it.(interface{ plainAggregate() bool })
		if !ok || !a.plainAggregate() {
			return false
		}
	}
	return true
}

// pinsOneRow reports whether q's WHERE alone lets at most one row through:
// q reads one table, without joins or WITH, and its conditions joined by
// AND set every column of the table's primary key, or a unique column, to
// a bound value or parameter. One then adds no LIMIT 1: the text stays the
// one a hand-written lookup by key would send, which SQLite, parsing every
// statement it runs, reads faster.
func (q SelectQuery) pinsOneRow() bool {
	if q.fromCount() != 1 || len(q.joins) > 0 || len(q.where) == 0 || (q.more != nil && len(q.more.with) > 0) {
		return false
	}
	t := infoOf(q.from1)
	if t == nil || t.src != nil || t.err != nil {
		return false
	}
	k := t.rowKeys()
	for _, c := range k.unique {
		if pins(q.where, c) {
			return true
		}
	}
	for _, c := range k.pk {
		if !pins(q.where, c) {
			return false
		}
	}
	return len(k.pk) > 0
}

// pins reports whether the conditions ps, joined by AND, set c to a value
// or a parameter.
func pins(ps []Predicate, c *colInfo) bool {
	for i := range ps {
		p := &ps[i]
		switch {
		case p.op == pAnd:
			if pins(p.kids, c) {
				return true
			}
		case p.cmp != opEq:
		case p.op == pCmp && !isNullValue(p.v), p.op == pCmpExpr && isParam(p.v):
			if columnIn(p.l) == c {
				return true
			}
		}
	}
	return false
}

func (s TypedSelect[R]) limitsToOne() bool { return s.q.limitsToOne() }

func (s Subquery[T]) limitsToOne() bool { return s.c == nil && s.err == nil && s.q.limitsToOne() }

// start renders q, runs it and finds the scan plan for T; one asks for
// LIMIT 1 where q allows it (see One).
func start[T any](ctx context.Context, db Querier, q Statement, one bool) (rows, *scan.Plan, error) {
	return startType(ctx, db, q, reflect.TypeFor[T](), one)
}

// startType is start for a type known at run time.
func startType(ctx context.Context, db Querier, q Statement, t reflect.Type, one bool) (rows, *scan.Plan, error) {
	if err := checkRun(db, q); err != nil {
		return nil, nil, err
	}
	d := db.Dialect()
	var text string
	var rs rows
	var err error
	b, bound := q.(boundStmt)
	var sq SelectQuery
	ti, kept := lookupKept(q, d, one, &sq)
	switch {
	case bound:
		// A Prepared query: rendered once, its values bound.
		text = b.text
		rs, err = db.conn().query(ctx, text, b.args)
	case kept != nil:
		// A plain query of a shape rendered before (see keptSelect); its
		// values go into a pooled renderer's argument slice.
		r := getRenderer(d)
		if r.args, err = kept.bind(r.args, &sq); err != nil {
			r.release()
			return nil, nil, err
		}
		text = kept.text
		rs, err = db.conn().query(ctx, text, r.args)
		r.release()
	default:
		var r *renderer
		if r, err = renderLimit(d, q, one && limitsToOne(q)); err != nil {
			return nil, nil, err
		}
		text = texts.intern(r.buf)
		if ti != nil {
			keepSelect(ti, &sq, r, one, text)
		}
		rs, err = db.conn().query(ctx, text, r.args)
		r.release()
	}
	if err != nil {
		return nil, nil, stmtError(ctx, "query", db, text, err)
	}
	if bound && b.plan != nil {
		return startPrepared(rs, b, t, d)
	}
	plan, err := planForKept(kept, t, d, text, q, rs)
	if err != nil {
		rs.Close()
		return nil, nil, err
	}
	return rs, plan, nil
}

// startPrepared finds the plan of a Prepared query's rows in its form,
// where the result has the columns it was built from, and keeps it there
// otherwise.
func startPrepared(rs rows, b boundStmt, t reflect.Type, d *dialect.Dialect) (rows, *scan.Plan, error) {
	if v := b.plan.Load(); v != nil && v.fits(rs) {
		return rs, v.plan, nil
	}
	v, err := variantFor(t, d, b.text, b, rs)
	if err != nil {
		rs.Close()
		return nil, nil, err
	}
	if len(v.names) > 0 {
		b.plan.Store(&v)
	}
	return rs, v.plan, nil
}

// scanRow scans the current row into the T at p.
func scanRow(rs rows, plan *scan.Plan, row *scan.Row, p unsafe.Pointer) error {
	if row.Wired() && row.DecodeWire(p) {
		return nil
	}
	if err := rs.Scan(row.Dest(p)...); err != nil {
		return scanError(plan, err)
	}
	if err := row.Finish(p); err != nil {
		return fmt.Errorf("wren: %w", err)
	}
	return nil
}

// useWire has row decode the values of rs itself, when rs comes from a
// pgx connection with pgx's default type map (see scan.Row.UseWire).
func useWire(rs rows, row *scan.Row) {
	if r, ok := driverRows(rs).(pgxRows); ok && r.wire {
		row.UseWire(r.Rows)
	}
}

// ScanError reports a column that cannot be stored in its field: the
// column, the field, the field's type, and the reason — the driver's, when
// a value failed to scan, or a [*scan.FieldError] when the plan refused the
// field before any row was read (a type the field cannot hold without
// conversion, or NULL it cannot hold).
type ScanError struct {
	Column    string
	Field     string
	FieldType reflect.Type
	Err       error
}

// Error describes the column, the field and the reason.
func (e *ScanError) Error() string {
	if fe, ok := e.Err.(*scan.FieldError); ok {
		return "wren: " + fe.Error()
	}
	return fmt.Sprintf("wren: column %s into field %s (%s): %v", e.Column, e.Field, e.FieldType, e.Err)
}

// Unwrap returns the driver's error.
func (e *ScanError) Unwrap() error { return e.Err }

// scanError names the column and field of a driver's scan error.
func scanError(plan *scan.Plan, err error) error {
	idx := -1
	var pe pgx.ScanArgError
	var ppe *pgx.ScanArgError
	switch {
	case errors.As(err, &ppe):
		idx = ppe.ColumnIndex
	case errors.As(err, &pe):
		idx = pe.ColumnIndex
	default:
		// database/sql: "sql: Scan error on column index N, name …: reason"
		const marker = "column index "
		if i := strings.Index(err.Error(), marker); i >= 0 {
			s := err.Error()[i+len(marker):]
			if j := strings.IndexByte(s, ','); j > 0 {
				idx, _ = strconv.Atoi(s[:j])
			}
		}
	}
	if idx < 0 || idx >= plan.Columns() {
		return fmt.Errorf("wren: scan: %w", err)
	}
	col, path, typ := plan.Column(idx)
	return &ScanError{Column: col.String(), Field: path, FieldType: typ, Err: err}
}

// RawStmt is a whole statement written by hand, with ? placeholders for its
// arguments (see [Raw]); it runs with Exec, All, One and Iter like any other.
// Its rows are matched to struct fields by the names the database reports.
func RawStmt(sql string, args ...any) Statement { return rawStmt{rawExpr{sql: sql, args: args}} }

type rawStmt struct{ x rawExpr }

// SQL renders the statement for d.
func (s rawStmt) SQL(d *dialect.Dialect) (string, []any, error) { return renderSQL(d, s) }

func (s rawStmt) appendStatement(r *renderer) { s.x.appendSQL(r) }
