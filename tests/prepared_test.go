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

type prepPlanRow struct {
	ID   int64
	Name string
	Note *string
}

// TestPreparedPlanFollowsColumns: a Prepared query keeps its scan plan,
// and builds another when the result's columns change (SELECT * after an
// ALTER TABLE): the new column is read, not shifted into another field.
func TestPreparedPlanFollowsColumns(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *wren.DB) {
		ctx := ctxT(t)
		mustExec(t, db, "DROP TABLE IF EXISTS prep_plan")
		mustExec(t, db, "CREATE TABLE prep_plan (id BIGINT PRIMARY KEY, name VARCHAR(20) NOT NULL)")
		mustExec(t, db, "INSERT INTO prep_plan (id, name) VALUES (1, 'a')")
		q := wren.Prepare[prepPlanRow](wren.RawStmt("SELECT * FROM prep_plan"))
		for range 2 {
			got, err := q.One(ctx, db)
			if err != nil {
				t.Fatal(err)
			}
			if got.ID != 1 || got.Name != "a" || got.Note != nil {
				t.Fatalf("got %+v", got)
			}
		}
		mustExec(t, db, "ALTER TABLE prep_plan ADD COLUMN note VARCHAR(20)")
		mustExec(t, db, "UPDATE prep_plan SET note = 'n'")
		var got prepPlanRow
		var err error
		for range 2 { // pgx may report the changed result once, then prepare again
			if got, err = q.One(ctx, db); err == nil {
				break
			}
		}
		if err != nil {
			t.Fatal(err)
		}
		if got.ID != 1 || got.Name != "a" || got.Note == nil || *got.Note != "n" {
			t.Fatalf("after ADD COLUMN: got %+v", got)
		}
	})
}
