package tests

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/matryer/is"

	"github.com/wrensql/wren"
	"github.com/wrensql/wren/dialect"
	"github.com/wrensql/wren/internal/golden"
)

// The rest of Peewee's query language (issue 18, part A), run on every
// database that has it; where one has not, the error wraps ErrUnsupported
// and names the dialect.

// isUnsupported fails the test unless err wraps ErrUnsupported and names d.
func isUnsupported(t *testing.T, err error, d *dialect.Dialect) {
	t.Helper()
	if !errors.Is(err, wren.ErrUnsupported) || !strings.Contains(err.Error(), " "+d.Name()) {
		t.Fatalf("want ErrUnsupported naming %s, got %v", d, err)
	}
}

// seedKeys is seed, with PostgreSQL's key sequences moved past the keys
// seed wrote by hand.
func seedKeys(t *testing.T, db *wren.DB) {
	t.Helper()
	seed(t, db)
	if db.Dialect() == dialect.Postgres {
		mustExec(t, db, "SELECT setval(pg_get_serial_sequence('tweets', 'id'), 100), setval(pg_get_serial_sequence('users', 'id'), 100)")
	}
}

func likesByID(t *testing.T, db wren.Querier) string {
	t.Helper()
	type idLikes struct {
		ID    int64
		Likes int64
	}
	rows, err := wren.All[idLikes](ctxT(t), db, wren.Select(T.ID, T.Likes).From(T).OrderBy(T.ID))
	if err != nil {
		t.Fatal(err)
	}
	return fmt.Sprint(rows)
}

func TestUpdateDeleteOrderByLimit(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *wren.DB) {
		is := is.New(t)
		ctx := ctxT(t)
		seed(t, db)
		d := db.Dialect()
		up := wren.Update(T).Set(wren.Set(T.Likes, int64(100))).Where(T.Likes.Lt(50)).OrderBy(T.ID.Desc()).Limit(2)
		res, err := wren.Exec(ctx, db, up)
		if !d.WriteLimit() {
			isUnsupported(t, err, d)
			if d == dialect.SQLite {
				// The engine itself has no UPDATE/DELETE … LIMIT
				// (built without SQLITE_ENABLE_UPDATE_DELETE_LIMIT).
				_, err := wren.Exec(ctx, db, wren.RawStmt("DELETE FROM tweets WHERE id > 0 LIMIT 1"))
				is.True(err != nil)
			}
			// What the error suggests instead: the keys from a subquery.
			res, err = wren.Exec(ctx, db, wren.Update(T).Set(wren.Set(T.Likes, int64(100))).Where(T.ID.InQuery(
				wren.SubqueryOf(T.ID).From(T).Where(T.Likes.Lt(50)).OrderBy(T.ID.Desc()).Limit(2))))
			is.NoErr(err)
			is.Equal(res.RowsAffected, int64(2))
			is.Equal(likesByID(t, db), "[{1 3} {2 100} {3 100}]")
			return
		}
		is.NoErr(err)
		is.Equal(res.RowsAffected, int64(2))
		is.Equal(likesByID(t, db), "[{1 3} {2 100} {3 100}]")

		res, err = wren.Exec(ctx, db, wren.Delete(T).Where(T.Likes.Eq(100)).OrderBy(T.ID).Limit(1))
		is.NoErr(err)
		is.Equal(res.RowsAffected, int64(1))
		is.Equal(likesByID(t, db), "[{1 3} {3 100}]")

		if d.Returning(dialect.Delete) { // MariaDB: RETURNING after LIMIT
			ids, err := wren.All[int64](ctx, db, wren.Delete(T).Where(T.Likes.Gte(0)).OrderBy(T.ID.Desc()).Limit(1).Returning(T.ID))
			is.NoErr(err)
			is.Equal(ids, []int64{3})
		}
		// The MySQL 8 rendering runs on MariaDB too.
		my := wren.OpenDB(db.SQLDB(), dialect.MySQL)
		res, err = wren.Exec(ctx, my, wren.Update(T).Set(wren.Set(T.Likes, int64(7))).All().OrderBy(T.ID).Limit(1))
		is.NoErr(err)
		is.Equal(res.RowsAffected, int64(1))
		// MySQL takes no ORDER BY / LIMIT in an UPDATE of several tables.
		_, err = wren.Exec(ctx, db, wren.Update(T).From(U).Set(wren.Set(T.Likes, int64(0))).
			Where(T.UserID.EqExpr(U.ID)).Limit(1))
		isUnsupported(t, err, d)
	})
}

// liked is a CTE of the keys of active users.
var liked = wren.CTEOf(golden.ActiveIDs, wren.Select(U.ID).From(U).Where(U.Active.Eq(true)))

// twoThree is a recursive CTE of the numbers 2 and 3.
var twoThree = wren.CTEOf(golden.Nums, wren.Select(wren.Val(int64(2)).As("n")).
	UnionAll(wren.Select(golden.Nums.N.Add(1)).From(golden.Nums).Where(golden.Nums.N.Lt(3))))

func TestWritesWithCTE(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *wren.DB) {
		is := is.New(t)
		ctx := ctxT(t)
		seedKeys(t, db)
		d := db.Dialect()
		ids, nums := golden.ActiveIDs, golden.Nums

		// INSERT … SELECT with a recursive CTE: every dialect.
		for hi, h := range handles(db) {
			res, err := wren.Exec(ctx, h, wren.Insert(T).WithRecursive(twoThree).Select(wren.Columns(T.UserID, T.Content, T.Likes),
				wren.Select(U.ID, wren.Val(fmt.Sprintf("cte%d", hi)), nums.N).From(U, nums).Where(U.Username.Eq("huey"))))
			is.NoErr(err)
			is.Equal(res.RowsAffected, int64(2))
			likes, err := wren.All[int64](ctx, h, wren.Select(T.Likes).From(T).Where(T.Content.Eq(fmt.Sprintf("cte%d", hi))).OrderBy(T.Likes))
			is.NoErr(err)
			is.Equal(likes, []int64{2, 3})
		}
		mustExec(t, db, "DELETE FROM tweets WHERE id > 3")

		up := wren.Update(T).With(liked).Set(wren.SetExpr(T.Likes, T.Likes.Add(10))).
			Where(T.UserID.InQuery(wren.SubqueryOf(ids.N).From(ids)))
		del := wren.Delete(T).WithRecursive(twoThree).Where(T.ID.InQuery(wren.SubqueryOf(nums.N).From(nums)))
		// Where WITH cannot precede UPDATE, it can go in the subquery.
		inner := wren.Update(T).Set(wren.SetExpr(T.Likes, T.Likes.Add(10))).
			Where(T.UserID.InQuery(wren.AsSubquery(wren.Select1(ids.N).From(ids).With(liked))))
		if !d.WriteWith() {
			_, err := wren.Exec(ctx, db, up)
			isUnsupported(t, err, d)
			_, err = wren.Exec(ctx, db, del)
			isUnsupported(t, err, d)
			up = inner
			del = wren.Delete(T).Where(T.ID.InQuery(wren.AsSubquery(wren.Select1(nums.N).From(nums).WithRecursive(twoThree))))
		}
		res, err := wren.Exec(ctx, db, up)
		is.NoErr(err)
		is.Equal(res.RowsAffected, int64(2))
		is.Equal(likesByID(t, db), "[{1 13} {2 10} {3 5}]")
		res, err = wren.Exec(ctx, db, inner)
		is.NoErr(err)
		is.Equal(likesByID(t, db), "[{1 23} {2 20} {3 5}]")

		// UPDATE … FROM a CTE.
		if d.WriteWith() {
			res, err = wren.Exec(ctx, db, wren.Update(T).With(liked).From(ids).Set(wren.Set(T.Likes, int64(1))).
				Where(T.UserID.EqExpr(ids.N)))
			is.NoErr(err)
			is.Equal(likesByID(t, db), "[{1 1} {2 1} {3 5}]")
		}

		res, err = wren.Exec(ctx, db, del)
		is.NoErr(err)
		is.Equal(res.RowsAffected, int64(2))
		n, err := wren.Count(ctx, db, wren.Select(T.ID).From(T))
		is.NoErr(err)
		is.Equal(n, int64(1))
	})
}

func TestReplace(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *wren.DB) {
		is := is.New(t)
		ctx := ctxT(t)
		seed(t, db)
		d := db.Dialect()
		ts := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
		row := func(id int64, name string, age int64) wren.InsertQuery {
			return wren.Replace(U).Set(wren.Set(U.ID, id), wren.Set(U.Username, name), wren.Set(U.Age, age), wren.Set(U.CreatedAt, ts))
		}
		_, err := wren.Exec(ctx, db, row(3, "zoe", 1))
		if d.Replace() == "" {
			isUnsupported(t, err, d)
			return
		}
		is.NoErr(err) // a new row
		_, err = wren.Exec(ctx, db, row(3, "zoe", 2))
		is.NoErr(err) // replaces it by key
		_, err = wren.Exec(ctx, db, row(4, "zoe", 3))
		is.NoErr(err) // replaces it by the unique username
		type idAge struct {
			ID       int64
			Username string
			Age      int64
		}
		rows, err := wren.All[idAge](ctx, db, wren.Select(U.ID, U.Username, U.Age).From(U).OrderBy(U.ID))
		is.NoErr(err)
		is.Equal(fmt.Sprint(rows), "[{1 huey 7} {2 mickey 9} {4 zoe 3}]")
	})
}

// SubTable has partial unique indexes.
type SubTable struct {
	wren.Table
	ID        wren.Column[int64] `wren:",pk"`
	Email     wren.Column[string]
	Code      wren.Column[int64]
	Active    wren.Column[bool]
	DeletedAt wren.Column[*time.Time]
	N         wren.Column[int64]
}

var Subs = wren.NewTable[SubTable]("subs")

func TestUpsertPartialIndex(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *wren.DB) {
		is := is.New(t)
		ctx := ctxT(t)
		seed(t, db)
		d := db.Dialect()

		// The one "do nothing" that works everywhere: no target.
		res, err := wren.Exec(ctx, db, wren.Insert(U).Set(wren.Set(U.Username, "huey")).OnConflict().DoNothing())
		is.NoErr(err)
		is.Equal(res.RowsAffected, int64(0))

		// INSERT … SELECT (without WHERE) … ON CONFLICT: SQLite needs a WHERE
		// to parse it, which wren adds; MySQL needs the target's columns
		// qualified in ON DUPLICATE KEY UPDATE (and the query's table
		// aliased when it is the target table).
		src := wren.Alias(T, "src")
		res, err = wren.Exec(ctx, db, wren.Insert(T).Select(wren.Columns(T.ID, T.UserID, T.Content),
			wren.Select(src.ID, src.UserID, src.Content).From(src)).OnConflict(T.ID).DoNothing())
		is.NoErr(err)
		is.Equal(res.RowsAffected, int64(0))

		live := wren.Insert(Subs).OnConflict(Subs.Email).Where(Subs.DeletedAt.IsNull())
		if d.Upsert() != dialect.OnConflict {
			_, err := wren.Exec(ctx, db, wren.Insert(Subs).Set(wren.Set(Subs.Email, "a")).OnConflict(Subs.Email).
				Where(Subs.DeletedAt.IsNull()).DoNothing())
			isUnsupported(t, err, d)
			_ = live
			return
		}
		active := "active"
		if d == dialect.SQLite {
			active = "active = 1" // SQLite matches the index's terms as written
		}
		mustExec(t, db, "CREATE TABLE subs (id BIGINT PRIMARY KEY, email TEXT NOT NULL, code BIGINT NOT NULL, active BOOLEAN NOT NULL, deleted_at TIMESTAMP, n BIGINT NOT NULL)")
		mustExec(t, db, "CREATE UNIQUE INDEX subs_live ON subs (email) WHERE deleted_at IS NULL")
		mustExec(t, db, "CREATE UNIQUE INDEX subs_code ON subs (code) WHERE "+active)

		// Ten runs, planned generically on PostgreSQL (as a cached prepared
		// statement is after five): the index is still found, since its
		// predicate is written with constants, not parameters.
		tx, err := db.Begin(ctx)
		is.NoErr(err)
		defer tx.Rollback(ctx)
		if d == dialect.Postgres {
			_, err := wren.Exec(ctx, tx, wren.RawStmt("SET LOCAL plan_cache_mode = force_generic_plan"))
			is.NoErr(err)
		}
		for i := int64(1); i <= 10; i++ {
			_, err := wren.Exec(ctx, tx, wren.Insert(Subs).Set(wren.Set(Subs.ID, i), wren.Set(Subs.Email, "a"),
				wren.Set(Subs.Code, 100+i), wren.Set(Subs.Active, false), wren.Set(Subs.N, int64(1))).
				OnConflict(Subs.Email).Where(Subs.DeletedAt.IsNull()).
				DoUpdate([]wren.Assignment{wren.SetExpr(Subs.N, Subs.N.Add(1))}))
			is.NoErr(err)
			_, err = wren.Exec(ctx, tx, wren.Insert(Subs).Set(wren.Set(Subs.ID, 100+i), wren.Set(Subs.Email, fmt.Sprint("c", i)),
				wren.Set(Subs.Code, int64(7)), wren.Set(Subs.Active, true), wren.Set(Subs.N, int64(1))).
				OnConflict(Subs.Code).Where(Subs.Active.Eq(true)).DoNothing())
			is.NoErr(err)
		}
		is.NoErr(tx.Commit(ctx))
		type sub struct {
			ID    int64
			Email string
			N     int64
		}
		got, err := wren.All[sub](ctx, db, wren.Select(Subs.ID, Subs.Email, Subs.N).From(Subs).OrderBy(Subs.ID))
		is.NoErr(err)
		is.Equal(fmt.Sprint(got), "[{1 a 10} {101 c1 1}]")

		// A soft-deleted row is outside the index: the same email again is new.
		_, err = wren.Exec(ctx, db, wren.Update(Subs).Set(wren.Set(Subs.DeletedAt, &[]time.Time{time.Now()}[0])).Where(Subs.ID.Eq(1)))
		is.NoErr(err)
		_, err = wren.Exec(ctx, db, wren.Insert(Subs).Set(wren.Set(Subs.ID, int64(50)), wren.Set(Subs.Email, "a"),
			wren.Set(Subs.Code, int64(50)), wren.Set(Subs.Active, false), wren.Set(Subs.N, int64(1))).
			OnConflict(Subs.Email).Where(Subs.DeletedAt.IsNull()).DoNothing())
		is.NoErr(err)
		n, err := wren.Count(ctx, db, wren.Select(Subs.ID).From(Subs).Where(Subs.Email.Eq("a")))
		is.NoErr(err)
		is.Equal(n, int64(2))
	})
}

func TestRowLocksOf(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *wren.DB) {
		is := is.New(t)
		ctx := ctxT(t)
		seedKeys(t, db)
		d := db.Dialect()
		lockTweet := wren.Select(T.ID, U.Username).From(T).Join(U, T.UserID.EqExpr(U.ID)).Where(T.ID.Eq(1)).ForUpdate().Of(T)
		noKey := wren.Select(U.ID).From(U).Where(U.ID.Eq(1)).ForNoKeyUpdate()
		if !d.NoKeyUpdateLock() {
			_, err := wren.All[int64](ctx, db, noKey)
			isUnsupported(t, err, d)
		}
		if !d.LockOf() {
			_, err := wren.All[struct {
				ID       int64
				Username string
			}](ctx, db, lockTweet)
			isUnsupported(t, err, d)
			return
		}
		tx1, err := db.Begin(ctx)
		is.NoErr(err)
		defer tx1.Rollback(ctx)
		tx2, err := db.Begin(ctx)
		is.NoErr(err)
		defer tx2.Rollback(ctx)
		type tweetUser struct {
			ID       int64
			Username string
		}
		got, err := wren.All[tweetUser](ctx, tx1, lockTweet)
		is.NoErr(err)
		is.Equal(len(got), 1)
		// The user row it joined is not locked, the tweet is.
		_, err = wren.All[int64](ctx, tx2, wren.Select(U.ID).From(U).Where(U.ID.Eq(1)).ForUpdate().NoWait())
		is.NoErr(err)
		_, err = wren.All[int64](ctx, tx2, wren.Select(T.ID).From(T).Where(T.ID.Eq(1)).ForUpdate().NoWait())
		is.True(err != nil)
		is.NoErr(tx2.Rollback(ctx))
		is.NoErr(tx1.Rollback(ctx))

		if !d.NoKeyUpdateLock() {
			return
		}
		// FOR NO KEY UPDATE lets another transaction insert a row that
		// refers to the locked one (FOR UPDATE would block it).
		tx1, err = db.Begin(ctx)
		is.NoErr(err)
		defer tx1.Rollback(ctx)
		_, err = wren.All[int64](ctx, tx1, noKey)
		is.NoErr(err)
		tx2, err = db.Begin(ctx)
		is.NoErr(err)
		defer tx2.Rollback(ctx)
		_, err = wren.Exec(ctx, tx2, wren.RawStmt("SET LOCAL lock_timeout = '3s'"))
		is.NoErr(err)
		_, err = wren.Exec(ctx, tx2, wren.Insert(T).Set(wren.Set(T.UserID, int64(1)), wren.Set(T.Content, "while locked")))
		is.NoErr(err)
	})
}

func TestSimpleCaseAndPredicateColumns(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *wren.DB) {
		is := is.New(t)
		ctx := ctxT(t)
		seed(t, db)
		none := "none"
		type row struct {
			Username string
			Kind     string
			Adult    bool
			Liked    bool
			Known    *string
		}
		got, err := wren.All[row](ctx, db, wren.Select(U.Username,
			wren.CaseOf[string](U.Age).When(7, "seven").When(9, "nine").Else("other").As("kind"),
			U.Age.Gte(8).As("adult"),
			wren.ExistsOf(wren.Select(T.ID).From(T).Where(T.UserID.EqExpr(U.ID), T.Likes.Gt(4))).As("liked"),
			wren.CaseOf[*string](U.Email).When(nil, &none).End().As("known")).From(U).OrderBy(U.ID))
		is.NoErr(err)
		is.Equal(len(got), 2)
		is.Equal(got[0].Kind, "seven")
		is.Equal(got[1].Kind, "nine")
		is.Equal([]bool{got[0].Adult, got[1].Adult, got[0].Liked, got[1].Liked}, []bool{false, true, false, true})
		is.Equal(got[0].Known, nil)
		is.Equal(*got[1].Known, "none")

		// A simple CASE of expressions, in WHERE.
		names, err := wren.All[string](ctx, db, wren.Select(U.Username).From(U).Where(
			wren.CaseOf[int64](U.Username).WhenExpr(wren.Lower(U.Username), U.Age).Else(0).Gt(8)))
		is.NoErr(err)
		is.Equal(names, []string{"mickey"})

		// A predicate compared as a value.
		names, err = wren.All[string](ctx, db, wren.Select(U.Username).From(U).Where(U.Age.Gte(8).Expr().Eq(true)))
		is.NoErr(err)
		is.Equal(names, []string{"mickey"})
	})
}

func TestGroupByTableReplaceColumnsOrWhere(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *wren.DB) {
		is := is.New(t)
		ctx := ctxT(t)
		seed(t, db)
		type withCount struct {
			User
			Tweets int64
		}
		got, err := wren.All[withCount](ctx, db, wren.Select(U, wren.CountOf(T.ID).As("tweets")).From(U).
			LeftJoin(T, T.UserID.EqExpr(U.ID)).GroupBy(U).OrderBy(U.ID))
		is.NoErr(err)
		is.Equal(len(got), 2)
		is.Equal(got[0].Username, "huey")
		is.Equal(got[0].Tweets, int64(2))
		is.Equal(got[1].Tweets, int64(1))

		base := wren.Select(U).From(U).Where(U.Active.Eq(true))
		n, err := wren.One[int64](ctx, db, base.ReplaceColumns(wren.CountAll()).ReplaceColumns(wren.CountOf(U.ID)))
		is.NoErr(err)
		is.Equal(n, int64(1))

		q := wren.Select(U.Username).From(U).OrderBy(U.Username)
		for _, name := range []string{"mickey", "huey", "nobody"} {
			q = q.OrWhere(U.Username.Eq(name))
		}
		names, err := wren.All[string](ctx, db, q.Where(U.Age.Gt(0)))
		is.NoErr(err)
		is.Equal(names, []string{"huey", "mickey"})

		res, err := wren.Exec(ctx, db, wren.Update(T).Set(wren.Set(T.Likes, int64(0))).OrWhere(T.ID.Eq(1)).OrWhere(T.ID.Eq(3)))
		is.NoErr(err)
		is.Equal(res.RowsAffected, int64(2))
		res, err = wren.Exec(ctx, db, wren.Delete(T).Where(T.Likes.Gt(0)).OrWhere(T.ID.Eq(3), T.ID.Eq(2)))
		is.NoErr(err)
		is.Equal(res.RowsAffected, int64(2))
	})
}

func TestOneLimitsToOne(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *wren.DB) {
		is := is.New(t)
		ctx := ctxT(t)
		seed(t, db)
		id, err := wren.One[int64](ctx, db, wren.Select(T.ID).From(T).OrderBy(T.ID).Offset(1))
		is.NoErr(err)
		is.Equal(id, int64(2))
		id, err = wren.Value(ctx, db, wren.Select1(T.ID).From(T).OrderBy(T.ID.Desc()))
		is.NoErr(err)
		is.Equal(id, int64(3))
		_, err = wren.One[int64](ctx, db, wren.Select(T.ID).From(T).Where(T.ID.Gt(10)))
		is.True(errors.Is(err, wren.ErrNoRows))
		// A lookup by primary key runs without LIMIT 1 (at most one row).
		var sent []string
		db.SetHook(hookFunc(func(e *wren.QueryEvent) { sent = append(sent, e.SQL) }))
		id, err = wren.One[int64](ctx, db, wren.Select(T.ID).From(T).Where(T.ID.Eq(2)))
		is.NoErr(err)
		is.Equal(id, int64(2))
		key := wren.NewParam[int64]("key")
		id, err = wren.Prepare[int64](wren.Select(T.ID).From(T).Where(T.ID.EqExpr(key))).One(ctx, db, wren.Bind(key, int64(3)))
		is.NoErr(err)
		is.Equal(id, int64(3))
		_, err = wren.One[int64](ctx, db, wren.Select(T.ID).From(T).Where(T.ID.Eq(10)))
		is.True(errors.Is(err, wren.ErrNoRows))
		// So does a count, one row however many it counts.
		n, err := wren.One[int64](ctx, db, wren.Select(wren.CountAll()).From(T))
		is.NoErr(err)
		is.Equal(n, int64(3))
		db.SetHook(nil)
		is.Equal(len(sent), 4)
		for _, s := range sent {
			is.True(!strings.Contains(s, "LIMIT"))
		}
	})
}
