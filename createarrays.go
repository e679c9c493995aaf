package wren

import (
	"context"
	"fmt"
	"reflect"
	"slices"
	"time"
	"unsafe"

	"github.com/wrensql/wren/dialect"
)

// arrayInsertMin is the number of rows from which Create sends rows as one
// array per column, where the dialect binds arrays (PostgreSQL):
//
//	INSERT INTO t (a, b) SELECT * FROM unnest(CAST($1 AS BIGINT[]), CAST($2 AS TEXT[])) RETURNING id
//
// The statement's text does not depend on the number of rows, so it is
// prepared once for every batch size, it binds as many parameters as there
// are columns (no split at 65,535 parameters), and the server parses one
// row of expressions instead of n.
const arrayInsertMin = 2

// arrayFill builds one column's array argument from the field at offset
// off of each row.
type arrayFill func(rows []unsafe.Pointer, off uintptr) any

func fillArray[E any](rows []unsafe.Pointer, off uintptr) any {
	out := make([]E, len(rows))
	for i, p := range rows {
		out[i] = *(*E)(unsafe.Add(p, off))
	}
	return out
}

// bulkField is how Create sends a field of one type in bulk on
// PostgreSQL: as the elements of an array (fill), or in a COPY as text
// (copy) or, into a column of one of the types oids, in the binary format
// (bin).
type bulkField struct {
	fill arrayFill
	copy copyEncoder
	bin  copyEncoder
	oids []uint32
}

func bulkValue[E any](text, bin copyEncoder, oids ...uint32) bulkField {
	return bulkField{fillArray[E], text, bin, oids}
}

// bulkPointer is bulkValue for *E: a nil pointer goes as NULL.
func bulkPointer[E any](text, bin copyEncoder, oids ...uint32) bulkField {
	return bulkField{fillArray[*E], copyPtr[E](text, dialect.AppendCopyNull), copyPtr[E](bin, dialect.AppendCopyBinaryNull), oids}
}

var (
	int8s   = []uint32{dialect.OIDInt8}
	int4s   = []uint32{dialect.OIDInt4}
	int2s   = []uint32{dialect.OIDInt2}
	float8s = []uint32{dialect.OIDFloat8}
	float4s = []uint32{dialect.OIDFloat4}
	bools   = []uint32{dialect.OIDBool}
	strs    = []uint32{dialect.OIDText, dialect.OIDVarchar, dialect.OIDBpchar}
	times   = []uint32{dialect.OIDTimestamptz}
	byteas  = []uint32{dialect.OIDBytea}
)

// bulkFields are the field types sent in bulk: those whose values pgx
// encodes as elements of the column's default type exactly as it encodes
// them one by one, and whose COPY text reads back as the value pgx would
// bind. Other types (named types, Valuers, unsigned integers, sql.Null)
// keep the multi-row VALUES form. Their binary COPY forms go only into
// columns of exactly their type (a bigint into bigint, not integer).
var bulkFields = map[reflect.Type]bulkField{
	reflect.TypeFor[int64]():      bulkValue[int64](copyInt[int64], binInt8[int64], int8s...),
	reflect.TypeFor[int32]():      bulkValue[int32](copyInt[int32], binInt4, int4s...),
	reflect.TypeFor[int16]():      bulkValue[int16](copyInt[int16], binInt2, int2s...),
	reflect.TypeFor[int]():        bulkValue[int](copyInt[int], binInt8[int], int8s...),
	reflect.TypeFor[float64]():    bulkValue[float64](copyFloat[float64], binFloat8, float8s...),
	reflect.TypeFor[float32]():    bulkValue[float32](copyFloat[float32], binFloat4, float4s...),
	reflect.TypeFor[bool]():       bulkValue[bool](copyBool, binBool, bools...),
	reflect.TypeFor[string]():     bulkValue[string](copyString, binString, strs...),
	reflect.TypeFor[time.Time]():  bulkValue[time.Time](copyTime, binTime, times...),
	reflect.TypeFor[[]byte]():     bulkValue[[]byte](copyBytes, binBytes, byteas...),
	reflect.TypeFor[*int64]():     bulkPointer[int64](copyInt[int64], binInt8[int64], int8s...),
	reflect.TypeFor[*int32]():     bulkPointer[int32](copyInt[int32], binInt4, int4s...),
	reflect.TypeFor[*int16]():     bulkPointer[int16](copyInt[int16], binInt2, int2s...),
	reflect.TypeFor[*int]():       bulkPointer[int](copyInt[int], binInt8[int], int8s...),
	reflect.TypeFor[*float64]():   bulkPointer[float64](copyFloat[float64], binFloat8, float8s...),
	reflect.TypeFor[*float32]():   bulkPointer[float32](copyFloat[float32], binFloat4, float4s...),
	reflect.TypeFor[*bool]():      bulkPointer[bool](copyBool, binBool, bools...),
	reflect.TypeFor[*string]():    bulkPointer[string](copyString, binString, strs...),
	reflect.TypeFor[*time.Time](): bulkPointer[time.Time](copyTime, binTime, times...),
}

// bulkFieldsFor returns how to send each column in bulk for rows mapped by
// m, or nil when d does not bind arrays, the table has generated
// columns other than its auto-increment key (a table without one qualifies
// when no column is generated), or a column cannot go as one:
// a field of another type, or a column with its own SQL type (type=…) or a
// DATE column, whose values are converted one by one.
func bulkFieldsFor(d *dialect.Dialect, m *rowMap) []bulkField {
	if c := m.bulk.Load(); c != nil && c.d == d {
		return c.fields
	}
	fields := findBulkFields(d, m)
	m.bulk.Store(&bulkFieldsOf{d: d, fields: fields})
	return fields
}

// bulkFieldsOf is what bulkFieldsFor found for a dialect, kept in the
// rowMap; the fields are never modified.
type bulkFieldsOf struct {
	d      *dialect.Dialect
	fields []bulkField
}

func findBulkFields(d *dialect.Dialect, m *rowMap) []bulkField {
	switch {
	case !d.ArrayParams() || !d.Arrays():
		return nil
	case m.auto < 0 && len(m.gen) == 0:
		// No column is generated: every row writes every column.
	case m.auto < 0 || len(m.gen) != 1 || m.gen[0] != m.auto || len(m.pk) > 1:
		// Only the auto-increment key may be generated: omitzero and
		// autoupdate columns need per-row column lists (see createBatch).
		return nil
	}
	fields := make([]bulkField, len(m.cols))
	for i, c := range m.cols {
		f, ok := bulkFields[m.typs[i]]
		if !ok || c.opts.sqlType != "" || isDateColumn(c) {
			return nil
		}
		fields[i] = f
	}
	return fields
}

// createFromArrays inserts rows with one array per column and reads their
// generated keys back, or inserts them as they are when they set their keys.
func createFromArrays[T any](ctx context.Context, db Querier, ti *tableInfo, m *rowMap, fields []bulkField, rows []*T) error {
	ptrs := make([]unsafe.Pointer, len(rows))
	for i, r := range rows {
		ptrs[i] = unsafe.Pointer(r)
	}
	// withKeys: the rows give every column, the key included (or there is
	// no key to generate).
	withKeys := m.auto < 0 || !isZeroAt(m.typs[m.auto], unsafe.Add(ptrs[0], m.offs[m.auto]))
	if err := checkKeys(db.Dialect(), ti, m, ptrs); err != nil {
		return err
	}
	if len(rows) >= copyInsertMin && canCopy(db.conn()) && copyable(m, ptrs) {
		if done, err := createByCopy(ctx, db, ti, m, fields, ptrs, withKeys); done {
			return err
		}
	}
	s := arrayInsert{ti: ti, m: m, fields: fields, rows: ptrs, withKeys: withKeys}
	if withKeys {
		_, err := Exec(ctx, db, s)
		return err
	}
	ids, err := All[int64](ctx, db, s)
	if err != nil {
		return err
	}
	if len(ids) != len(rows) {
		return fmt.Errorf("wren: Create into %s: %d rows inserted but %d keys returned", ti.ref(), len(rows), len(ids))
	}
	// As for VALUES: keys are generated in the order of unnest's rows, and
	// RETURNING promises no order.
	slices.Sort(ids)
	for i, p := range ptrs {
		setKeyAt(m, p, ids[i])
	}
	return nil
}

// arrayInsert is the statement createFromArrays runs.
type arrayInsert struct {
	ti       *tableInfo
	m        *rowMap
	fields   []bulkField
	rows     []unsafe.Pointer
	withKeys bool
}

func (s arrayInsert) appendStatement(r *renderer) {
	r.buf = append(r.buf, "INSERT INTO "...)
	r.ident(roleTable, s.ti.name)
	r.buf = append(r.buf, " ("...)
	n := 0
	for i, c := range s.m.cols {
		if i == s.m.auto && !s.withKeys {
			continue
		}
		if n > 0 {
			r.buf = append(r.buf, ", "...)
		}
		c.appendName(r)
		n++
	}
	r.buf = append(r.buf, ") SELECT * FROM unnest("...)
	n = 0
	for i := range s.m.cols {
		if i == s.m.auto && !s.withKeys {
			continue
		}
		if n > 0 {
			r.buf = append(r.buf, ", "...)
		}
		dt, _, err := goColumnType(s.m.typs[i])
		if err != nil {
			r.fail("wren: INSERT INTO %s: column %s: %v", s.ti.ref(), s.m.cols[i].name, err)
			return
		}
		r.buf = append(r.buf, "CAST("...)
		r.arg(s.fields[i].fill(s.rows, s.m.offs[i]))
		r.buf = append(r.buf, " AS "...)
		r.buf = append(r.buf, r.d.ArrayType(r.d.ColumnType(dt, 0, false))...)
		r.buf = append(r.buf, ')')
		n++
	}
	r.buf = append(r.buf, ')')
	if !s.withKeys {
		r.buf = append(r.buf, " RETURNING "...)
		s.m.cols[s.m.auto].appendName(r)
	}
}

// SQL renders the statement for d.
func (s arrayInsert) SQL(d *dialect.Dialect) (string, []any, error) { return renderSQL(d, s) }

// sameKeyState reports whether every row sets its auto-increment key, or
// every row leaves it zero: rows that differ are grouped by Create into
// several INSERTs instead.
func sameKeyState[T any](m *rowMap, rows []*T) bool {
	if m.auto < 0 {
		return true
	}
	t, off := m.typs[m.auto], m.offs[m.auto]
	first := isZeroAt(t, unsafe.Add(unsafe.Pointer(rows[0]), off))
	for _, r := range rows[1:] {
		if isZeroAt(t, unsafe.Add(unsafe.Pointer(r), off)) != first {
			return false
		}
	}
	return true
}

// checkKeys refuses rows that leave a primary key column zero where the
// database generates no value for it, as an INSERT of the rows does.
func checkKeys(d *dialect.Dialect, ti *tableInfo, m *rowMap, rows []unsafe.Pointer) error {
	r := getRenderer(d)
	for i, p := range rows {
		if !m.checkKey(r, ti, p, i) {
			break
		}
	}
	err := r.err
	r.release()
	return err
}
