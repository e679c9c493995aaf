package wren

import (
	"context"
	"errors"
	"fmt"
	"io"
	"reflect"
	"slices"
	"strconv"
	"sync"
	"time"
	"unsafe"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/wrensql/wren/dialect"
)

// copyInsertMin is the number of rows from which Create streams rows with
// COPY … FROM STDIN where it can (native pgx on PostgreSQL) instead of
// binding one array per column. Measured on this machine (bench/
// BenchmarkBulkInsert with the ten-column model, 5 alternating rounds,
// median wall time, load average about 9): arrays 3.9 ms and COPY 7.2 ms
// for 100 rows, 6.1 and 7.6 ms for 300, 13.9 and 12.3 ms for 1,000. COPY
// takes two round trips (the keys, then the rows), which small batches
// feel; from 1,000 rows its streaming — no bound parameter held whole in
// memory, nothing boxed per value — wins, and it allocates a fraction.
const copyInsertMin = 1000

// copier is a conn that streams rows into a table with COPY … FROM STDIN.
// newReader gives the rows' text; it is called again if the statement is
// sent again (a Cluster's failover before anything was sent).
type copier interface {
	copyFrom(ctx context.Context, text string, newReader func() io.Reader) (int64, error)
}

// errNoCopy is copyFrom's answer where the connection cannot stream rows.
var errNoCopy = errors.New("wren: this connection cannot run COPY … FROM STDIN")

// canCopy reports whether c streams rows with COPY: native pgx, through
// any hook, transaction or cluster in between.
func canCopy(c conn) bool {
	switch c := c.(type) {
	case pgxConn:
		switch c.db.(type) {
		case *pgxpool.Pool, *pgx.Conn, pgx.Tx:
			return true
		}
	case hookConn:
		return canCopy(c.c)
	case txConn:
		return canCopy(c.tx.root.stmt)
	case clusterConn:
		return c.c.d.CopyRows() && canCopy(c.c.primaries[0].db.conn())
	}
	return false
}

func (c pgxConn) copyFrom(ctx context.Context, text string, newReader func() io.Reader) (int64, error) {
	var pc *pgx.Conn
	switch db := c.db.(type) {
	case *pgxpool.Pool:
		held, err := db.Acquire(ctx)
		if err != nil {
			return 0, err
		}
		defer held.Release()
		pc = held.Conn()
	case *pgx.Conn:
		pc = db
	case pgx.Tx:
		pc = db.Conn()
	default:
		return 0, errNoCopy
	}
	tag, err := pc.PgConn().CopyFrom(ctx, newReader(), text)
	return tag.RowsAffected(), err
}

func (c hookConn) copyFrom(ctx context.Context, text string, newReader func() io.Reader) (int64, error) {
	cp, ok := c.c.(copier)
	if !ok {
		return 0, errNoCopy
	}
	ctx, e := c.before(ctx, "exec", text, nil)
	n, err := cp.copyFrom(ctx, text, newReader)
	c.after(ctx, e, n, err)
	return n, err
}

func (c txConn) copyFrom(ctx context.Context, text string, newReader func() io.Reader) (int64, error) {
	if err := c.tx.usable(); err != nil {
		return 0, err
	}
	cp, ok := c.tx.root.stmt.(copier)
	if !ok {
		return 0, errNoCopy
	}
	n, err := cp.copyFrom(ctx, text, newReader)
	c.tx.root.note(err)
	return n, err
}

func (cc clusterConn) copyFrom(ctx context.Context, text string, newReader func() io.Reader) (int64, error) {
	var n int64
	err := cc.c.onPrimary(ctx, func(db *DB) (err error) {
		cp, ok := db.conn().(copier)
		if !ok {
			return errNoCopy
		}
		n, err = cp.copyFrom(ctx, text, newReader)
		return err
	})
	if err == nil && cc.s != nil {
		cc.s.wrote()
	}
	return n, err
}

// copyEncoder appends the COPY text of the field at p.
type copyEncoder func(dst []byte, p unsafe.Pointer) []byte

func copyInt[E int | int16 | int32 | int64](dst []byte, p unsafe.Pointer) []byte {
	return strconv.AppendInt(dst, int64(*(*E)(p)), 10)
}

func copyFloat[E float32 | float64](dst []byte, p unsafe.Pointer) []byte {
	return dialect.AppendCopyFloat(dst, float64(*(*E)(p)), int(unsafe.Sizeof(E(0)))*8)
}

func copyString(dst []byte, p unsafe.Pointer) []byte {
	return dialect.AppendCopyString(dst, *(*string)(p))
}

func copyBool(dst []byte, p unsafe.Pointer) []byte { return dialect.AppendCopyBool(dst, *(*bool)(p)) }

func copyTime(dst []byte, p unsafe.Pointer) []byte {
	return dialect.AppendCopyTime(dst, *(*time.Time)(p))
}

func copyBytes(dst []byte, p unsafe.Pointer) []byte {
	b := *(*[]byte)(p)
	if b == nil {
		return dialect.AppendCopyNull(dst) // as pgx binds a nil []byte
	}
	return dialect.AppendCopyBytes(dst, b)
}

// copyPtr writes a nil pointer with null and the value it points to
// otherwise.
func copyPtr[E any](enc copyEncoder, null func([]byte) []byte) copyEncoder {
	return func(dst []byte, p unsafe.Pointer) []byte {
		v := *(**E)(p)
		if v == nil {
			return null(dst)
		}
		return enc(dst, unsafe.Pointer(v))
	}
}

// The binary forms (see dialect/copybinary.go).

func binInt8[E int | int64](dst []byte, p unsafe.Pointer) []byte {
	return dialect.AppendCopyBinaryInt8(dst, int64(*(*E)(p)))
}

func binInt4(dst []byte, p unsafe.Pointer) []byte {
	return dialect.AppendCopyBinaryInt4(dst, *(*int32)(p))
}

func binInt2(dst []byte, p unsafe.Pointer) []byte {
	return dialect.AppendCopyBinaryInt2(dst, *(*int16)(p))
}

func binFloat8(dst []byte, p unsafe.Pointer) []byte {
	return dialect.AppendCopyBinaryFloat8(dst, *(*float64)(p))
}

func binFloat4(dst []byte, p unsafe.Pointer) []byte {
	return dialect.AppendCopyBinaryFloat4(dst, *(*float32)(p))
}

func binBool(dst []byte, p unsafe.Pointer) []byte {
	return dialect.AppendCopyBinaryBool(dst, *(*bool)(p))
}

func binString(dst []byte, p unsafe.Pointer) []byte {
	return dialect.AppendCopyBinaryString(dst, *(*string)(p))
}

func binTime(dst []byte, p unsafe.Pointer) []byte {
	return dialect.AppendCopyBinaryTimestamptz(dst, *(*time.Time)(p))
}

func binBytes(dst []byte, p unsafe.Pointer) []byte {
	b := *(*[]byte)(p)
	if b == nil {
		return dialect.AppendCopyBinaryNull(dst)
	}
	return dialect.AppendCopyBinaryBytes(dst, b)
}

// copyable reports whether every row's values can go as COPY text: times
// must fall in years 1 to 9999 (others keep the bound arrays, which pgx
// encodes in binary).
func copyable(m *rowMap, rows []unsafe.Pointer) bool {
	for i, t := range m.typs {
		ptr := t == reflect.TypeFor[*time.Time]()
		if !ptr && t != reflect.TypeFor[time.Time]() {
			continue
		}
		for _, r := range rows {
			p := unsafe.Add(r, m.offs[i])
			if ptr {
				if p = unsafe.Pointer(*(**time.Time)(p)); p == nil {
					continue
				}
			}
			if !dialect.CopyTimeOK(*(*time.Time)(p)) {
				return false
			}
		}
	}
	return true
}

// createByCopy inserts rows with COPY. Rows that leave their key zero get
// their keys from the key column's sequence, in the rows' order: assigned
// by the server as the COPY writes them where Create can tell which they
// were (copyServerKeys), drawn first and sent with the rows otherwise. It
// reports false, having done nothing, when the column has no sequence to
// draw from, and the caller binds arrays instead.
func createByCopy(ctx context.Context, db Querier, ti *tableInfo, m *rowMap, fields []bulkField, rows []unsafe.Pointer, withKeys bool) (bool, error) {
	d := db.Dialect()
	r := getRenderer(d)
	defer r.release()
	r.ident(roleTable, ti.name)
	table := string(r.buf)
	cols := make([]string, len(m.cols))  // quoted, for the COPY
	names := make([]string, len(m.cols)) // as they are, for the catalog
	for i, c := range m.cols {
		r.buf = r.buf[:0]
		c.appendName(r)
		cols[i], names[i] = string(r.buf), c.name
	}
	if err := r.check(); err != nil {
		return true, err
	}
	all := copyCols{names: cols, fields: fields, offs: m.offs}
	if withKeys {
		var oids []uint32
		if _, err := queryRow(ctx, db, d.CopyTypesSQL(), []any{table, names}, &oids); err != nil {
			return true, err
		}
		all.binary = takesBinary(fields, oids)
		return true, runCopy(ctx, db, ti, table, all, rows)
	}
	if len(rows) >= serverKeysMin {
		switch res, err := copyServerKeys(ctx, db, ti, m, table, names, all, rows); res {
		case keysWritten:
			return true, err
		case keysNoSequence:
			return err != nil, err
		}
	}
	ids, oids, err := reserveKeys(ctx, db, table, m.cols[m.auto].name, len(rows), names)
	if err != nil || ids == nil {
		return err != nil, err
	}
	for i, p := range rows {
		setKeyAt(m, p, ids[i])
	}
	all.binary = takesBinary(fields, oids)
	if err := runCopy(ctx, db, ti, table, all, rows); err != nil {
		resetKeys(m, rows) // nothing was written: no row has a key
		return true, err
	}
	return true, nil
}

// copyCols are the columns a COPY writes: their quoted names, how each is
// written, and where each is in a row.
type copyCols struct {
	names  []string
	fields []bulkField
	offs   []uintptr
	binary bool // in the binary format, which every column's type takes
}

// without returns cols without column i.
func (cols copyCols) without(i int) copyCols {
	return copyCols{
		names:  slices.Delete(slices.Clone(cols.names), i, i+1),
		fields: slices.Delete(slices.Clone(cols.fields), i, i+1),
		offs:   slices.Delete(slices.Clone(cols.offs), i, i+1),
		binary: cols.binary,
	}
}

// runCopy streams rows into table with one COPY.
func runCopy(ctx context.Context, db Querier, ti *tableInfo, table string, cols copyCols, rows []unsafe.Pointer) error {
	text := db.Dialect().CopyFromSQL(table, cols.names, cols.binary)
	var readers []*copyReader
	n, err := db.conn().(copier).copyFrom(ctx, text, func() io.Reader {
		cr := &copyReader{cols: cols, rows: rows}
		readers = append(readers, cr)
		return cr
	})
	// pgx reads the rows on a goroutine of its own, which a COPY that
	// failed (a cancelled context) does not wait for: stop the readers
	// before the rows are the caller's again.
	for _, cr := range readers {
		cr.stop()
	}
	switch {
	case err != nil:
		return stmtError(ctx, "exec", db, text, err)
	case n != int64(len(rows)):
		return fmt.Errorf("wren: Create into %s: COPY wrote %d rows of %d", ti.ref(), n, len(rows))
	}
	return nil
}

func resetKeys(m *rowMap, rows []unsafe.Pointer) {
	for _, p := range rows {
		setKeyAt(m, p, 0)
	}
}

// reserveKeys draws n keys for column col of table (a quoted identifier)
// from its sequence, in the sequence's order, and gives the types of the
// columns named; nil keys when there is no sequence to draw from. It runs
// on the primary of a Cluster: drawing keys writes.
func reserveKeys(ctx context.Context, db Querier, table, col string, n int, names []string) (ids []int64, oids []uint32, err error) {
	text := db.Dialect().ReserveKeysSQL()
	if _, err := queryRow(OnPrimary(ctx), db, text, []any{table, col, n, names}, &ids, &oids); err != nil {
		return nil, nil, err
	}
	if ids == nil {
		return nil, nil, nil
	}
	if len(ids) != n {
		return nil, nil, fmt.Errorf("wren: %d keys drawn from the sequence of %s.%s, want %d", len(ids), table, col, n)
	}
	// In the order the sequence gives them (which array_agg keeps).
	desc := ids[0] > ids[len(ids)-1]
	slices.Sort(ids)
	if desc {
		slices.Reverse(ids)
	}
	return ids, oids, nil
}

// copyReader writes rows in COPY's text or binary format as they are
// read, so that no more than one row is held beyond what the caller's
// buffer takes. Once stopped it reads no row again.
type copyReader struct {
	mu      sync.Mutex // held by Read, so that stop waits for one in progress
	stopped bool
	cols    copyCols
	rows    []unsafe.Pointer
	next    int
	started bool   // the binary header is written
	ended   bool   // every row (and the binary trailer) is written
	line    []byte // the row being written
	pending []byte // the part of line that did not fit yet
}

// stop ends the reading: a Read in progress finishes first, later ones
// report errCopyStopped.
func (cr *copyReader) stop() {
	cr.mu.Lock()
	cr.stopped = true
	cr.mu.Unlock()
}

var errCopyStopped = errors.New("wren: COPY ended")

func (cr *copyReader) Read(p []byte) (int, error) {
	cr.mu.Lock()
	defer cr.mu.Unlock()
	if cr.stopped {
		return 0, errCopyStopped
	}
	if !cr.started {
		cr.started = true
		if cr.cols.binary {
			cr.line = dialect.AppendCopyBinaryHeader(cr.line[:0])
			cr.pending = cr.line
		}
	}
	n := copy(p, cr.pending)
	cr.pending = cr.pending[n:]
	for len(cr.pending) == 0 && !cr.ended {
		line := cr.line[:0]
		switch {
		case cr.next < len(cr.rows):
			line = cr.row(line, cr.rows[cr.next])
			cr.next++
		case cr.cols.binary:
			line = dialect.AppendCopyBinaryTrailer(line)
			cr.ended = true
		default:
			cr.ended = true
		}
		cr.line = line
		k := copy(p[n:], line)
		n += k
		cr.pending = line[k:]
	}
	if n == 0 && cr.ended {
		return 0, io.EOF
	}
	return n, nil
}

// row appends the row at r.
func (cr *copyReader) row(line []byte, r unsafe.Pointer) []byte {
	if cr.cols.binary {
		line = dialect.AppendCopyBinaryRow(line, len(cr.cols.fields))
		for i, f := range cr.cols.fields {
			line = f.bin(line, unsafe.Add(r, cr.cols.offs[i]))
		}
		return line
	}
	for i, f := range cr.cols.fields {
		if i > 0 {
			line = append(line, '\t')
		}
		line = f.copy(line, unsafe.Add(r, cr.cols.offs[i]))
	}
	return append(line, '\n')
}

// takesBinary reports whether every column takes its field's binary form,
// given the columns' types: whether each type is one of the field's (a
// bigint column for an int64, not an integer one, which would refuse its
// 8 bytes).
func takesBinary(fields []bulkField, oids []uint32) bool {
	if len(oids) != len(fields) {
		return false
	}
	for i, f := range fields {
		if !slices.Contains(f.oids, oids[i]) {
			return false
		}
	}
	return true
}
