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

// copyPtr writes a nil pointer as NULL and the value it points to
// otherwise.
func copyPtr[E any](enc copyEncoder) copyEncoder {
	return func(dst []byte, p unsafe.Pointer) []byte {
		v := *(**E)(p)
		if v == nil {
			return dialect.AppendCopyNull(dst)
		}
		return enc(dst, unsafe.Pointer(v))
	}
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
// keys drawn first from the key column's sequence, in the rows' order; it
// reports false, having done nothing, when the column has no sequence to
// draw from (or refuses given keys), and the caller binds arrays instead.
func createByCopy(ctx context.Context, db Querier, ti *tableInfo, m *rowMap, fields []bulkField, rows []unsafe.Pointer, withKeys bool) (bool, error) {
	d := db.Dialect()
	r := getRenderer(d)
	defer r.release()
	r.ident(roleTable, ti.name)
	table := string(r.buf)
	cols := make([]string, len(m.cols))
	for i, c := range m.cols {
		r.buf = r.buf[:0]
		r.ident(roleColumn, c.name)
		cols[i] = string(r.buf)
	}
	if err := r.check(); err != nil {
		return true, err
	}
	if !withKeys {
		ids, err := reserveKeys(ctx, db, table, m.cols[m.auto].name, len(rows))
		if err != nil || ids == nil {
			return err != nil, err
		}
		for i, p := range rows {
			setKeyAt(m, p, ids[i])
		}
	}
	text := d.CopyFromSQL(table, cols)
	var readers []*copyReader
	n, err := db.conn().(copier).copyFrom(ctx, text, func() io.Reader {
		cr := &copyReader{m: m, fields: fields, rows: rows}
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
		err = stmtError(ctx, "exec", db, text, err)
	case n != int64(len(rows)):
		err = fmt.Errorf("wren: Create into %s: COPY wrote %d rows of %d", ti.ref(), n, len(rows))
	}
	if err != nil && !withKeys {
		for _, p := range rows {
			setKeyAt(m, p, 0) // nothing was written: no row has a key
		}
	}
	return true, err
}

// reserveKeys draws n keys for column col of table (a quoted identifier)
// from its sequence, ascending; nil when there is no sequence to draw from.
// It runs on the primary of a Cluster: drawing keys writes.
func reserveKeys(ctx context.Context, db Querier, table, col string, n int) ([]int64, error) {
	text := db.Dialect().ReserveKeysSQL()
	rs, err := db.conn().query(OnPrimary(ctx), text, []any{table, col, n})
	if err != nil {
		return nil, stmtError(ctx, "query", db, text, err)
	}
	defer rs.Close()
	var ids []int64
	if rs.Next() {
		if err := rs.Scan(&ids); err != nil {
			return nil, stmtError(ctx, "query", db, text, err)
		}
	}
	if err := rs.Err(); err != nil {
		return nil, stmtError(ctx, "query", db, text, err)
	}
	if ids == nil {
		return nil, nil
	}
	if len(ids) != n {
		return nil, fmt.Errorf("wren: %d keys drawn from the sequence of %s.%s, want %d", len(ids), table, col, n)
	}
	slices.Sort(ids)
	return ids, nil
}

// copyReader writes rows in COPY's text format as they are read, so that
// no more than one row is held beyond what the caller's buffer takes. Once
// stopped it reads no row again.
type copyReader struct {
	mu      sync.Mutex // held by Read, so that stop waits for one in progress
	stopped bool
	m       *rowMap
	fields  []bulkField
	rows    []unsafe.Pointer
	next    int
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
	n := copy(p, cr.pending)
	cr.pending = cr.pending[n:]
	for len(cr.pending) == 0 && cr.next < len(cr.rows) {
		row := cr.rows[cr.next]
		cr.next++
		line := cr.line[:0]
		for i, f := range cr.fields {
			if i > 0 {
				line = append(line, '\t')
			}
			line = f.copy(line, unsafe.Add(row, cr.m.offs[i]))
		}
		line = append(line, '\n')
		cr.line = line
		k := copy(p[n:], line)
		n += k
		cr.pending = line[k:]
	}
	if n == 0 && cr.next == len(cr.rows) {
		return 0, io.EOF
	}
	return n, nil
}
