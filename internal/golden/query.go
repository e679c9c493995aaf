package golden

import (
	"time"

	"github.com/wrensql/wren"
)

// KeyNameTable types a VALUES list of ids and names.
type KeyNameTable struct {
	wren.Table
	ID   wren.Column[int64]
	Name wren.Column[string]
}

// TopLikedTable types a LATERAL subquery: a user's most liked tweets.
type TopLikedTable struct {
	wren.Table
	TweetID wren.Column[int64]
	Likes   wren.Column[int64]
}

// KeyName is a row of a VALUES list given as a struct, matched by name.
type KeyName struct {
	Name string `db:"name"`
	ID   int64
}

// Fixtures of the query-language cases.
var (
	Pairs      = wren.ValuesList[KeyNameTable]("v", wren.Row2[int64, string]{V1: 1, V2: "huey"}, wren.Row2[int64, string]{V1: 2, V2: "mickey"})
	PairsNamed = wren.ValuesList[KeyNameTable]("p", KeyName{Name: "zaizee", ID: 3})
	// TopLiked is correlated with Users: LATERAL only.
	TopLiked = wren.Derived[TopLikedTable](wren.Select(Tweets.ID.As("tweet_id"), Tweets.Likes.As("likes")).From(Tweets).
			Where(Tweets.UserID.EqExpr(Users.ID)).OrderBy(Tweets.Likes.Desc()).Limit(2), "liked")
	// ByUser is a named window of each user's tweets.
	ByUser = wren.Window().PartitionBy(Tweets.UserID).As("w")
)

var noPairs = wren.ValuesList[KeyNameTable, KeyName]("v")

var badPairs = wren.ValuesList[KeyNameTable]("v", wren.Row2[string, string]{V1: "1", V2: "x"})

var keysetAt = time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)

var _ = Add(
	Case{Name: "values list as a table", Stmt: wren.Select(Pairs.ID, Pairs.Name).From(Pairs).OrderBy(Pairs.ID)},
	Case{Name: "values list joined", Stmt: wren.Select(Pairs.Name, Tweets.Content).From(Pairs).Join(Tweets, Tweets.UserID.EqExpr(Pairs.ID))},
	Case{Name: "values list of structs", Stmt: wren.Select(PairsNamed).From(PairsNamed)},
	Case{Name: "values list without rows", Stmt: wren.Select(noPairs.ID).From(noPairs)},
	Case{Name: "values list of the wrong type", Stmt: wren.Select(badPairs.ID).From(badPairs)},
	Case{Name: "join lateral", Stmt: wren.Select(Users.Username, TopLiked.TweetID, TopLiked.Likes).From(Users).JoinLateral(TopLiked)},
	Case{Name: "left join lateral", Stmt: wren.Select(Users.Username, TopLiked.Likes).From(Users).
		LeftJoinLateral(TopLiked, TopLiked.Likes.Gt(1)).Where(Users.Age.Gt(1))},
	Case{Name: "cross join lateral", Stmt: wren.Select(Users.Username, TopLiked.Likes).From(Users).CrossJoinLateral(TopLiked)},
	Case{Name: "join lateral of a table", Stmt: wren.Select(Users.Username).From(Users).JoinLateral(Tweets)},
	Case{Name: "row value keyset page", Stmt: wren.Select(Tweets.ID).From(Tweets).
		Where(wren.Tuple2(Tweets.CreatedAt, Tweets.ID).Lt(keysetAt, 5)).OrderBy(Tweets.CreatedAt.Desc(), Tweets.ID.Desc()).Limit(20)},
	Case{Name: "row value of three", Stmt: wren.Select(Users.ID).From(Users).
		Where(wren.Tuple3(Users.Age, Users.Username, Users.ID).Gte(7, "huey", 1), Users.Active.Eq(true))},
	Case{Name: "row value of four", Stmt: wren.Select(Tweets.ID).From(Tweets).
		Where(wren.Tuple4(Tweets.UserID, Tweets.Likes, Tweets.Content, Tweets.ID).Lte(2, 3, "woof", 9),
			wren.Tuple4(Tweets.UserID, Tweets.Likes, Tweets.Content, Tweets.ID).NotIn(wren.Row4[int64, int64, string, int64]{V1: 1, V2: 0, V3: "purr", V4: 2}))},
	Case{Name: "row value equal", Stmt: wren.Select(Users.ID).From(Users).Where(wren.Tuple2(Users.Username, Users.Age).Eq("huey", 7))},
	Case{Name: "row value equal with nil", Stmt: wren.Select(Users.ID).From(Users).Where(wren.Tuple2(Users.Email, Users.Age).Eq(nil, 9))},
	Case{Name: "row value order with nil", Stmt: wren.Select(Users.ID).From(Users).Where(wren.Tuple2(Users.Email, Users.Age).Gt(nil, 9))},
	Case{Name: "row value in", Stmt: wren.Select(Users.ID).From(Users).Where(wren.Tuple2(Users.ID, Users.Username).In(
		wren.Row2[int64, string]{V1: 1, V2: "huey"}, wren.Row2[int64, string]{V1: 2, V2: "mickey"}))},
	Case{Name: "row value not in", Stmt: wren.Select(Users.ID).From(Users).Where(wren.Tuple2(Users.ID, Users.Username).NotIn(
		wren.Row2[int64, string]{V1: 1, V2: "huey"}))},
	Case{Name: "row value in nothing", Stmt: wren.Select(Users.ID).From(Users).Where(wren.Tuple2(Users.ID, Users.Username).In())},
	Case{Name: "row value in query", Stmt: wren.Select(Users.Username).From(Users).Where(wren.Tuple2(Users.ID, Users.Age).InQuery(
		wren.Select2(Tweets.UserID, Tweets.Likes).From(Tweets).Where(Tweets.Likes.Gt(2))))},
	Case{Name: "aggregate filter", Stmt: wren.Select(wren.CountAll().As("n"), wren.CountAll().Filter(Tweets.Likes.Gt(2)).As("liked"),
		wren.Sum(Tweets.Likes).Filter(Tweets.UserID.Eq(1), Tweets.Likes.Gt(0)).As("huey"),
		wren.CountDistinct(Tweets.UserID).Filter(Tweets.Likes.Eq(0)).As("quiet")).From(Tweets)},
	Case{Name: "aggregate filter over a window", Stmt: wren.Select(Tweets.ID,
		wren.CountAll().Filter(Tweets.Likes.Gt(0)).Over(wren.Window().PartitionBy(Tweets.UserID)).As("liked")).From(Tweets)},
	Case{Name: "filter on a window function", Stmt: wren.Select(wren.RowNumber().Filter(Tweets.Likes.Gt(0)).
		Over(wren.Window().OrderBy(Tweets.ID)).As("rn")).From(Tweets)},
	Case{Name: "string aggregates", Stmt: wren.Select(Tweets.UserID,
		wren.StringAgg(Tweets.Content, ", ").OrderBy(Tweets.Likes.Desc(), Tweets.ID).As("contents"),
		wren.GroupConcat(Tweets.Content).As("plain")).From(Tweets).GroupBy(Tweets.UserID)},
	Case{Name: "string aggregate separator not ascii", Stmt: wren.Select(wren.StringAgg(Users.Username, "é'|").As("names")).From(Users)},
	Case{Name: "string aggregate filtered", Stmt: wren.Select(wren.StringAgg(Users.Username, ";").Filter(Users.Active.Eq(true)).
		OrderBy(Users.Username).As("names")).From(Users)},
	Case{Name: "array aggregate", Stmt: wren.Select(Tweets.UserID, wren.ArrayAgg(Tweets.Likes).OrderBy(Tweets.ID).As("likes")).
		From(Tweets).GroupBy(Tweets.UserID)},
	Case{Name: "order inside an aggregate", Stmt: wren.Select(wren.AggFunc[string]("MAX", Users.Username).OrderBy(Users.ID).As("m")).From(Users)},
	Case{Name: "order inside an aggregate over a window", Stmt: wren.Select(wren.StringAgg(Users.Username, ",").OrderBy(Users.ID).
		Over(wren.Window()).As("m")).From(Users)},
	Case{Name: "regular expressions", Stmt: wren.Select(Users.ID).From(Users).
		Where(wren.Regexp(Users.Username, "^h[a-z]+y$"), wren.IRegexp(Users.Email, "EXAMPLE\\.COM$"))},
	Case{Name: "case-sensitive like", Stmt: wren.Select(Users.ID).From(Users).Where(wren.CaseSensitiveLike(Users.Username, "H_e%*"))},
	Case{Name: "glob", Stmt: wren.Select(Users.ID).From(Users).Where(wren.Glob(Users.Username, "h*[ae]y"))},
	Case{Name: "bitwise operators", Stmt: wren.Select(wren.BitAnd(Users.Age, 3).As("a"), wren.BitOr(Users.Age, 8).As("o"),
		wren.BitXor(Users.Age, 5).As("x"), wren.ShiftLeft(Users.Age, 2).As("l"), wren.ShiftRight(Users.Age, 1).As("r"),
		wren.BitAndExpr(Users.Age, Users.ID).As("ai")).From(Users).Where(wren.BitAnd(Users.Age, 1).Eq(1))},
	Case{Name: "shift out of range", Stmt: wren.Select(wren.ShiftLeft(Users.Age, 64).As("l")).From(Users)},
	Case{Name: "named window", Stmt: wren.Select(Tweets.ID, wren.CountAll().OverWindow(ByUser).As("n"),
		wren.RowNumber().Over(ByUser.Extend().OrderBy(Tweets.ID)).As("rn"),
		wren.Sum(Tweets.Likes).Over(ByUser.Extend().OrderBy(Tweets.ID).Rows(wren.UnboundedPreceding, wren.CurrentRow)).As("running")).
		From(Tweets).Window(ByUser).OrderBy(Tweets.ID)},
	Case{Name: "named window extending another", Stmt: wren.Select(Tweets.ID, wren.RowNumber().OverWindow(ByUserOrdered).As("rn")).
		From(Tweets).Window(ByUser, ByUserOrdered)},
	Case{Name: "named window not defined", Stmt: wren.Select(wren.CountAll().OverWindow(ByUser).As("n")).From(Tweets)},
	Case{Name: "named window extended with a partition", Stmt: wren.Select(wren.CountAll().
		Over(ByUser.Extend().PartitionBy(Tweets.ID)).As("n")).From(Tweets).Window(ByUser)},
)

// ByUserOrdered extends ByUser with an order.
var ByUserOrdered = ByUser.Extend().OrderBy(Tweets.Likes.Desc()).As("w2")

// Find returns the statement of the golden case named name, so that tests
// run exactly the SQL the golden file records; it panics for an unknown name.
func Find(name string) wren.Statement {
	for _, c := range Cases {
		if c.Name == name {
			return c.Stmt
		}
	}
	panic("golden: no case named " + name)
}
