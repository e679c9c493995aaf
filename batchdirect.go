package wren

import (
	"context"
	"fmt"
)

// runDirect runs a batch as direct statements run (pgdirect.go): every
// text prepared once per connection by wren, its arguments encoded by
// wren, and all of them sent in one pipeline with one Sync, which the
// server runs as one implicit transaction (pgx's batch does the same).
// Rows are read by pgx's Rows over each result, as a direct query's are.
// done is false when nothing was sent and the batch must go through pgx:
// an argument of a type not encoded here, or a connection that holds
// maxDirectStmts statements of wren's already.
func (b *Batch) runDirect(ctx context.Context, db Querier, c pgxConn, textOf []string, kept []*keptSelect, args [][]any) (done bool, err error) {
	for _, a := range args {
		if !encodable(a) {
			return false, nil
		}
	}
	conn, pc, ok, err := c.directConn(ctx)
	var first error
	if !ok {
		return false, nil
	}
	if err != nil {
		b.failFrom(ctx, db, textOf, 0, err, &first)
		return true, first
	}
	defer release(pc)
	s := stmtsOf(conn.PgConn())
	sts := make([]*directStmt, len(textOf))
	encs := make([]*directArgs, len(textOf))
	defer func() {
		for _, e := range encs {
			if e != nil {
				e.put()
			}
		}
	}()
	err = s.prepareAll(ctx, conn, textOf)
	for i, text := range textOf {
		var st *directStmt
		if err == nil {
			st, err = s.prepared(ctx, conn, text)
		}
		if err != nil {
			// Nothing ran: the statement could not be prepared (a
			// server error, a lost connection), and pgx's batch fails
			// every statement then too.
			b.failFrom(ctx, db, textOf, 0, err, &first)
			return true, first
		}
		encs[i] = directArgsPool.Get().(*directArgs)
		if st == nil || !encs[i].encode(st.sd.ParamOIDs, args[i]) {
			return false, nil
		}
		sts[i] = st
	}
	pl := conn.PgConn().StartPipeline(ctx)
	for i, st := range sts {
		// The values are in the connection's buffer once this returns.
		pl.SendQueryPrepared(st.sd.Name, encs[i].vals, encs[i].fmts, st.resFmts)
	}
	if err := pl.Sync(); err != nil {
		pl.Close()
		b.failFrom(ctx, db, textOf, 0, err, &first)
		return true, first
	}
	first, at, ferr := b.read(ctx, db, textOf, kept, c.wire, &batchResults{pl: pl, conn: conn})
	if at >= 0 {
		s.forget(textOf[at], sts[at], ferr)
	}
	if err := pl.Close(); err != nil && first == nil {
		first = withCause(ctx, fmt.Errorf("wren: batch: %w", err))
	}
	return true, first
}

// failFrom fails statements from i on with err, each as its own text's
// error, and keeps the first error of the batch in first.
func (b *Batch) failFrom(ctx context.Context, db Querier, textOf []string, i int, err error, first *error) {
	for ; i < len(b.items); i++ {
		b.fail(ctx, db, textOf[i], i, err, first)
	}
}
