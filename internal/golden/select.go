package golden

import (
	"time"

	"github.com/wrensql/wren"
)

var day = time.Date(2026, 11, 25, 0, 0, 0, 0, time.UTC)

// Followers is a second alias of users, for self-joins.
var Followers = wren.Alias(Users, "followers")

// QuotedTable has identifiers that need escaping.
type QuotedTable struct {
	wren.Table
	Odd  wren.Column[string] "wren:\"we\\\"ird`name\""
	Back wren.Column[string] "wren:\"back`tick\""
}

// Quoted is a table whose name and columns contain quote characters.
var Quoted = wren.NewTable[QuotedTable]("ta\"ble`")

var _ = Add(
	Case{Name: "select columns", Stmt: wren.Select(Users.ID, Users.Username).From(Users)},
	Case{Name: "select table", Stmt: wren.Select(Users).From(Users)},
	Case{Name: "where eq", Stmt: wren.Select(Users.ID).From(Users).Where(Users.Username.Eq("huey"))},
	Case{Name: "where ne", Stmt: wren.Select(Users.ID).From(Users).Where(Users.Username.Ne("huey"))},
	Case{Name: "where lt lte gt gte", Stmt: wren.Select(Users.ID).From(Users).
		Where(Users.Age.Lt(10), Users.Age.Lte(11), Users.Age.Gt(1), Users.Age.Gte(2))},
	Case{Name: "three predicates and", Stmt: wren.Select(Users.ID, Users.Username).From(Users).
		Where(Users.Username.Eq("huey"), Users.ID.Gte(1), Users.ID.In(1, 2, 3))},
	Case{Name: "where called twice adds", Stmt: wren.Select(Users.ID).From(Users).
		Where(Users.Age.Gt(1)).Where(Users.Age.Lt(9))},
	Case{Name: "column compared with column", Stmt: wren.Select(Tweets.ID).From(Tweets, Users).
		Where(Tweets.UserID.EqExpr(Users.ID), Tweets.Likes.GtExpr(Users.Age))},
	Case{Name: "expr comparisons", Stmt: wren.Select(Users.ID).From(Users).
		Where(Users.Age.NeExpr(Users.ID), Users.Age.LtExpr(Users.ID), Users.Age.LteExpr(Users.ID), Users.Age.GteExpr(Users.ID))},
	Case{Name: "in list", Stmt: wren.Select(Users.ID).From(Users).Where(Users.Username.In("a", "b"))},
	Case{Name: "not in list", Stmt: wren.Select(Users.ID).From(Users).Where(Users.ID.NotIn(4, 5))},
	Case{Name: "empty in is false", Stmt: wren.Select(Users.ID).From(Users).Where(Users.ID.In())},
	Case{Name: "empty not in is true", Stmt: wren.Select(Users.ID).From(Users).Where(Users.ID.NotIn())},
	Case{Name: "between", Stmt: wren.Select(Users.ID).From(Users).Where(Users.CreatedAt.Between(day, day.Add(24*time.Hour)))},
	Case{Name: "is null", Stmt: wren.Select(Users.ID).From(Users).Where(Users.Email.IsNull())},
	Case{Name: "is not null", Stmt: wren.Select(Users.ID).From(Users).Where(Users.Email.IsNotNull())},
	Case{Name: "or inside and", Stmt: wren.Select(Users.ID).From(Users).
		Where(Users.Active.Eq(true), wren.Or(Users.Age.Lt(5), Users.Age.Gt(50)))},
	Case{Name: "and inside or", Stmt: wren.Select(Users.ID).From(Users).
		Where(wren.Or(wren.And(Users.Age.Gt(1), Users.Age.Lt(5)), Users.Username.Eq("x")))},
	Case{Name: "not", Stmt: wren.Select(Users.ID).From(Users).
		Where(wren.Not(wren.Or(Users.Age.Eq(1), Users.Age.Eq(2))))},
	Case{Name: "predicate methods", Stmt: wren.Select(Users.ID).From(Users).
		Where(Users.Age.Eq(1).Or(Users.Age.Eq(2)).And(Users.Active.Eq(false)))},
	Case{Name: "empty and or", Stmt: wren.Select(Users.ID).From(Users).Where(wren.And(), wren.Not(wren.Or()))},
	Case{Name: "like", Stmt: wren.Select(Users.ID).From(Users).Where(wren.Like(Users.Username, "h%y_"))},
	Case{Name: "ilike", Stmt: wren.Select(Users.ID).From(Users).Where(wren.ILike(Users.Username, "HU%"))},
	Case{Name: "starts ends contains escape wildcards", Stmt: wren.Select(Users.ID).From(Users).
		Where(wren.StartsWith(Users.Username, "50%_"), wren.EndsWith(Users.Username, "a!b"), wren.Contains(Users.Username, "_"))},
	Case{Name: "arithmetic", Stmt: wren.Select(Users.Age.Add(1).As("a1"), Users.Age.Sub(2).Mul(3).As("a2"), Users.Age.Neg().As("a3"),
		Users.Age.Mod(7).As("a4"), Users.Score.Div(2).As("a5")).From(Users)},
	Case{Name: "integer division", Stmt: wren.Select(Users.Age.Div(2).As("half"), Users.Age.AddExpr(Users.ID).DivExpr(Users.ID).As("q")).From(Users)},
	Case{Name: "arithmetic on a string is an error", Stmt: wren.Select(Users.Username.Add("x").As("bad")).From(Users)},
	Case{Name: "val", Stmt: wren.Select(wren.Val(int64(1)).Add(2).As("three")).From(Users).Where(wren.Val("a").EqExpr(Users.Username))},
	Case{Name: "raw predicate", Stmt: wren.Select(Users.ID).From(Users).
		Where(wren.Raw("lower(username) = ?", "huey"), Users.Age.Gt(1))},
	Case{Name: "raw with literal question mark", Stmt: wren.Select(wren.Raw("? || '??'", "x")).From(Users)},
	Case{Name: "raw expr typed", Stmt: wren.Select(Users.ID).From(Users).Where(wren.RawExpr[int64]("age * ?", 2).Gt(10))},
	Case{Name: "raw too few args", Stmt: wren.Select(Users.ID).From(Users).Where(wren.Raw("a = ? AND b = ?", 1))},
	Case{Name: "raw too many args", Stmt: wren.Select(Users.ID).From(Users).Where(wren.Raw("a = ?", 1, 2))},
	Case{Name: "order asc desc", Stmt: wren.Select(Users.ID).From(Users).OrderBy(Users.Username, Users.Age.Desc(), Users.ID.Asc())},
	Case{Name: "order nulls first last", Stmt: wren.Select(Users.ID).From(Users).
		OrderBy(Users.Email.Asc().NullsLast(), Users.Age.Desc().NullsFirst())},
	Case{Name: "limit", Stmt: wren.Select(Users.ID).From(Users).OrderBy(Users.ID.Desc()).Limit(10)},
	Case{Name: "limit offset", Stmt: wren.Select(Users.ID).From(Users).Limit(10).Offset(20)},
	Case{Name: "offset without limit", Stmt: wren.Select(Users.ID).From(Users).OrderBy(Users.ID).Offset(5)},
	Case{Name: "paginate", Stmt: wren.Select(Users).From(Users).OrderBy(Users.Username).Paginate(3, 20)},
	Case{Name: "paginate page zero", Stmt: wren.Select(Users).From(Users).Paginate(0, 20)},
	Case{Name: "negative limit", Stmt: wren.Select(Users.ID).From(Users).Limit(-1)},
	Case{Name: "negative offset", Stmt: wren.Select(Users.ID).From(Users).Offset(-1)},
	Case{Name: "distinct", Stmt: wren.Select(Users.Age).Distinct().From(Users)},
	Case{Name: "distinct on", Stmt: wren.Select(Tweets.UserID, Tweets.Content).DistinctOn(Tweets.UserID).From(Tweets).
		OrderBy(Tweets.UserID, Tweets.CreatedAt.Desc())},
	Case{Name: "alias and order by alias", Stmt: wren.Select(Tweets.UserID, wren.CountAll().As("ct")).From(Tweets).
		GroupBy(Tweets.UserID).OrderBy(wren.CountAll().As("ct").Desc())},
	Case{Name: "group by having", Stmt: wren.Select(Tweets.UserID, wren.Sum(Tweets.Likes).As("likes")).From(Tweets).
		GroupBy(Tweets.UserID).Having(wren.CountAll().Gt(1), wren.Sum(Tweets.Likes).Gte(10))},
	Case{Name: "self join through alias", Stmt: wren.Select(Users.Username, Followers.Username.As("follower")).From(Users).
		Join(Followers, Followers.Age.GtExpr(Users.Age))},
	Case{Name: "join inferred from foreign key", Stmt: wren.Select(Tweets.Content, Users.Username).From(Tweets).Join(Users)},
	Case{Name: "join inferred the other way", Stmt: wren.Select(Tweets.Content, Users.Username).From(Users).Join(Tweets)},
	Case{Name: "join without a foreign key", Stmt: wren.Select(Users.ID).From(Users).Join(Followers)},
	Case{Name: "column not in from", Stmt: wren.Select(Tweets.ID).From(Users)},
	Case{Name: "zero column", Stmt: wren.Select(wren.Column[int64]{}).From(Users)},
	Case{Name: "empty predicate", Stmt: wren.Select(Users.ID).From(Users).Where(wren.Predicate{})},
	Case{Name: "select nothing", Stmt: wren.Select().From(Users)},
	Case{Name: "for update", Stmt: wren.Select(Users.ID).From(Users).Where(Users.ID.Eq(1)).ForUpdate()},
	Case{Name: "for update nowait", Stmt: wren.Select(Users.ID).From(Users).ForUpdate().NoWait()},
	Case{Name: "for share skip locked", Stmt: wren.Select(Users.ID).From(Users).ForShare().SkipLocked()},
	Case{Name: "quoted identifiers", Stmt: wren.Select(Quoted.Odd, Quoted.Back).From(Quoted).Where(Quoted.Odd.Eq("x")), NoPrepare: true},
	Case{Name: "select without from", Stmt: wren.Select(wren.Val(int64(1)).As("one"))},
	Case{Name: "columns added later", Stmt: wren.Select(Users.ID).Columns(Users.Username).From(Users)},
)
