package tests

import (
	"strings"
	"testing"

	"github.com/matryer/is"

	"github.com/wrensql/wren"
)

// TestPrepared runs one Prepared query and one Prepared write many times
// with different values on every database.
func TestPrepared(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *wren.DB) {
		is := is.New(t)
		ctx := ctxT(t)
		seed(t, db)
		minLikes := wren.NewParam[int64]("min_likes")
		author := wren.NewParam[int64]("author")
		q := wren.Prepare[int64](wren.Select(T.ID).From(T).Where(T.Likes.GteExpr(minLikes), T.UserID.EqExpr(author)).OrderBy(T.ID))
		ids, err := q.All(ctx, db, wren.Bind(minLikes, 0), wren.Bind(author, 1))
		is.NoErr(err)
		is.Equal(ids, []int64{1, 2})
		ids, err = q.All(ctx, db, wren.Bind(author, 2), wren.Bind(minLikes, 0))
		is.NoErr(err)
		is.Equal(ids, []int64{3})
		var sent []string
		db.SetHook(hookFunc(func(e *wren.QueryEvent) { sent = append(sent, e.SQL) }))
		first, err := q.One(ctx, db, wren.Bind(minLikes, 0), wren.Bind(author, 1))
		db.SetHook(nil)
		is.NoErr(err)
		is.Equal(first, int64(1))
		// One adds LIMIT 1, as wren.One does for the same query.
		text, _, err := q.SQL(db.Dialect())
		is.NoErr(err)
		is.True(!strings.Contains(text, "LIMIT")) // All's form has none
		is.Equal(len(sent), 1)
		is.True(strings.HasPrefix(sent[0], text+" LIMIT "))
		n := 0
		for id, err := range q.Iter(ctx, db, wren.Bind(minLikes, 1000), wren.Bind(author, 1)) {
			is.NoErr(err)
			_ = id
			n++
		}
		is.Equal(n, 0)

		// Typed rows, and a prepared write.
		typed := wren.Prepare[wren.Row2[int64, string]](wren.Select2(U.ID, U.Username).From(U).Where(U.ID.EqExpr(author)))
		row, err := typed.One(ctx, db, wren.Bind(author, 2))
		is.NoErr(err)
		is.Equal(row.V2, "mickey")
		bump := wren.NewParam[int64]("bump")
		upd := wren.PrepareExec(wren.Update(T).Set(wren.SetExpr(T.Likes, T.Likes.AddExpr(bump))).Where(T.UserID.EqExpr(author)))
		for range 3 {
			res, err := upd.Exec(ctx, db, wren.Bind(bump, 10), wren.Bind(author, 1))
			is.NoErr(err)
			is.Equal(res.RowsAffected, int64(2))
		}
		ids, err = q.All(ctx, db, wren.Bind(minLikes, 30), wren.Bind(author, 1))
		is.NoErr(err)
		is.Equal(ids, []int64{1, 2})
	})
}
