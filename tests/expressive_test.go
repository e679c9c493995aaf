package tests

import (
	"errors"
	"testing"
	"time"

	"github.com/matryer/is"

	"github.com/wrensql/wren"
	"github.com/wrensql/wren/dialect"
	"github.com/wrensql/wren/internal/golden"
)

func TestAggregatesAndFunctions(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *wren.DB) {
		is := is.New(t)
		ctx := ctxT(t)
		seed(t, db)
		type stats struct {
			N      int64
			Emails int64
			Ages   int64
			Total  int64
			Mean   float64
			Best   float64
			Likes  int64
		}
		s, err := wren.One[stats](ctx, db, wren.Select(wren.CountAll().As("n"), wren.CountOf(U.Email).As("emails"),
			wren.CountDistinct(U.Age).As("ages"), wren.Sum(U.Age).As("total"), wren.Avg(U.Age).As("mean"),
			wren.Max(U.Score).As("best"), wren.SubqueryOf(wren.Sum(T.Likes)).From(T).Expr().As("likes")).From(U))
		is.NoErr(err)
		is.Equal(s, stats{N: 2, Emails: 1, Ages: 2, Total: 16, Mean: 8, Best: 2.25, Likes: 8})

		type fns struct {
			Email *string // Coalesce of *string values is a *string
			Lo    string
			Up    string
			Len   int64
			Abs   int64
			R     float64
			C     string
			Stage string
			S     string
		}
		f, err := wren.One[fns](ctx, db, wren.Select(
			wren.Coalesce(U.Email, wren.Val(ptr("none"))).As("email"),
			wren.Lower(wren.Val("HuEy")).As("lo"), wren.Upper(U.Username).As("up"),
			wren.Length(wren.Val("héllo")).As("len"), wren.Abs(U.Age.Neg()).As("abs"),
			wren.Round(wren.Val(2.26), 1).As("r"), wren.Concat(U.Username, wren.Val("!")).As("c"),
			wren.Case[string]().When(U.Age.Lt(8), "young").Else("old").As("stage"),
			wren.Cast[string](U.Age).As("s"),
		).From(U).Where(U.Username.Eq("mickey")))
		is.NoErr(err)
		is.Equal(f, fns{Email: ptr("none"), Lo: "huey", Up: "MICKEY", Len: 5, Abs: 9, R: 2.3, C: "mickey!", Stage: "old", S: "9"})

		// Grouping, HAVING, ordering by an aggregate's alias.
		type perUser struct {
			Username string
			Tweets   int64
		}
		ct := wren.CountOf(T.ID).As("tweets")
		rows, err := wren.All[perUser](ctx, db, wren.Select(U.Username, ct).From(U).LeftJoin(T, T.UserID.EqExpr(U.ID)).
			GroupBy(U.ID, U.Username).Having(wren.CountOf(T.ID).Gte(1)).OrderBy(ct.Desc()))
		is.NoErr(err)
		is.Equal(rows, []perUser{{"huey", 2}, {"mickey", 1}})

		// Now compares with stored times (the seeds lie in the future).
		n, err := wren.Count(ctx, db, wren.Select(U.ID).From(U).Where(U.CreatedAt.GtExpr(wren.Now())))
		is.NoErr(err)
		is.Equal(n, int64(2))
	})
}

func TestJoinsAllKinds(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *wren.DB) {
		is := is.New(t)
		ctx := ctxT(t)
		seed(t, db)
		mustExec(t, db, "INSERT INTO users (id, username, age, score, active, created_at) VALUES (3, 'quiet', 1, 0, ?, ?)", true, "2026-01-01 00:00:00")
		type pair struct {
			Username *string
			Content  *string
		}
		base := wren.Select(U.Username, T.Content).From(U)
		left, err := wren.All[pair](ctx, db, base.LeftJoin(T).OrderBy(U.ID, T.ID))
		is.NoErr(err)
		is.Equal(len(left), 4)
		is.Equal(left[3].Content, nil) // quiet has no tweets
		inner, err := wren.All[pair](ctx, db, base.Join(T).OrderBy(T.ID))
		is.NoErr(err)
		is.Equal(len(inner), 3)
		right, err := wren.All[pair](ctx, db, base.RightJoin(T, T.UserID.EqExpr(U.ID), U.Age.Gt(8)).OrderBy(T.ID))
		is.NoErr(err)
		is.Equal(len(right), 3)
		is.Equal(right[0].Username, nil) // huey's tweets have no match with age > 8
		full, err := wren.All[pair](ctx, db, base.FullJoin(T, T.UserID.EqExpr(U.ID), U.Age.Gt(8)))
		if db.Dialect().FullJoin() {
			is.NoErr(err)
			is.Equal(len(full), 5) // huey, quiet unmatched; meow, purr unmatched; mickey+woof
		} else {
			is.True(errors.Is(err, wren.ErrUnsupported))
		}
		cross, err := wren.Count(ctx, db, wren.Select(U.ID).From(U).CrossJoin(T))
		is.NoErr(err)
		is.Equal(cross, int64(9))
		// Self-join through an alias.
		older := wren.Alias(U, "older")
		type sj struct {
			Username string
			Older    string
		}
		pairs, err := wren.All[sj](ctx, db, wren.Select(U.Username, older.Username.As("older")).From(U).
			Join(older, older.Age.GtExpr(U.Age)).OrderBy(U.ID, older.ID))
		is.NoErr(err)
		is.Equal(pairs, []sj{{"huey", "mickey"}, {"quiet", "huey"}, {"quiet", "mickey"}})
	})
}

func TestSubqueriesCTEsWindowsCompounds(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *wren.DB) {
		is := is.New(t)
		ctx := ctxT(t)
		seed(t, db)
		huey := wren.SubqueryOf(U.ID).From(U).Where(U.Username.Eq("huey"))
		got, err := wren.All[string](ctx, db, wren.Select(T.Content).From(T).Where(T.UserID.InQuery(huey)).OrderBy(T.ID))
		is.NoErr(err)
		is.Equal(got, []string{"meow", "purr"})
		got, err = wren.All[string](ctx, db, wren.Select(T.Content).From(T).Where(T.UserID.NotInQuery(huey)))
		is.NoErr(err)
		is.Equal(got, []string{"woof"})
		got, err = wren.All[string](ctx, db, wren.Select(U.Username).From(U).Where(wren.ExistsOf(
			wren.Select(T.ID).From(T).Where(T.UserID.EqExpr(U.ID), T.Likes.Gt(4)))))
		is.NoErr(err)
		is.Equal(got, []string{"mickey"})
		got, err = wren.All[string](ctx, db, wren.Select(U.Username).From(U).Where(wren.NotExistsOf(
			wren.Select(T.ID).From(T).Where(T.UserID.EqExpr(U.ID), T.Likes.Gt(4)))))
		is.NoErr(err)
		is.Equal(got, []string{"huey"})

		// Derived table and CTE with typed columns.
		type top struct {
			UserID int64
			N      int64
		}
		tops, err := wren.All[top](ctx, db, wren.Select(golden.Top.UserID, golden.Top.N).From(golden.Top).
			Where(golden.Top.N.Gt(1)))
		is.NoErr(err)
		is.Equal(tops, []top{{1, 2}})
		busy := golden.Busy
		tops, err = wren.All[top](ctx, db, wren.Select(busy.UserID, busy.N).From(busy).Where(busy.N.Gte(1)).OrderBy(busy.UserID).
			With(wren.CTEOf(busy, wren.Select(T.UserID, wren.CountAll().As("n")).From(T).Where(T.Likes.Gt(0)).GroupBy(T.UserID))))
		is.NoErr(err)
		is.Equal(tops, []top{{1, 1}, {2, 1}})
		nums := golden.Nums
		ns, err := wren.All[int64](ctx, db, wren.Select(nums.N).From(nums).OrderBy(nums.N).WithRecursive(wren.CTEOf(nums,
			wren.Select(wren.Val(int64(1)).As("n")).UnionAll(wren.Select(nums.N.Add(1)).From(nums).Where(nums.N.Lt(5))))))
		is.NoErr(err)
		is.Equal(ns, []int64{1, 2, 3, 4, 5})
		// A WITH on a whole compound is visible to every member, also past a
		// parenthesised (or, on SQLite, wrapped) member with its own LIMIT.
		cids, err := wren.All[int64](ctx, db, wren.Select(busy.UserID).From(busy).Where(busy.N.Gte(2)).
			OrderBy(busy.N.Desc()).Limit(1).
			Union(wren.Select(busy.UserID).From(busy).Where(busy.N.Lt(2))).OrderBy(busy.UserID).
			With(wren.CTEOf(busy, wren.Select(T.UserID, wren.CountAll().As("n")).From(T).GroupBy(T.UserID))))
		is.NoErr(err)
		is.Equal(cids, []int64{1, 2})
		// A compound select as a derived table.
		type total struct {
			UserID int64
			Total  int64
		}
		totals, err := wren.All[total](ctx, db, wren.Select(golden.Either.UserID, wren.Sum(golden.Either.N).As("total")).
			From(golden.Either).GroupBy(golden.Either.UserID).OrderBy(golden.Either.UserID))
		is.NoErr(err)
		is.Equal(totals, []total{{1, 10}, {2, 14}})

		// Window functions.
		type win struct {
			ID      int64
			Rn      int64
			Rk      int64
			Prev    *int64
			Running int64
		}
		ws, err := wren.All[win](ctx, db, wren.Select(T.ID,
			wren.RowNumber().Over(wren.Window().PartitionBy(T.UserID).OrderBy(T.ID)).As("rn"),
			wren.Rank().Over(wren.Window().OrderBy(T.Likes.Desc())).As("rk"),
			wren.Lag(T.Likes, 1).Over(wren.Window().OrderBy(T.ID)).As("prev"),
			wren.Sum(T.Likes).Over(wren.Window().OrderBy(T.ID).Rows(wren.UnboundedPreceding, wren.CurrentRow)).As("running"),
		).From(T).OrderBy(T.ID))
		is.NoErr(err)
		is.Equal(len(ws), 3)
		is.Equal(ws[0], win{ID: 1, Rn: 1, Rk: 2, Prev: nil, Running: 3})
		is.Equal(*ws[1].Prev, int64(3))
		is.Equal(ws[1].Rn, int64(2))
		is.Equal(ws[2].Rk, int64(1))
		is.Equal(ws[2].Running, int64(8))

		// Compound selects with ORDER BY and LIMIT on the whole.
		names, err := wren.All[string](ctx, db, wren.Select(U.Username.As("name")).From(U).
			Union(wren.Select(T.Content).From(T)).OrderBy(wren.Val("").As("name").Desc()).Limit(3))
		is.NoErr(err)
		is.Equal(names, []string{"woof", "purr", "mickey"})
		ids, err := wren.All[int64](ctx, db, wren.Select(U.ID).From(U).Intersect(wren.Select(T.UserID).From(T).Where(T.Likes.Gt(4))))
		is.NoErr(err)
		is.Equal(ids, []int64{2})
		ids, err = wren.All[int64](ctx, db, wren.Select(U.ID).From(U).Except(wren.Select(T.UserID).From(T).Where(T.Likes.Gt(4))))
		is.NoErr(err)
		is.Equal(ids, []int64{1})
		all, err := wren.All[int64](ctx, db, wren.Select(T.UserID).From(T).UnionAll(wren.Select(U.ID).From(U).OrderBy(U.Age.Desc()).Limit(1)))
		is.NoErr(err)
		is.Equal(len(all), 4)

		// DISTINCT ON: PostgreSQL only.
		type first struct {
			UserID  int64
			Content string
		}
		firsts, err := wren.All[first](ctx, db, wren.Select(T.UserID, T.Content).DistinctOn(T.UserID).From(T).OrderBy(T.UserID, T.Likes.Desc()))
		if db.Dialect() == dialect.Postgres {
			is.NoErr(err)
			is.Equal(firsts, []first{{1, "meow"}, {2, "woof"}})
		} else {
			is.True(errors.Is(err, wren.ErrUnsupported))
		}
	})
}

// TestRoundHalves pins down how each database rounds halves, as Round's
// documentation states.
func TestRoundHalves(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *wren.DB) {
		is := is.New(t)
		type halves struct{ Away, A, B, C float64 }
		got, err := wren.One[halves](ctxT(t), db, wren.Select(wren.Round(wren.Val(2.2449), 2).As("away"),
			wren.Round(wren.Val(2.675), 2).As("a"), wren.Round(wren.Val(2.25), 1).As("b"), wren.Round(wren.Val(-0.125), 2).As("c")))
		is.NoErr(err)
		want := halves{Away: 2.24, A: 2.68, B: 2.3, C: -0.13} // PostgreSQL
		switch db.Dialect() {
		case dialect.SQLite:
			want.A = 2.67
		case dialect.MySQL, dialect.MariaDB:
			want.B, want.C = 2.2, -0.12
		}
		is.Equal(got, want)
	})
}

func TestWindowDefaultsAndRange(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *wren.DB) {
		is := is.New(t)
		seed(t, db)
		type row struct {
			ID   int64
			Prev int64
			Next string
			Near int64
		}
		got, err := wren.All[row](ctxT(t), db, wren.Select(T.ID,
			wren.LagOr(T.Likes, 1, 0).Over(wren.Window().OrderBy(T.ID)).As("prev"),
			wren.LeadOr(T.Content, 1, "-").Over(wren.Window().PartitionBy(T.UserID).OrderBy(T.ID)).As("next"),
			wren.Min(T.Likes).Over(wren.Window().OrderBy(T.Likes).Range(wren.Preceding(2), wren.CurrentRow)).As("near")).
			From(T).OrderBy(T.ID))
		is.NoErr(err)
		is.Equal(got, []row{{1, 0, "purr", 3}, {2, 3, "-", 0}, {3, 0, "-", 3}})

		type nt struct {
			ID    int64
			Half  int64
			First string
		}
		nts, err := wren.All[nt](ctxT(t), db, wren.Select(T.ID,
			wren.AggFunc[int64]("NTILE", wren.Val(int32(2))).Over(wren.Window().OrderBy(T.Likes)).As("half"),
			wren.AggFunc[string]("FIRST_VALUE", T.Content).Over(wren.Window().PartitionBy(T.UserID).OrderBy(T.ID)).As("first")).
			From(T).OrderBy(T.ID))
		is.NoErr(err)
		is.Equal(nts, []nt{{1, 1, "meow"}, {2, 1, "meow"}, {3, 2, "woof"}}) // likes 3, 0, 5: halves {0, 3}, {5}

		_, err = wren.All[int64](ctxT(t), db, wren.Select(wren.Lead(T.Likes, -2).Over(wren.Window().OrderBy(T.ID))).From(T))
		is.True(err != nil) // a negative offset is refused before it reaches the server
	})
}

func TestCompoundSubquery(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *wren.DB) {
		is := is.New(t)
		seed(t, db)
		// Users with a tweet of more than 4 likes (mickey), or younger than 8 (huey).
		either := wren.SubqueryOf(T.UserID).From(T).Where(T.Likes.Gt(4)).
			Union(wren.SubqueryOf(U.ID).From(U).Where(U.Age.Lt(8)))
		got, err := wren.All[string](ctxT(t), db, wren.Select(U.Username).From(U).Where(U.ID.InQuery(either)).OrderBy(U.Username))
		is.NoErr(err)
		is.Equal(got, []string{"huey", "mickey"})
		// Only mickey's id is in both.
		both := wren.SubqueryOf(T.UserID).From(T).Where(T.Likes.Gt(4)).
			Intersect(wren.SubqueryOf(U.ID).From(U).Where(U.Age.Gt(8)))
		got, err = wren.All[string](ctxT(t), db, wren.Select(U.Username).From(U).Where(U.ID.InQuery(both)))
		is.NoErr(err)
		is.Equal(got, []string{"mickey"})
		// The compound subquery runs as a statement of its own, ordered as a whole.
		ids, err := wren.All[int64](ctxT(t), db, either.UnionAll(wren.SubqueryOf(T.ID).From(T).Where(T.ID.Eq(3))).OrderBy(T.UserID.Desc()))
		is.NoErr(err)
		is.Equal(ids, []int64{3, 2, 1})
	})
}

// TestCastEveryType casts to each Go type wren maps and scans the result
// back on every database.
func TestCastEveryType(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *wren.DB) {
		is := is.New(t)
		seed(t, db)
		type casts struct {
			B   bool
			T   time.Time
			F   float64
			I   int64
			S   string
			I32 int32
			F32 float32
			By  []byte
		}
		got, err := wren.One[casts](ctxT(t), db, wren.Select(wren.Cast[bool](U.Active).As("b"),
			wren.Cast[time.Time](wren.Val("2024-01-02 03:04:05")).As("t"), wren.Cast[float64](U.Age).As("f"),
			wren.Cast[int64](wren.Val("42")).As("i"), wren.Cast[string](U.Score).As("s"), wren.Cast[int32](U.Age).As("i32"),
			wren.Cast[float32](U.Score).As("f32"), wren.Cast[[]byte](U.Username).As("by")).From(U).Where(U.ID.Eq(1)))
		is.NoErr(err)
		is.True(got.T.Equal(time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC))) // the Location differs by driver
		got.T = time.Time{}
		is.Equal(got, casts{B: true, F: 7, I: 42, S: "1.5", I32: 7, F32: 1.5, By: []byte("huey")})

		// The sum of no rows is NULL; Coalesce gives the typed zero.
		s, err := wren.One[int64](ctxT(t), db, wren.Select(wren.Coalesce(wren.Sum(T.Likes), wren.Val(int64(0))).As("s")).
			From(T).Where(T.ID.Gt(100)))
		is.NoErr(err)
		is.Equal(s, int64(0))
	})
}
