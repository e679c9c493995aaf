package wren

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"slices"
	"strconv"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgtype"
	"github.com/jackc/pgx/v5/pgxpool"
)

// Direct statements: on a PostgreSQL pool with pgx's defaults (made by
// Open, or given to OpenPool without an AfterConnect hook, a tracer or
// another query mode), a statement whose arguments are all of the common
// types runs on the connection's pgconn: wren prepares each text once per
// connection and encodes the arguments itself, as pgx's default type map
// encodes them, where pgx's Conn would look the text up in its statement
// cache and plan every argument's encoding through its type map. Rows
// are read by pgx's own Rows over the result (pgx.RowsFromResultReader),
// so they scan, fail and close as pgx's do; wren decodes them itself
// where it can (scan.Row.UseWire). A Batch's statements run so too, in
// one pipeline (batchdirect.go). Anything else runs through pgx as
// before: another argument type, a parameter of a type not encoded here,
// a connection that holds maxDirectStmts statements of wren's already.

// maxDirectStmts bounds the statements wren prepares on one connection;
// past it, new texts run through pgx's own statement cache.
const maxDirectStmts = 512

// directStmtsKey is where a connection's statements are kept in its
// pgconn's CustomData.
const directStmtsKey = "wren.stmts"

// directStmts are the statements wren prepared on one connection. A
// connection is used by one goroutine at a time.
type directStmts struct {
	m     map[string]*directStmt
	next  int
	stale []string // names to deallocate, outside a transaction
}

// directStmt is a statement prepared on a connection, and the formats
// pgx would ask its result columns in.
type directStmt struct {
	sd      *pgconn.StatementDescription
	resFmts []int16
}

func stmtsOf(pc *pgconn.PgConn) *directStmts {
	cd := pc.CustomData()
	if s, ok := cd[directStmtsKey].(*directStmts); ok {
		return s
	}
	s := &directStmts{m: make(map[string]*directStmt)}
	cd[directStmtsKey] = s
	return s
}

// prepared returns the statement for text on conn, preparing it the first
// time; nil, with no error, when the connection holds too many.
func (s *directStmts) prepared(ctx context.Context, conn *pgx.Conn, text string) (*directStmt, error) {
	if st := s.m[text]; st != nil {
		return st, nil
	}
	pc := conn.PgConn()
	s.housekeep(ctx, pc)
	if len(s.m) >= maxDirectStmts {
		return nil, nil
	}
	s.next++
	sd, err := pc.Prepare(ctx, "wren_"+strconv.Itoa(s.next), text, nil)
	if err != nil {
		return nil, err
	}
	return s.add(conn, text, sd), nil
}

// housekeep deallocates the statements forget dropped, outside a
// transaction: a failure here (the connection is gone, the context
// ended) shows in what runs next, if it matters.
func (s *directStmts) housekeep(ctx context.Context, pc *pgconn.PgConn) {
	if len(s.stale) > 0 && pc.TxStatus() == 'I' {
		for _, name := range s.stale {
			pc.Deallocate(ctx, name)
		}
		s.stale = s.stale[:0]
	}
}

// add keeps sd, text's statement on conn.
func (s *directStmts) add(conn *pgx.Conn, text string, sd *pgconn.StatementDescription) *directStmt {
	st := &directStmt{sd: sd, resFmts: make([]int16, len(sd.Fields))}
	tm := conn.TypeMap()
	for i := range sd.Fields {
		st.resFmts[i] = tm.FormatCodeForOID(sd.Fields[i].DataTypeOID)
	}
	s.m[text] = st
	return st
}

// prepareAll prepares, in one round trip, those of texts conn holds no
// statement for yet, as far as maxDirectStmts allows (prepared then tells
// which it holds). When the server refuses one, none of them is kept.
func (s *directStmts) prepareAll(ctx context.Context, conn *pgx.Conn, texts []string) error {
	var missing []string
	for _, text := range texts {
		if s.m[text] == nil && !slices.Contains(missing, text) {
			missing = append(missing, text)
		}
	}
	if len(missing) < 2 {
		return nil // prepared does one as well
	}
	pc := conn.PgConn()
	s.housekeep(ctx, pc)
	missing = missing[:min(len(missing), max(maxDirectStmts-len(s.m), 0))]
	if len(missing) == 0 {
		return nil
	}
	names := make([]string, len(missing))
	pl := pc.StartPipeline(ctx)
	for i, text := range missing {
		s.next++
		names[i] = "wren_" + strconv.Itoa(s.next)
		pl.SendPrepare(names[i], text, nil)
	}
	sds := make([]*pgconn.StatementDescription, 0, len(missing))
	err := pl.Sync()
	for err == nil && len(sds) < len(missing) {
		var res any
		res, err = pl.GetResults()
		if sd, ok := res.(*pgconn.StatementDescription); ok {
			sds = append(sds, sd)
		} else if err == nil {
			err = fmt.Errorf("wren: prepare: unexpected pipeline result %T", res)
		}
	}
	if cerr := pl.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		// Those the server made before the failure are dropped later.
		s.stale = append(s.stale, names[:len(sds)]...)
		return err
	}
	for i, sd := range sds {
		sd.Name, sd.SQL = names[i], missing[i]
		s.add(conn, missing[i], sd)
	}
	return nil
}

// forget drops text's statement after err, when err says the server's
// copy no longer fits (the table changed: "cached plan must not change
// result type"), or every statement of the connection when it says one
// is gone (the session ran DEALLOCATE ALL or DISCARD ALL): the next run
// prepares them again.
func (s *directStmts) forget(text string, st *directStmt, err error) {
	var pe *pgconn.PgError
	if !errors.As(err, &pe) {
		return
	}
	switch pe.Code {
	case "0A000":
		delete(s.m, text)
		s.stale = append(s.stale, st.sd.Name)
	case "26000":
		clear(s.m)
		s.stale = s.stale[:0]
	}
}

// directArgs encodes a statement's arguments.
type directArgs struct {
	vals [][]byte
	fmts []int16
	buf  []byte
	ends []int // where each value ends in buf
}

var directArgsPool = sync.Pool{New: func() any { return new(directArgs) }}

// put gives e back to the pool, without a buffer a large value grew.
func (e *directArgs) put() {
	if cap(e.buf) > 64<<10 {
		e.buf = nil
	}
	directArgsPool.Put(e)
}

// encodable reports whether every argument is of a Go type encodeDirect
// may take: checked before a connection is taken.
func encodable(args []any) bool {
	for _, a := range args {
		switch v := a.(type) {
		case nil, int64, int, int32, int16, string, float64, float32, bool, time.Time, [16]byte:
		case []byte:
			if v == nil {
				return false
			}
		default:
			return false
		}
	}
	return true
}

// encode encodes args for parameters of types oids, as pgx's default type
// map encodes them, and reports whether it could: false for a pair not
// encoded here (pgx then encodes them, or reports the error it always
// has).
func (e *directArgs) encode(oids []uint32, args []any) bool {
	if len(oids) != len(args) {
		return false
	}
	if e.buf == nil {
		e.buf = make([]byte, 0, 256) // an empty value must not be a nil slice: nil is NULL
	}
	e.buf = e.buf[:0]
	e.vals = e.vals[:0]
	e.fmts = e.fmts[:0]
	// Values are appended to buf, then sliced once buf no longer moves.
	e.ends = e.ends[:0]
	for i, a := range args {
		oid := oids[i]
		format := int16(1)
		switch v := a.(type) {
		case nil:
			format = 0
		case int64:
			if !e.int(oid, v) {
				return false
			}
		case int:
			if !e.int(oid, int64(v)) {
				return false
			}
		case int32:
			if !e.int(oid, int64(v)) {
				return false
			}
		case int16:
			if !e.int(oid, int64(v)) {
				return false
			}
		case string:
			switch oid {
			case pgtype.TextOID, pgtype.VarcharOID, pgtype.BPCharOID, pgtype.NameOID, pgtype.UnknownOID:
			default:
				return false
			}
			format = 0
			e.buf = append(e.buf, v...)
		case float64:
			if oid != pgtype.Float8OID {
				return false
			}
			e.buf = binary.BigEndian.AppendUint64(e.buf, math.Float64bits(v))
		case float32:
			if oid != pgtype.Float4OID {
				return false
			}
			e.buf = binary.BigEndian.AppendUint32(e.buf, math.Float32bits(v))
		case bool:
			if oid != pgtype.BoolOID {
				return false
			}
			b := byte(0)
			if v {
				b = 1
			}
			e.buf = append(e.buf, b)
		case time.Time:
			switch oid {
			case pgtype.TimestamptzOID:
			case pgtype.TimestampOID: // the wall clock, as if in UTC
				if v.Location() != time.UTC {
					v = time.Date(v.Year(), v.Month(), v.Day(), v.Hour(), v.Minute(), v.Second(), v.Nanosecond(), time.UTC)
				}
			default:
				return false
			}
			us := v.Unix()*1000000 + int64(v.Nanosecond())/1000
			e.buf = binary.BigEndian.AppendUint64(e.buf, uint64(us-pgEpochMicros))
		case []byte:
			if oid != pgtype.ByteaOID {
				return false
			}
			e.buf = append(e.buf, v...)
		case [16]byte:
			if oid != pgtype.UUIDOID {
				return false
			}
			e.buf = append(e.buf, v[:]...)
		default:
			return false
		}
		e.ends = append(e.ends, len(e.buf))
		e.fmts = append(e.fmts, format)
	}
	start := 0
	for i, a := range args {
		if a == nil {
			e.vals = append(e.vals, nil)
			continue
		}
		end := e.ends[i]
		e.vals = append(e.vals, e.buf[start:end:end])
		start = end
	}
	return true
}

// pgEpochMicros is the microseconds from the Unix epoch to PostgreSQL's,
// 2000-01-01.
const pgEpochMicros = 946684800 * 1000000

// int encodes an integer for an integer parameter it fits.
func (e *directArgs) int(oid uint32, v int64) bool {
	switch oid {
	case pgtype.Int8OID:
		e.buf = binary.BigEndian.AppendUint64(e.buf, uint64(v))
	case pgtype.Int4OID:
		if v < math.MinInt32 || v > math.MaxInt32 {
			return false
		}
		e.buf = binary.BigEndian.AppendUint32(e.buf, uint32(v))
	case pgtype.Int2OID:
		if v < math.MinInt16 || v > math.MaxInt16 {
			return false
		}
		e.buf = binary.BigEndian.AppendUint16(e.buf, uint16(v))
	default:
		return false
	}
	return true
}

// directConn takes the connection a direct statement runs on: one of the
// pool's (pc, to release), or the transaction's. ok is false where
// statements cannot run directly.
func (c pgxConn) directConn(ctx context.Context) (conn *pgx.Conn, pc *pgxpool.Conn, ok bool, err error) {
	switch db := c.db.(type) {
	case *pgxpool.Pool:
		pc, err := db.Acquire(ctx)
		if err != nil {
			return nil, nil, true, err
		}
		return pc.Conn(), pc, true, nil
	case pgx.Tx:
		return db.Conn(), nil, true, nil
	}
	return nil, nil, false, nil
}

// release gives a pool's connection back.
func release(pc *pgxpool.Conn) {
	if pc != nil {
		pc.Release()
	}
}

// execDirect runs an exec directly; done is false when it must run
// through pgx instead (nothing was sent).
func (c pgxConn) execDirect(ctx context.Context, text string, args []any) (tag pgconn.CommandTag, done bool, err error) {
	conn, pc, ok, err := c.directConn(ctx)
	if !ok || err != nil {
		return tag, ok, err
	}
	defer release(pc)
	s := stmtsOf(conn.PgConn())
	st, err := s.prepared(ctx, conn, text)
	if err != nil {
		return tag, true, err
	}
	e := directArgsPool.Get().(*directArgs)
	defer e.put()
	if st == nil || !e.encode(st.sd.ParamOIDs, args) {
		tag, err = conn.Exec(ctx, text, args...)
		return tag, true, err
	}
	tag, err = conn.PgConn().ExecPrepared(ctx, st.sd.Name, e.vals, e.fmts, nil).Close()
	if err != nil {
		s.forget(text, st, err)
	}
	return tag, true, err
}

// directRows are pgx's Rows over a direct statement's result, which give
// the connection back to the pool when closed.
type directRows struct {
	pgx.Rows
	pc     *pgxpool.Conn // nil in a transaction
	closed bool
	// The statement the rows are the result of; nil when pgx ran it.
	s    *directStmts
	st   *directStmt
	text string
}

// Close closes the rows and gives the connection back.
func (r *directRows) Close() {
	r.Rows.Close()
	if r.closed {
		return
	}
	r.closed = true
	if err := r.Rows.Err(); err != nil && r.st != nil {
		r.s.forget(r.text, r.st, err)
	}
	release(r.pc)
}

// queryDirect runs a query directly; done is false when it must run
// through pgx instead (nothing was sent).
func (c pgxConn) queryDirect(ctx context.Context, text string, args []any) (rs pgx.Rows, done bool, err error) {
	conn, pc, ok, err := c.directConn(ctx)
	if !ok || err != nil {
		return nil, ok, err
	}
	s := stmtsOf(conn.PgConn())
	st, err := s.prepared(ctx, conn, text)
	if err != nil {
		release(pc)
		return nil, true, err
	}
	e := directArgsPool.Get().(*directArgs)
	if st == nil || !e.encode(st.sd.ParamOIDs, args) {
		e.put()
		rs, err := conn.Query(ctx, text, args...)
		if err != nil {
			release(pc)
			return nil, true, err
		}
		return &directRows{Rows: rs, pc: pc}, true, nil
	}
	// The values are in the connection's buffer once ExecPrepared returns.
	rr := conn.PgConn().ExecPrepared(ctx, st.sd.Name, e.vals, e.fmts, st.resFmts)
	e.put()
	return &directRows{Rows: pgx.RowsFromResultReader(conn.TypeMap(), rr), pc: pc, s: s, st: st, text: text}, true, nil
}
