package tests

import (
	"errors"
	"strings"
	"testing"

	"github.com/matryer/is"

	"github.com/wrensql/wren"
	"github.com/wrensql/wren/dialect"
	"github.com/wrensql/wren/internal/golden"
)

// The forms of issue 18 part B, run on every database that has them; the
// others must refuse them with ErrUnsupported naming the dialect.

// unsupportedOn checks that err wraps ErrUnsupported and names d.
func unsupportedOn(t *testing.T, err error, d *dialect.Dialect) {
	t.Helper()
	if !errors.Is(err, wren.ErrUnsupported) {
		t.Fatalf("want ErrUnsupported on %s, got %v", d, err)
	}
	if want := "on " + d.Name(); !strings.Contains(err.Error(), want) {
		t.Fatalf("error %q does not name %s", err, d)
	}
}

type mixTable struct {
	wren.Table
	N    wren.Column[int64]
	Note wren.Column[*string]
	F    wren.Column[float64]
	On   wren.Column[bool]
}

type mixRow struct {
	N    int64
	Note *string
	F    float64
	On   bool
}

func TestValuesList(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *wren.DB) {
		is := is.New(t)
		ctx := ctxT(t)
		seed(t, db)
		v := golden.Pairs
		type got struct {
			Name    string
			Content string
		}
		rows, err := wren.All[got](ctx, db, wren.Select(v.Name, T.Content).From(v).
			Join(T, T.UserID.EqExpr(v.ID)).OrderBy(T.ID))
		is.NoErr(err)
		is.Equal(rows, []got{{"huey", "meow"}, {"huey", "purr"}, {"mickey", "woof"}})

		// Every kind of value, a NULL first among them, keeps its type.
		mix := wren.ValuesList[mixTable]("mix", mixRow{N: 1, F: 0.5, On: true}, mixRow{N: -2, Note: ptr("two"), F: 2}, mixRow{N: 3, Note: ptr("")})
		ms, err := wren.All[mixRow](ctx, db, wren.Select(mix).From(mix).OrderBy(mix.N))
		is.NoErr(err)
		is.Equal(ms, []mixRow{{N: -2, Note: ptr("two"), F: 2}, {N: 1, F: 0.5, On: true}, {N: 3, Note: ptr("")}})

		// Typed: a select of the list's columns reads back as Row2.
		rs, err := wren.Rows(ctx, db, wren.Select2(v.ID, v.Name).From(v).OrderBy(v.ID.Desc()))
		is.NoErr(err)
		is.Equal(rs, []wren.Row2[int64, string]{{V1: 2, V2: "mickey"}, {V1: 1, V2: "huey"}})
	})
}

func TestLateralJoin(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *wren.DB) {
		is := is.New(t)
		ctx := ctxT(t)
		seed(t, db)
		l := golden.TopLiked
		q := wren.Select(U.Username, l.TweetID, l.Likes).From(U).JoinLateral(l).OrderBy(U.ID, l.Likes.Desc())
		type got struct {
			Username string
			TweetID  int64
			Likes    int64
		}
		rows, err := wren.All[got](ctx, db, q)
		if !db.Dialect().Lateral() {
			unsupportedOn(t, err, db.Dialect())
			return
		}
		is.NoErr(err)
		is.Equal(rows, []got{{"huey", 1, 3}, {"huey", 2, 0}, {"mickey", 3, 5}})

		// LEFT JOIN LATERAL keeps the users the subquery has nothing for.
		mustExec(t, db, "INSERT INTO users (id, username, age, score, active, created_at) VALUES (3, 'quiet', 1, 0, ?, ?)", true, "2026-01-01 00:00:00")
		type left struct {
			Username string
			Likes    *int64
		}
		ls, err := wren.All[left](ctx, db, wren.Select(U.Username, wren.Nullable(l.Likes).As("likes")).From(U).
			LeftJoinLateral(l, l.Likes.Gt(0)).OrderBy(U.ID))
		is.NoErr(err)
		is.Equal(ls, []left{{"huey", ptr(int64(3))}, {"mickey", ptr(int64(5))}, {"quiet", nil}})
	})
}

func TestRowValues(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *wren.DB) {
		is := is.New(t)
		ctx := ctxT(t)
		seed(t, db)
		mustExec(t, db, "INSERT INTO tweets (id, user_id, content, likes, created_at) VALUES (4, 2, 'bark', 3, ?), (5, 2, 'yip', 0, ?)", "2026-01-01 00:00:00", "2026-01-01 00:00:00")

		// Keyset pagination by (likes DESC, id DESC), two rows a page.
		page := func(after *wren.Row2[int64, int64]) []wren.Row2[int64, int64] {
			q := wren.Select2(T.Likes, T.ID).From(T).OrderBy(T.Likes.Desc(), T.ID.Desc()).Limit(2)
			if after != nil {
				q = q.Where(wren.Tuple2(T.Likes, T.ID).Lt(after.V1, after.V2))
			}
			rows, err := wren.Rows(ctx, db, q)
			is.NoErr(err)
			return rows
		}
		var seen []int64
		var after *wren.Row2[int64, int64]
		for {
			rows := page(after)
			if len(rows) == 0 {
				break
			}
			for _, r := range rows {
				seen = append(seen, r.V2)
			}
			after = &rows[len(rows)-1]
		}
		is.Equal(seen, []int64{3, 4, 1, 5, 2}) // 5, 3, 3, 0, 0 likes

		ids := func(p wren.Predicate) []int64 {
			got, err := wren.Values(ctx, db, wren.Select1(T.ID).From(T).Where(p).OrderBy(T.ID))
			is.NoErr(err)
			return got
		}
		is.Equal(ids(wren.Tuple2(T.Likes, T.ID).Gte(3, 4)), []int64{3, 4})
		is.Equal(ids(wren.Tuple2(T.Likes, T.ID).Lte(0, 5)), []int64{2, 5})
		is.Equal(ids(wren.Tuple2(T.Likes, T.ID).Gt(3, 1)), []int64{3, 4})
		is.Equal(ids(wren.Tuple3(T.UserID, T.Likes, T.ID).Lt(2, 3, 5)), []int64{1, 2, 4, 5})
		is.Equal(ids(wren.Tuple2(T.UserID, T.Content).Eq(2, "bark")), []int64{4})
		is.Equal(ids(wren.Tuple2(T.UserID, T.Content).Ne(2, "bark")), []int64{1, 2, 3, 5})
		is.Equal(ids(wren.Tuple2(T.UserID, T.Likes).In(wren.Row2[int64, int64]{V1: 1, V2: 0}, wren.Row2[int64, int64]{V1: 2, V2: 3})), []int64{2, 4})
		is.Equal(ids(wren.Tuple2(T.UserID, T.Likes).NotIn(wren.Row2[int64, int64]{V1: 1, V2: 0})), []int64{1, 3, 4, 5})
		is.Equal(len(ids(wren.Tuple2(T.UserID, T.Likes).In())), 0)
		is.Equal(ids(wren.Tuple2(T.UserID, T.Likes).InQuery(wren.Select2(T.UserID, wren.Max(T.Likes).Agg).From(T).GroupBy(T.UserID))), []int64{1, 3})

		// A nil of a nullable column is IS NULL, as Eq(nil) is.
		names, err := wren.Values(ctx, db, wren.Select1(U.Username).From(U).Where(wren.Tuple2(U.Email, U.Age).Eq(nil, 9)))
		is.NoErr(err)
		is.Equal(names, []string{"mickey"})
	})
}

func TestAggregateClauses(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *wren.DB) {
		is := is.New(t)
		ctx := ctxT(t)
		seed(t, db)
		d := db.Dialect()
		type counts struct {
			N     int64
			Liked int64
			Huey  int64
			Quiet int64
		}
		c, err := wren.One[counts](ctx, db, golden.Find("aggregate filter"))
		is.NoErr(err)
		is.Equal(c, counts{N: 3, Liked: 2, Huey: 3, Quiet: 1})

		type perUser struct {
			UserID   int64
			Contents string
			Plain    string
		}
		rows, err := wren.All[perUser](ctx, db, wren.Select(T.UserID,
			wren.StringAgg(T.Content, ", ").OrderBy(T.Likes.Desc(), T.ID).As("contents"),
			wren.GroupConcat(T.Content).OrderBy(T.ID.Desc()).As("plain")).From(T).GroupBy(T.UserID).OrderBy(T.UserID))
		is.NoErr(err)
		is.Equal(rows, []perUser{{1, "meow, purr", "purr,meow"}, {2, "woof", "woof"}})

		// A separator that is not plain ASCII, and FILTER with ORDER BY.
		names, err := wren.Value(ctx, db, wren.Select1(wren.StringAgg(U.Username, " é' ").OrderBy(U.Username.Desc())).From(U))
		is.NoErr(err)
		is.Equal(names, "mickey é' huey")
		active, err := wren.Value(ctx, db, wren.Select1(wren.StringAgg(U.Username, ";").Filter(U.Active.Eq(true)).OrderBy(U.Username)).From(U))
		is.NoErr(err)
		is.Equal(active, "huey")

		// Over no rows a string aggregate is NULL.
		none, err := wren.Value(ctx, db, wren.Select1(wren.Nullable(wren.StringAgg(U.Username, ","))).From(U).Where(U.ID.Eq(99)))
		is.NoErr(err)
		is.Equal(none, nil)

		// FILTER on a window aggregate.
		type win struct {
			ID    int64
			Liked int64
		}
		ws, err := wren.All[win](ctx, db, wren.Select(T.ID,
			wren.CountAll().Filter(T.Likes.Gt(0)).Over(wren.Window().PartitionBy(T.UserID)).As("liked")).From(T).OrderBy(T.ID))
		is.NoErr(err)
		is.Equal(ws, []win{{1, 1}, {2, 1}, {3, 1}})

		arr := wren.Select1(wren.ArrayAgg(T.Likes).OrderBy(T.ID)).From(T).Where(T.UserID.Eq(1))
		likes, err := wren.Value(ctx, db, arr)
		if d.ArrayAgg() {
			is.NoErr(err)
			is.Equal(likes, []int64{3, 0})
		} else {
			unsupportedOn(t, err, d)
		}

		maxq := wren.Select1(wren.AggFunc[string]("MAX", U.Username).OrderBy(U.ID)).From(U)
		m, err := wren.Value(ctx, db, maxq)
		if d.AggregateOrderAll() {
			is.NoErr(err)
			is.Equal(m, "mickey")
		} else {
			unsupportedOn(t, err, d)
		}
	})
}

func TestMatchOperators(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *wren.DB) {
		is := is.New(t)
		ctx := ctxT(t)
		seed(t, db)
		d := db.Dialect()
		mustExec(t, db, "INSERT INTO users (id, username, email, age, score, active, created_at) VALUES (3, 'Hu*y', 'X@EXAMPLE.COM', 1, 0, ?, ?)", true, "2026-01-01 00:00:00")
		names := func(p wren.Predicate) []string {
			got, err := wren.Values(ctx, db, wren.Select1(U.Username).From(U).Where(p).OrderBy(U.ID))
			is.NoErr(err)
			return got
		}
		is.Equal(names(wren.Regexp(U.Username, "^h[a-z]+y$")), []string{"huey"})
		is.Equal(names(wren.Regexp(U.Username, "^[Hm]")), []string{"mickey", "Hu*y"})
		is.Equal(names(wren.IRegexp(U.Username, "^H")), []string{"huey", "Hu*y"})
		is.Equal(names(wren.IRegexp(U.Email, "example\\.com$")), []string{"huey", "Hu*y"})
		is.Equal(names(wren.CaseSensitiveLike(U.Username, "H%")), []string{"Hu*y"})
		is.Equal(names(wren.CaseSensitiveLike(U.Username, "h_ey")), []string{"huey"})
		is.Equal(names(wren.CaseSensitiveLike(U.Username, "%*%")), []string{"Hu*y"})
		is.Equal(len(names(wren.CaseSensitiveLike(U.Username, "H%\\_%"))), 0)

		_, err := wren.Values(ctx, db, wren.Select1(U.Username).From(U).Where(wren.Glob(U.Username, "[hH]*y")).OrderBy(U.ID))
		if d.Glob() {
			is.Equal(names(wren.Glob(U.Username, "[hH]*y")), []string{"huey", "Hu*y"})
		} else {
			unsupportedOn(t, err, d)
		}
	})
}

func TestBitwiseOperators(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *wren.DB) {
		is := is.New(t)
		ctx := ctxT(t)
		seed(t, db)
		type bits struct {
			A, O, X, XE, L, R, RP, AE int64
		}
		neg := wren.Val(int64(-8))
		b, err := wren.One[bits](ctx, db, wren.Select(
			wren.BitAnd(neg, 12).As("a"), wren.BitOr(neg, 1).As("o"), wren.BitXor(neg, 3).As("x"),
			wren.BitXorExpr(U.Age, U.ID).As("xe"), wren.ShiftLeft(wren.Val(int64(-1)), 4).As("l"),
			wren.ShiftRight(neg, 1).As("r"), wren.ShiftRight(U.Age, 1).As("rp"),
			wren.BitAndExpr(U.Age, wren.Val(int64(5))).As("ae")).From(U).Where(U.ID.Eq(1)))
		is.NoErr(err)
		is.Equal(b, bits{A: 8, O: -7, X: -5, XE: 7 ^ 1, L: -16, R: -4, RP: 3, AE: 5})

		n, err := wren.Values(ctx, db, wren.Select1(U.Username).From(U).Where(wren.BitAnd(U.Age, 1).Eq(1), wren.BitAnd(U.Age, 2).Eq(0)))
		is.NoErr(err)
		is.Equal(n, []string{"mickey"}) // 9 = 0b1001
	})
}

func TestNamedWindows(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *wren.DB) {
		is := is.New(t)
		ctx := ctxT(t)
		seed(t, db)
		type row struct {
			ID      int64
			N       int64
			Rn      int64
			Running int64
		}
		rows, err := wren.All[row](ctx, db, golden.Find("named window"))
		is.NoErr(err)
		is.Equal(rows, []row{{1, 2, 1, 3}, {2, 2, 2, 3}, {3, 1, 1, 5}})

		ranks, err := wren.Values(ctx, db, wren.Select1(wren.RowNumber().OverWindow(golden.ByUserOrdered)).
			From(T).Window(golden.ByUser, golden.ByUserOrdered).OrderBy(T.ID))
		is.NoErr(err)
		is.Equal(ranks, []int64{1, 2, 1})
	})
}
