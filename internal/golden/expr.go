package golden

import (
	"time"

	"github.com/wrensql/wren"
)

// TopTable types the columns of a derived table.
type TopTable struct {
	wren.Table
	UserID wren.Column[int64]
	N      wren.Column[int64]
}

// NumsTable types a recursive CTE.
type NumsTable struct {
	wren.Table
	N wren.Column[int64]
}

// Derived-table and CTE fixtures.
var (
	Top  = wren.Derived[TopTable](wren.Select(Tweets.UserID, wren.CountAll().As("n")).From(Tweets).GroupBy(Tweets.UserID), "top")
	Nums = wren.NewTable[NumsTable]("nums")
	Busy = wren.NewTable[TopTable]("busy")
	// Either is a derived table filled by a compound select.
	Either = wren.Derived[TopTable](wren.Select(Tweets.UserID, Tweets.Likes.As("n")).From(Tweets).Where(Tweets.Likes.Gt(0)).
		UnionAll(wren.Select(Users.ID.As("user_id"), Users.Age.As("n")).From(Users).Where(Users.Age.Lt(10))), "either")
)

var bad = wren.Derived[TopTable](wren.Select(Tweets.UserID).From(Tweets), "bad")

var hueyID = wren.SubqueryOf(Users.ID).From(Users).Where(Users.Username.Eq("huey"))

var _ = Add(
	Case{Name: "aggregates", Stmt: wren.Select(wren.CountAll().As("n"), wren.CountOf(Users.Email).As("emails"),
		wren.CountDistinct(Users.Age).As("ages"), wren.Sum(Users.Age).As("total"), wren.Avg(Users.Age).As("mean"),
		wren.Min(Users.CreatedAt).As("first"), wren.Max(Users.Score).As("best")).From(Users)},
	Case{Name: "scalar functions", Stmt: wren.Select(wren.Coalesce(Users.Email, wren.Val(ptr("none"))).As("email"),
		wren.Lower(Users.Username).As("lo"), wren.Upper(Users.Username).As("up"), wren.Length(Users.Username).As("len"),
		wren.Abs(Users.Age.Neg()).As("abs"), wren.Round(Users.Score, 1).As("r"),
		wren.Concat(Users.Username, wren.Val("!")).As("c")).From(Users)},
	Case{Name: "current time", Stmt: wren.Select(Users.ID).From(Users).Where(Users.CreatedAt.LtExpr(wren.Now()), Users.CreatedAt.GteExpr(wren.Today()))},
	Case{Name: "cast", Stmt: wren.Select(wren.Cast[string](Users.Age).As("s"), wren.Cast[float64](Users.Age).As("f"), wren.Cast[int64](Users.Score).As("i")).From(Users)},
	Case{Name: "case when", Stmt: wren.Select(wren.Case[string]().When(Users.Age.Lt(13), "child").When(Users.Age.Lt(20), "teen").
		Else("adult").As("stage")).From(Users)},
	Case{Name: "case without else", Stmt: wren.Select(wren.Case[int64]().WhenExpr(Users.Active.Eq(true), Users.Age).End().As("a")).From(Users)},
	Case{Name: "named function", Stmt: wren.Select(wren.Func[string]("REPLACE", Users.Username, wren.Val("u"), wren.Val("oo")).As("r")).From(Users)},
	Case{Name: "bad function name", Stmt: wren.Select(wren.Func[string]("x(); drop", Users.Username).As("r")).From(Users)},
	Case{Name: "order by aggregate", Stmt: wren.Select(Users.Username, wren.CountOf(Tweets.ID).As("tweets")).From(Users).
		LeftJoin(Tweets, Tweets.UserID.EqExpr(Users.ID)).GroupBy(Users.ID, Users.Username).OrderBy(wren.CountOf(Tweets.ID).Desc(), Users.Username)},
	Case{Name: "in subquery", Stmt: wren.Select(Tweets.Content).From(Tweets).Where(Tweets.UserID.InQuery(hueyID))},
	Case{Name: "not in subquery", Stmt: wren.Select(Tweets.Content).From(Tweets).Where(Tweets.UserID.NotInQuery(hueyID), Tweets.Likes.Gt(2))},
	Case{Name: "placeholders numbered through subqueries", Stmt: wren.Select(Tweets.Content).From(Tweets).
		Where(Tweets.Likes.Gt(1), Tweets.UserID.InQuery(wren.SubqueryOf(Users.ID).From(Users).Where(Users.Age.Gt(5), Users.Username.Ne("x"))), Tweets.Likes.Lt(100))},
	Case{Name: "in compound subquery", Stmt: wren.Select(Users.Username).From(Users).Where(Users.ID.InQuery(
		wren.SubqueryOf(Tweets.UserID).From(Tweets).Where(Tweets.Likes.Gt(4)).
			Union(wren.SubqueryOf(Users.ID).From(Users).Where(Users.Age.Lt(8)))))},
	Case{Name: "compound subquery edited after union", Stmt: wren.Select(Users.Username).From(Users).Where(Users.ID.InQuery(
		wren.SubqueryOf(Tweets.UserID).From(Tweets).Union(wren.SubqueryOf(Users.ID).From(Users)).Where(Users.Age.Lt(8))))},
	Case{Name: "exists", Stmt: wren.Select(Users.Username).From(Users).Where(wren.ExistsOf(
		wren.Select(Tweets.ID).From(Tweets).Where(Tweets.UserID.EqExpr(Users.ID), Tweets.Likes.Gt(3))))},
	Case{Name: "not exists", Stmt: wren.Select(Users.Username).From(Users).Where(wren.NotExistsOf(
		wren.Select(Tweets.ID).From(Tweets).Where(Tweets.UserID.EqExpr(Users.ID))))},
	Case{Name: "scalar subquery", Stmt: wren.Select(Users.Username, wren.SubqueryOf(wren.CountAll()).From(Tweets).
		Where(Tweets.UserID.EqExpr(Users.ID)).Expr().As("tweets")).From(Users)},
	Case{Name: "derived table", Stmt: wren.Select(Top.UserID, Top.N).From(Top).Where(Top.N.Gt(1)).OrderBy(Top.N.Desc())},
	Case{Name: "derived table joined", Stmt: wren.Select(Users.Username, Top.N).From(Users).Join(Top, Top.UserID.EqExpr(Users.ID))},
	Case{Name: "derived table missing column", Stmt: wren.Select(bad.N).From(bad)},
	Case{Name: "with cte", Stmt: wren.Select(Busy.UserID, Busy.N).From(Busy).Where(Busy.N.Gte(2)).
		With(wren.CTEOf(Busy, wren.Select(Tweets.UserID, wren.CountAll().As("n")).From(Tweets).Where(Tweets.Likes.Gt(0)).GroupBy(Tweets.UserID)))},
	Case{Name: "with recursive", Stmt: wren.Select(Nums.N).From(Nums).WithRecursive(wren.CTEOf(Nums,
		wren.Select(wren.Val(int64(1)).As("n")).UnionAll(wren.Select(Nums.N.Add(1)).From(Nums).Where(Nums.N.Lt(10)))))},
	Case{Name: "window functions", Stmt: wren.Select(Tweets.ID,
		wren.RowNumber().Over(wren.Window().PartitionBy(Tweets.UserID).OrderBy(Tweets.CreatedAt)).As("rn"),
		wren.Rank().Over(wren.Window().OrderBy(Tweets.Likes.Desc())).As("rk"),
		wren.DenseRank().Over(wren.Window().OrderBy(Tweets.Likes.Desc())).As("drk"),
		wren.Lag(Tweets.Likes, 1).Over(wren.Window().OrderBy(Tweets.ID)).As("prev"),
		wren.Lead(Tweets.Likes, 1).Over(wren.Window().OrderBy(Tweets.ID)).As("next")).From(Tweets)},
	Case{Name: "aggregate over frame", Stmt: wren.Select(Tweets.ID,
		wren.Sum(Tweets.Likes).Over(wren.Window().PartitionBy(Tweets.UserID).OrderBy(Tweets.ID).Rows(wren.UnboundedPreceding, wren.CurrentRow)).As("running"),
		wren.Avg(Tweets.Likes).Over(wren.Window().OrderBy(Tweets.ID).Rows(wren.Preceding(1), wren.Following(1))).As("smooth"),
		wren.CountAll().Over(wren.Window()).As("total")).From(Tweets)},
	Case{Name: "lag lead with default", Stmt: wren.Select(Tweets.ID,
		wren.LagOr(Tweets.Likes, 1, 0).Over(wren.Window().OrderBy(Tweets.ID)).As("prev"),
		wren.LeadOr(Tweets.Content, 2, "").Over(wren.Window().PartitionBy(Tweets.UserID).OrderBy(Tweets.ID)).As("later")).From(Tweets)},
	Case{Name: "range frame", Stmt: wren.Select(Tweets.ID,
		wren.Max(Tweets.Likes).Over(wren.Window().OrderBy(Tweets.Likes).Range(wren.Preceding(2), wren.Following(0))).As("near")).From(Tweets)},
	Case{Name: "negative frame bound", Stmt: wren.Select(wren.CountAll().Over(wren.Window().OrderBy(Tweets.ID).
		Rows(wren.Preceding(-1), wren.CurrentRow)).As("n")).From(Tweets)},
	Case{Name: "zero frame bound", Stmt: wren.Select(wren.CountAll().Over(wren.Window().OrderBy(Tweets.ID).
		Rows(wren.FrameBound{}, wren.CurrentRow)).As("n")).From(Tweets)},
	Case{Name: "negative lag offset", Stmt: wren.Select(wren.Lag(Tweets.Likes, -1).Over(wren.Window().OrderBy(Tweets.ID)).As("p")).From(Tweets)},
	Case{Name: "named window function", Stmt: wren.Select(Tweets.ID,
		wren.AggFunc[int64]("NTILE", wren.Val(int32(2))).Over(wren.Window().OrderBy(Tweets.Likes)).As("half"),
		wren.AggFunc[string]("FIRST_VALUE", Tweets.Content).Over(wren.Window().PartitionBy(Tweets.UserID).OrderBy(Tweets.ID)).As("first")).From(Tweets)},
	Case{Name: "union", Stmt: wren.Select(Users.Username.As("name")).From(Users).Union(wren.Select(Tweets.Content).From(Tweets))},
	Case{Name: "union all order limit", Stmt: wren.Select(Users.ID).From(Users).Where(Users.Age.Gt(1)).
		UnionAll(wren.Select(Tweets.UserID).From(Tweets)).OrderBy(Users.ID.Desc()).Limit(5)},
	Case{Name: "intersect except", Stmt: wren.Select(Users.ID).From(Users).Intersect(wren.Select(Tweets.UserID).From(Tweets)).
		Except(wren.Select(Tweets.UserID).From(Tweets).Where(Tweets.Likes.Gt(100)))},
	Case{Name: "compound member with limit", Stmt: wren.Select(Users.ID).From(Users).OrderBy(Users.Age.Desc()).Limit(1).
		Union(wren.Select(Tweets.UserID).From(Tweets).Where(Tweets.Likes.Gt(3)))},
	Case{Name: "full join", Stmt: wren.Select(Users.ID, Tweets.ID.As("tid")).From(Users).FullJoin(Tweets, Tweets.UserID.EqExpr(Users.ID))},
	Case{Name: "right and cross join", Stmt: wren.Select(Users.ID, Tweets.ID.As("tid")).From(Users).
		RightJoin(Tweets, Tweets.UserID.EqExpr(Users.ID)).CrossJoin(Followers)},
	Case{Name: "several joins", Stmt: wren.Select(Tweets.Content, Users.Username, Followers.Username.As("f")).From(Tweets).
		Join(Users).LeftJoin(Followers, Followers.ID.EqExpr(Users.ID), Followers.CreatedAt.Gt(time.Time{}))},
	Case{Name: "derived compound", Stmt: wren.Select(Either.UserID, wren.Sum(Either.N).As("total")).From(Either).
		GroupBy(Either.UserID).OrderBy(Either.UserID)},
	Case{Name: "compound with cte", Stmt: wren.Select(Busy.UserID).From(Busy).Where(Busy.N.Gte(2)).OrderBy(Busy.N.Desc()).Limit(1).
		Union(wren.Select(Busy.UserID).From(Busy).Where(Busy.N.Lt(2))).OrderBy(Busy.UserID).
		With(wren.CTEOf(Busy, wren.Select(Tweets.UserID, wren.CountAll().As("n")).From(Tweets).Where(Tweets.Likes.Gt(0)).GroupBy(Tweets.UserID)))},
)

func ptr[T any](v T) *T { return &v }
