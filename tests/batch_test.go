package tests

import (
	"errors"
	"testing"

	"github.com/matryer/is"

	"github.com/wrensql/wren"
)

// TestBatch sends a page of rows, its total and a write together (one
// round trip on PostgreSQL) and reads each typed result, on every
// database; a failing statement reports its own error.
func TestBatch(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *wren.DB) {
		is := is.New(t)
		ctx := ctxT(t)
		seed(t, db)
		b := wren.NewBatch()
		page := wren.QueueAll[int64](b, wren.Select(T.ID).From(T).OrderBy(T.ID).Limit(2))
		total := wren.QueueOne[int64](b, wren.Select(wren.CountAll()).From(T))
		typed := wren.QueueAll[wren.Row2[int64, string]](b, wren.Select2(U.ID, U.Username).From(U).OrderBy(U.ID))
		none := wren.QueueOne[string](b, wren.Select(U.Username).From(U).Where(U.ID.Eq(99)))
		upd := wren.QueueExec(b, wren.Update(T).Set(wren.Set(T.Likes, 7)).Where(T.UserID.Eq(1)))
		_, err := page.Result()
		is.True(err != nil) // not run yet
		is.NoErr(b.Run(ctx, db))
		is.Equal(page.Value(), []int64{1, 2})
		is.Equal(total.Value(), int64(3))
		is.Equal(typed.Value()[1].V2, "mickey")
		_, err = none.Result()
		is.True(errors.Is(err, wren.ErrNoRows))
		res, err := upd.Result()
		is.NoErr(err)
		is.Equal(res.RowsAffected, int64(2))
		is.True(b.Run(ctx, db) != nil) // a batch runs once

		// Inside a transaction too.
		is.NoErr(db.Atomic(ctx, func(tx *wren.Tx) error {
			b := wren.NewBatch()
			n := wren.QueueOne[int64](b, wren.Select(wren.CountAll()).From(T).Where(T.Likes.Eq(7)))
			if err := b.Run(ctx, tx); err != nil {
				return err
			}
			is.Equal(n.Value(), int64(2))
			return nil
		}))

		// A statement that fails reports its own error; Run returns it.
		b = wren.NewBatch()
		bad := wren.QueueAll[int64](b, wren.RawStmt("SELECT no_such_column FROM tweets"))
		is.True(b.Run(ctx, db) != nil)
		_, err = bad.Result()
		is.True(err != nil)
	})
}
