package tests

import (
	"context"
	"errors"
	"sync"
	"testing"

	"github.com/matryer/is"

	"github.com/wrensql/wren"
)

// CParentTable is constraintSchema's parent table.
type CParentTable struct {
	wren.Table
	ID   wren.Column[int64] `wren:",pk"`
	Name wren.Column[string]
	Qty  wren.Column[int64]
}

// CParents is constraintSchema's cparent.
var CParents = wren.NewTable[CParentTable]("cparent")

// CParent is a row of CParents.
type CParent struct {
	ID   int64
	Name string
	Qty  int64
}

// recorder is a Hook that keeps every event, and checks that the context
// BeforeQuery returned is the one AfterQuery gets.
type recorder struct {
	mu     sync.Mutex
	events []wren.QueryEvent
	bad    int
}

type recKey struct{}

func (r *recorder) BeforeQuery(ctx context.Context, e *wren.QueryEvent) context.Context {
	return context.WithValue(ctx, recKey{}, e)
}

func (r *recorder) AfterQuery(ctx context.Context, e *wren.QueryEvent) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if ctx.Value(recKey{}) != e {
		r.bad++
	}
	r.events = append(r.events, *e)
}

func (r *recorder) take() []wren.QueryEvent {
	r.mu.Lock()
	defer r.mu.Unlock()
	ev := r.events
	r.events = nil
	return ev
}

func TestHooks(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *wren.DB) {
		is := is.New(t)
		ctx := ctxT(t)
		constraintSchema(t, db)
		rec := &recorder{}
		db.SetHook(rec)
		is.Equal(db.Hook(), wren.Hook(rec))

		// An exec: text, args, rows affected.
		ins := wren.Insert(CParents).Rows(CParent{ID: 2, Name: "mickey", Qty: 3}, CParent{ID: 3, Name: "zaizee", Qty: 4})
		text, args, err := ins.SQL(db.Dialect())
		is.NoErr(err)
		_, err = wren.Exec(ctx, db, ins)
		is.NoErr(err)
		ev := rec.take()
		is.Equal(len(ev), 1)
		is.Equal(ev[0].Op, "exec")
		is.Equal(ev[0].SQL, text)
		is.Equal(ev[0].Args, args)
		is.Equal(ev[0].Dialect, db.Dialect())
		is.Equal(ev[0].Rows, int64(2))
		is.True(!ev[0].InTx)
		is.NoErr(ev[0].Err)
		is.True(ev[0].Duration > 0 && !ev[0].Start.IsZero())

		// A query: reported when its rows close, with the rows read.
		q := wren.Select(CParents.ID, CParents.Name, CParents.Qty).From(CParents).Where(CParents.Qty.Gte(1)).OrderBy(CParents.ID)
		all, err := wren.All[CParent](ctx, db, q)
		is.NoErr(err)
		is.Equal(len(all), 3)
		_, err = wren.One[CParent](ctx, db, q)
		is.NoErr(err)
		n := 0
		for _, err := range wren.Iter[CParent](ctx, db, q) {
			is.NoErr(err)
			if n++; n == 2 {
				break
			}
		}
		ev = rec.take()
		is.Equal(len(ev), 3)
		// One adds LIMIT 1 (a literal: nothing more bound) to a query
		// without one.
		wantArgs := [][]any{{int64(1)}, {int64(1)}, {int64(1)}}
		for i, want := range []int64{3, 1, 2} {
			is.Equal(ev[i].Op, "query")
			is.Equal(ev[i].Rows, want)
			is.Equal(ev[i].Args, wantArgs[i])
			is.NoErr(ev[i].Err)
		}

		// A failure: the error, classified.
		_, err = wren.Exec(ctx, db, wren.Insert(CParents).Rows(CParent{ID: 9, Name: "huey", Qty: 1}))
		is.True(errors.Is(err, wren.ErrUniqueViolation))
		ev = rec.take()
		is.Equal(len(ev), 1)
		is.True(errors.Is(ev[0].Err, wren.ErrUniqueViolation))

		// Inside a transaction: InTx, and no events for BEGIN/COMMIT.
		is.NoErr(db.Atomic(ctx, func(tx *wren.Tx) error {
			_, err := wren.Exec(ctx, tx, wren.Update(CParents).Set(wren.Set(CParents.Qty, int64(7))).Where(CParents.ID.Eq(2)))
			return err
		}))
		ev = rec.take()
		is.Equal(len(ev), 1)
		is.True(ev[0].InTx)
		is.Equal(ev[0].Rows, int64(1))

		// The arguments belong to the event: later statements do not
		// overwrite them.
		_, err = wren.Exec(ctx, db, wren.Update(CParents).Set(wren.Set(CParents.Qty, int64(8))).Where(CParents.ID.Eq(3)))
		is.NoErr(err)
		_, err = wren.Exec(ctx, db, wren.Update(CParents).Set(wren.Set(CParents.Qty, int64(9))).Where(CParents.ID.Eq(2)))
		is.NoErr(err)
		ev = rec.take()
		is.Equal(ev[0].Args, []any{int64(8), int64(3)})
		is.Equal(ev[1].Args, []any{int64(9), int64(2)})

		// Hooks combine; removing the hook stops the events.
		second := &recorder{}
		db.SetHook(wren.Hooks(rec, nil, second))
		_, err = wren.Count(ctx, db, wren.Select(CParents.ID).From(CParents))
		is.NoErr(err)
		is.Equal(len(rec.take()), 1)
		is.Equal(len(second.take()), 1)
		db.SetHook(nil)
		_, err = wren.Count(ctx, db, wren.Select(CParents.ID).From(CParents))
		is.NoErr(err)
		is.Equal(len(rec.take())+len(second.take()), 0)
		is.Equal(rec.bad+second.bad, 0)
	})
}
