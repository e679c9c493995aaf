package golden

import "github.com/wrensql/wren"

// The golden cases of docs/safety.md: queries that would return wrong rows
// if rendered naively, and what wren renders (or refuses) instead.
var _ = Add(
	// NULL in a comparison: IS NULL / IS NOT NULL, never "= NULL".
	Case{Name: "eq nil is is null", Stmt: wren.Select(Users.ID).From(Users).Where(Users.Email.Eq(nil))},
	Case{Name: "ne nil is is not null", Stmt: wren.Select(Users.ID).From(Users).Where(Users.Email.Ne(nil))},
	Case{Name: "lt nil is an error", Stmt: wren.Select(Users.ID).From(Users).Where(Users.Email.Lt(nil))},
	Case{Name: "between nil is an error", Stmt: wren.Select(Users.ID).From(Users).Where(Users.Email.Between(ptr("a"), nil))},
	Case{Name: "eq expr null value is is null", Stmt: wren.Select(Users.ID).From(Users).
		Where(Users.Email.EqExpr(wren.Val[*string](nil)), wren.Val[*string](nil).NeExpr(Users.Email))},
	Case{Name: "in list with nil", Stmt: wren.Select(Users.ID).From(Users).Where(Users.Email.In(ptr("a@x"), nil, ptr("b@x")))},
	Case{Name: "in list only nil", Stmt: wren.Select(Users.ID).From(Users).Where(Users.Email.In(nil))},
	Case{Name: "not in list with nil", Stmt: wren.Select(Users.ID).From(Users).Where(Users.Email.NotIn(ptr("a@x"), nil))},
	Case{Name: "not in list only nil", Stmt: wren.Select(Users.ID).From(Users).Where(Users.Email.NotIn(nil, nil))},
	Case{Name: "not of in list with nil", Stmt: wren.Select(Users.ID).From(Users).Where(wren.Not(Users.Email.In(ptr("a@x"), nil)))},
)

var keep []int64 // a list that came out empty

// A WHERE that holds for every row is refused in UPDATE and DELETE like a
// missing one.
var _ = Add(
	Case{Name: "delete where empty not in is refused", Stmt: wren.Delete(Tweets).Where(Tweets.ID.NotIn(keep...))},
	Case{Name: "delete where not or is refused", Stmt: wren.Delete(Tweets).Where(wren.Not(wren.Or()))},
	Case{Name: "delete where or with always true branch is refused", Stmt: wren.Delete(Tweets).
		Where(wren.Or(Tweets.Likes.Gt(3), wren.Not(wren.Or())))},
	Case{Name: "delete where and of always true is refused", Stmt: wren.Delete(Tweets).Where(wren.And(wren.And(), Tweets.ID.NotIn()), wren.And())},
	Case{Name: "delete where contains empty is refused", Stmt: wren.Delete(Tweets).Where(wren.Contains(Tweets.Content, ""))},
	Case{Name: "delete where column equals itself is refused", Stmt: wren.Delete(Tweets).Where(Tweets.UserID.EqExpr(Tweets.UserID))},
	Case{Name: "update where empty not in is refused", Stmt: wren.Update(Users).Set(wren.Set(Users.Age, int64(1))).Where(Users.ID.NotIn(keep...))},
	Case{Name: "update where not of empty and is restricting", Stmt: wren.Update(Users).Set(wren.Set(Users.Age, int64(1))).
		Where(wren.Or(wren.Not(wren.And()), Users.ID.Eq(2)))},
	Case{Name: "delete where true and a condition runs", Stmt: wren.Delete(Tweets).Where(Tweets.ID.NotIn(keep...), Tweets.Likes.Lt(1))},
	Case{Name: "delete all with always true where runs", Stmt: wren.Delete(Tweets).Where(Tweets.ID.NotIn(keep...)).All()},
)

// Nullable columns where the SQL is legal.
var _ = Add(
	Case{Name: "nullable column compared with a column", Stmt: wren.Select(Users.ID).From(Users).
		Where(Users.Email.EqExpr(wren.Nullable(Users.Username)), Users.Email.GtExpr(wren.Nullable(Users.Username)))},
	Case{Name: "string matchers on a nullable column", Stmt: wren.Select(Users.ID).From(Users).
		Where(wren.Like(Users.Email, "%@x"), wren.ILike(Users.Email, "H%"), wren.StartsWith(Users.Email, "h_"),
			wren.EndsWith(Users.Email, ".org"), wren.Contains(Users.Email, "@"))},
	Case{Name: "coalesce of a nullable column and a value", Stmt: wren.Select(wren.Coalesce(Users.Email, wren.Val("none")).As("email")).
		From(Users).Where(wren.Coalesce(Users.Email, Users.Username).Ne("x"))},
)

var sorts = map[string]wren.Orderable{"name": Users.Username}

// Bad input is an error, never a panic or nonsense SQL.
var _ = Add(
	Case{Name: "select nil is an error", Stmt: wren.Select(nil).From(Users)},
	Case{Name: "order by nil is an error", Stmt: wren.Select(Users.ID).From(Users).OrderBy(sorts["nope"])},
	Case{Name: "alias with empty name is an error", Stmt: wren.Select(wren.Alias(Users, "").ID).From(wren.Alias(Users, ""))},
	Case{Name: "insert select without columns is refused", Stmt: wren.Insert(Users).Select(nil, wren.Select(Users.Username).From(Users))},
	Case{Name: "paginate past the largest offset is refused", Stmt: wren.Select(Users.ID).From(Users).Paginate(1<<62+1, 4)},
)

// WrongTopTable declares N, a COUNT, as text.
type WrongTopTable struct {
	wren.Table
	UserID wren.Column[int64]
	N      wren.Column[string]
}

// NullableTopTable declares N nullable: it may hold what the query selects.
type NullableTopTable struct {
	wren.Table
	UserID wren.Column[*int64]
	N      wren.Column[*int64]
}

var (
	wrongTop = wren.Derived[WrongTopTable](wren.Select(Tweets.UserID, wren.CountAll().As("n")).From(Tweets).GroupBy(Tweets.UserID), "top")
	wrongCTE = wren.NewTable[WrongTopTable]("busy")
	nullTop  = wren.Derived[NullableTopTable](wren.Select(Tweets.UserID, wren.CountAll().As("n")).From(Tweets).GroupBy(Tweets.UserID), "top")
)

// Declarations whose column types disagree with their query.
var _ = Add(
	Case{Name: "derived table with a column of the wrong type is an error", Stmt: wren.Select(wrongTop.UserID).From(wrongTop)},
	Case{Name: "cte with a column of the wrong type is an error", Stmt: wren.Select(wrongCTE.UserID).From(wrongCTE).
		With(wren.CTEOf(wrongCTE, wren.Select(Tweets.UserID, wren.CountAll().As("n")).From(Tweets).GroupBy(Tweets.UserID)))},
	Case{Name: "derived table with nullable columns", Stmt: wren.Select(nullTop.UserID, nullTop.N).From(nullTop).Where(nullTop.N.Gt(ptr(int64(1))))},
)

// GROUP BY: a selected column GROUP BY does not determine is refused; what
// it does determine renders.
var _ = Add(
	Case{Name: "group by selects an ungrouped column is refused", Stmt: wren.Select(Users.Username, wren.CountAll().As("n")).
		From(Users).GroupBy(Users.Age)},
	Case{Name: "group by orders by an ungrouped column is refused", Stmt: wren.Select(Users.Age, wren.CountAll().As("n")).
		From(Users).GroupBy(Users.Age).OrderBy(Users.Username)},
	Case{Name: "group by having on an ungrouped column is refused", Stmt: wren.Select(Users.Age, wren.CountAll().As("n")).
		From(Users).GroupBy(Users.Age).Having(Users.Score.Gt(1))},
	Case{Name: "group by having on aggregates and grouped columns", Stmt: wren.Select(Users.Age, wren.CountAll().As("n")).
		From(Users).GroupBy(Users.Age).Having(wren.CountAll().Gt(1), Users.Age.Lt(90), wren.Max(Users.Score).Gte(1.5))},
	Case{Name: "group by selects a table without its key grouped is refused", Stmt: wren.Select(Tweets, wren.CountAll().As("n")).
		From(Tweets).GroupBy(Tweets.UserID)},
	Case{Name: "group by another alias's key is refused", Stmt: wren.Select(Followers.Username, wren.CountAll().As("n")).
		From(Users).Join(Followers, Followers.ID.EqExpr(Users.ID)).GroupBy(Users.ID)},
	Case{Name: "group by primary key determines its table's columns", Stmt: wren.Select(Users.Username, Users.Email, wren.CountOf(Tweets.ID).As("n")).
		From(Users).LeftJoin(Tweets, Tweets.UserID.EqExpr(Users.ID)).GroupBy(Users.ID)},
	Case{Name: "group by with aggregates and expressions of grouped columns", Stmt: wren.Select(Users.Age.Add(1).As("a1"),
		wren.Max(Users.Username).As("last"), wren.Coalesce(wren.Min(Users.Email), wren.Val(ptr("-"))).As("first")).
		From(Users).GroupBy(Users.Age).OrderBy(Users.Age, wren.CountAll().Desc())},
	Case{Name: "group by an expression selected again", Stmt: wren.Select(wren.Lower(Users.Username).As("lo"), wren.CountAll().As("n")).
		From(Users).GroupBy(wren.Lower(Users.Username))},
	Case{Name: "no group by is not checked", Stmt: wren.Select(Users.Username, Users.Age).From(Users).Where(Users.Age.Gt(1))},
)
