package wren

import (
	"context"
	"errors"
	"fmt"
	"reflect"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/wrensql/wren/dialect"
)

// Batch is several independent statements sent together: on PostgreSQL in
// one round trip (a pipeline with one Sync, which the server runs as one
// implicit transaction unless the batch runs inside a [Tx]; on a pool made
// by [Open], on wren's own prepared statements, as single statements run,
// else as pgx's batch); elsewhere one after the other on the same handle. Each queued statement hands back a
// typed [Pending] result:
//
//	b := wren.NewBatch()
//	page := wren.QueueAll[User](b, q.Limit(20))
//	total := wren.QueueOne[int64](b, wren.Select(wren.CountAll()).From(Users))
//	if err := b.Run(ctx, db); err != nil { … }
//	users, n := page.Value(), total.Value()
//
// Run returns the first statement's error (not ErrNoRows, which QueueOne's
// Pending holds as that statement's answer); on PostgreSQL a failed
// statement fails the ones after it too. A [Hook] sees every statement of
// a batch as it would see it alone; in a PostgreSQL round trip they all run
// with Run's context (each AfterQuery still gets the context its
// BeforeQuery returned). A Batch runs once and is not safe for concurrent use.
type Batch struct {
	items []batchItem
	ran   bool
	hook  *batchHook // while a hooked batch runs in one round trip
}

// batchItem is one queued statement: how to run it alone, and how to read
// its pipelined result.
type batchItem struct {
	s     Statement
	exec  bool
	alone func(ctx context.Context, db Querier) error
	rows  func(ctx context.Context, db Querier, text string, kept *keptSelect, rs rows) error
	res   func(Result)
	fail  func(error)
}

// Pending is the result of a statement queued in a [Batch], set by Run.
type Pending[T any] struct {
	v    T
	err  error
	done bool
}

// Value returns the result: the zero T before the batch has run or when the
// statement failed.
func (p *Pending[T]) Value() T { return p.v }

// Result returns the result and the statement's own error (ErrNoRows from
// QueueOne when there was no row); before Run, an error saying so.
func (p *Pending[T]) Result() (T, error) {
	if !p.done {
		return p.v, errors.New("wren: the batch has not run")
	}
	return p.v, p.err
}

func (p *Pending[T]) set(v T, err error) error {
	p.v, p.err, p.done = v, err, true
	return err
}

// NewBatch starts an empty batch.
func NewBatch() *Batch { return &Batch{} }

// QueueAll queues q, whose rows are read as [All] reads them.
func QueueAll[T any](b *Batch, q Statement) *Pending[[]T] {
	p := &Pending[[]T]{}
	b.items = append(b.items, batchItem{
		s: q,
		alone: func(ctx context.Context, db Querier) error {
			return p.set(All[T](ctx, db, q))
		},
		rows: func(ctx context.Context, db Querier, text string, kept *keptSelect, rs rows) error {
			return p.set(readPipelined[T](ctx, db, q, text, kept, rs))
		},
		fail: func(err error) { p.set(nil, err) },
	})
	return p
}

// QueueOne queues q, whose first row is read as [One] reads it; with no
// row its Pending holds an error wrapping ErrNoRows. On PostgreSQL the
// whole result is read: give q a LIMIT.
func QueueOne[T any](b *Batch, q Statement) *Pending[T] {
	p := &Pending[T]{}
	var zero T
	b.items = append(b.items, batchItem{
		s: q,
		alone: func(ctx context.Context, db Querier) error {
			return p.set(One[T](ctx, db, q))
		},
		rows: func(ctx context.Context, db Querier, text string, kept *keptSelect, rs rows) error {
			all, err := readPipelined[T](ctx, db, q, text, kept, rs)
			if err == nil && len(all) == 0 {
				err = ErrNoRows
			}
			if err != nil {
				return p.set(zero, err)
			}
			return p.set(all[0], nil)
		},
		fail: func(err error) { p.set(zero, err) },
	})
	return p
}

// readPipelined reads every row of rs, q's pipelined result, into Ts;
// kept is q's kept shape, if it ran one.
func readPipelined[T any](ctx context.Context, db Querier, q Statement, text string, kept *keptSelect, rs rows) ([]T, error) {
	plan, err := planForKept(kept, reflect.TypeFor[T](), db.Dialect(), text, q, rs)
	if err != nil {
		rs.Close()
		return nil, err
	}
	return readAll[T](ctx, q, rs, plan)
}

// QueueExec queues a statement that returns no rows, as [Exec] runs it.
func QueueExec(b *Batch, s Statement) *Pending[Result] {
	p := &Pending[Result]{}
	b.items = append(b.items, batchItem{
		s:     s,
		exec:  true,
		alone: func(ctx context.Context, db Querier) error { return p.set(Exec(ctx, db, s)) },
		res:   func(r Result) { p.set(r, nil) },
		fail:  func(err error) { p.set(Result{}, err) },
	})
	return p
}

// Len is the number of queued statements.
func (b *Batch) Len() int { return len(b.items) }

// batchSender is implemented by the pgx pool, connection and transaction.
type batchSender interface {
	SendBatch(ctx context.Context, b *pgx.Batch) pgx.BatchResults
}

// Run sends the queued statements and fills in their Pending results. It
// returns the first statement's error; a statement that cannot be rendered
// fails the batch before anything is sent.
func (b *Batch) Run(ctx context.Context, db Querier) error {
	if err := checkDB(db); err != nil {
		return err
	}
	if b.ran {
		return errors.New("wren: the batch has already run")
	}
	b.ran = true
	for _, it := range b.items {
		if err := checkRun(db, it.s); err != nil {
			return err
		}
	}
	c := db.conn()
	hc, hooked := c.(hookConn)
	if hooked {
		c = hc.c
	}
	if pc, ok := c.(pgxConn); ok {
		if sender, ok := pc.db.(batchSender); ok {
			return b.pipeline(ctx, db, sender, pc, hc, hooked)
		}
	}
	var first error
	for _, it := range b.items {
		if err := it.alone(ctx, db); failed(err) && first == nil {
			first = err
		}
	}
	return first
}

// unrendered fails every statement of b with err, statement i's, which
// could not be rendered.
func (b *Batch) unrendered(i int, err error) error {
	for _, it := range b.items {
		it.fail(err)
	}
	return fmt.Errorf("wren: batch statement %d: %w", i+1, err)
}

// failed reports whether a statement's error fails the batch: ErrNoRows
// from QueueOne is that statement's answer, kept in its Pending.
func failed(err error) bool { return err != nil && !errors.Is(err, ErrNoRows) }

// pipeline sends every statement in one round trip and reads the results
// in order: on wren's own prepared statements where it can (runDirect),
// else in one pgx batch.
func (b *Batch) pipeline(ctx context.Context, db Querier, sender batchSender, pc pgxConn, hc hookConn, hooked bool) error {
	textOf, kept, args, err := b.render(db.Dialect())
	if err != nil {
		return err
	}
	if hooked {
		b.hook = newBatchHook(ctx, hc, textOf, args, b.items)
	}
	if pc.direct {
		if done, err := b.runDirect(ctx, db, pc, textOf, kept, args); done {
			return err
		}
	}
	var pb pgx.Batch
	for i, text := range textOf {
		pb.Queue(text, args[i]...)
	}
	br := sender.SendBatch(ctx, &pb)
	first, _, _ := b.read(ctx, db, textOf, kept, pc.wire, &batchResults{br: br})
	if err := br.Close(); err != nil && first == nil {
		first = withCause(ctx, fmt.Errorf("wren: batch: %w", err))
	}
	return first
}

// batchResults hands a batch sent in one round trip its statements'
// results in order: from pgx's batch (br), or from wren's own pipeline
// (pl, on conn).
type batchResults struct {
	br   pgx.BatchResults
	pl   *pgconn.Pipeline
	conn *pgx.Conn
}

// next is the pipeline's next result.
func (r *batchResults) next() (*pgconn.ResultReader, error) {
	res, err := r.pl.GetResults()
	rr, ok := res.(*pgconn.ResultReader)
	if err == nil && !ok {
		err = fmt.Errorf("wren: batch: unexpected pipeline result %T", res)
	}
	return rr, err
}

// exec is the next statement's command tag.
func (r *batchResults) exec() (pgconn.CommandTag, error) {
	if r.pl == nil {
		return r.br.Exec()
	}
	rr, err := r.next()
	if err != nil {
		return pgconn.CommandTag{}, err
	}
	return rr.Close()
}

// query is the next statement's rows.
func (r *batchResults) query() (pgx.Rows, error) {
	if r.pl == nil {
		return r.br.Query()
	}
	rr, err := r.next()
	if err != nil {
		return nil, err
	}
	return pgx.RowsFromResultReader(r.conn.TypeMap(), rr), nil
}

// read reads the results of b's statements in order and returns the first
// error, and the statement that failed on the server with its error (-1
// when none did). A failed statement fails those after it with its
// error: the server skips them up to the Sync (and pgx's batch would
// report an exec after a query that failed mid-rows as done).
func (b *Batch) read(ctx context.Context, db Querier, textOf []string, kept []*keptSelect, wire bool, res *batchResults) (first error, at int, err error) {
	for i, it := range b.items {
		if it.exec {
			tag, err := res.exec()
			if err != nil {
				b.failFrom(ctx, db, textOf, i, err, &first)
				return first, i, err
			}
			b.hook.report(i, tag.RowsAffected(), nil)
			it.res(Result{RowsAffected: tag.RowsAffected()})
			continue
		}
		rs, err := res.query()
		if err == nil && len(rs.FieldDescriptions()) == 0 {
			// No result columns: a failure, or a statement without
			// rows queued as a query (reading it says so).
			rs.Close()
			err = rs.Err()
		}
		if err != nil {
			b.failFrom(ctx, db, textOf, i, err, &first)
			return first, i, err
		}
		if err := it.rows(ctx, db, textOf[i], kept[i], b.hook.rows(i, pgxRows{rs, wire})); failed(err) && first == nil {
			first = err
		}
		if err := rs.Err(); err != nil {
			// Statement i's own error is the one its rows gave.
			b.failFrom(ctx, db, textOf, i+1, err, &first)
			return first, i, err
		}
	}
	return first, -1, nil
}

// render renders every statement of b: its text, its kept shape (nil
// when it was rendered anew) and its arguments, which the batch keeps
// until it has sent them.
func (b *Batch) render(d *dialect.Dialect) (textOf []string, kept []*keptSelect, args [][]any, err error) {
	textOf = make([]string, len(b.items))
	kept = make([]*keptSelect, len(b.items))
	args = make([][]any, len(b.items))
	for i, it := range b.items {
		var sq SelectQuery
		ti, k := lookupKept(it.s, d, false, &sq)
		if k != nil {
			// A plain query of a shape rendered before (see keptSelect).
			a, err := k.bind(nil, &sq)
			if err != nil {
				return nil, nil, nil, b.unrendered(i, err)
			}
			textOf[i], kept[i], args[i] = k.text, k, a
			continue
		}
		r, err := render(d, it.s)
		if err != nil {
			return nil, nil, nil, b.unrendered(i, err)
		}
		textOf[i] = texts.intern(r.buf)
		if ti != nil {
			keepSelect(ti, &sq, r, false, textOf[i])
		}
		args[i] = append([]any(nil), r.args...)
		r.release()
	}
	return textOf, kept, args, nil
}

// fail fails statement i, of text, with err, the driver's, and keeps the
// first error of the batch in first.
func (b *Batch) fail(ctx context.Context, db Querier, text string, i int, err error, first *error) {
	b.hook.report(i, 0, err)
	err = stmtError(ctx, "query", db, text, err)
	b.items[i].fail(err)
	if *first == nil {
		*first = err
	}
}
