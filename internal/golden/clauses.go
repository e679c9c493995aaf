package golden

import "github.com/wrensql/wren"

// Cases for the rest of Peewee's query language (issue 18, part A): the
// clauses of UPDATE and DELETE beyond WHERE, the other forms of INSERT, row
// locks naming tables, the simple CASE, predicates as values, grouping by a
// table, and conditions built with OR.

var (
	// ActiveIDs is a CTE of the keys of active users.
	ActiveIDs  = wren.NewTable[NumsTable]("active_ids")
	activeIDs  = wren.CTEOf(ActiveIDs, wren.Select(Users.ID).From(Users).Where(Users.Active.Eq(true)))
	upToThree  = wren.CTEOf(Nums, wren.Select(wren.Val(int64(1)).As("n")).UnionAll(wren.Select(Nums.N.Add(1)).From(Nums).Where(Nums.N.Lt(3))))
	lockedUser = wren.Alias(Users, "u")
	srcTweets  = wren.Alias(Tweets, "src")
	noSet      = wren.Set(Users.Username, "huey")
)

var _ = Add(
	// UPDATE and DELETE: ORDER BY, LIMIT.
	Case{Name: "update order by limit", Stmt: wren.Update(Users).Set(wren.Set(Users.Age, int64(0))).
		Where(Users.Active.Eq(false)).OrderBy(Users.CreatedAt.Desc()).Limit(10)},
	Case{Name: "delete order by limit", Stmt: wren.Delete(Tweets).Where(Tweets.Likes.Lt(1)).OrderBy(Tweets.ID).Limit(100)},
	Case{Name: "delete limit returning", Stmt: wren.Delete(Tweets).Where(Tweets.Likes.Lt(1)).Limit(1).Returning(Tweets.ID)},
	Case{Name: "update from with limit", Stmt: wren.Update(Tweets).From(Users).Set(wren.Set(Tweets.Likes, int64(0))).
		Where(Tweets.UserID.EqExpr(Users.ID)).Limit(5)},
	Case{Name: "delete limit without where is refused", Stmt: wren.Delete(Tweets).OrderBy(Tweets.ID).Limit(1)},
	Case{Name: "delete all order by limit", Stmt: wren.Delete(Tweets).All().OrderBy(Tweets.CreatedAt).Limit(1)},

	// WITH on UPDATE, DELETE and INSERT … SELECT.
	Case{Name: "update with cte", Stmt: wren.Update(Tweets).With(activeIDs).Set(wren.SetExpr(Tweets.Likes, Tweets.Likes.Add(1))).
		Where(Tweets.UserID.InQuery(wren.SubqueryOf(ActiveIDs.N).From(ActiveIDs)))},
	Case{Name: "update from cte", Stmt: wren.Update(Tweets).With(activeIDs).From(ActiveIDs).Set(wren.Set(Tweets.Likes, int64(0))).
		Where(Tweets.UserID.EqExpr(ActiveIDs.N))},
	Case{Name: "delete with recursive cte", Stmt: wren.Delete(Tweets).WithRecursive(upToThree).
		Where(Tweets.ID.InQuery(wren.SubqueryOf(Nums.N).From(Nums)))},
	Case{Name: "insert select with cte", Stmt: wren.Insert(Tweets).With(activeIDs).Select(wren.Columns(Tweets.UserID, Tweets.Content),
		wren.Select(ActiveIDs.N, wren.Val("hello")).From(ActiveIDs))},
	Case{Name: "insert select with recursive cte", Stmt: wren.Insert(Tweets).WithRecursive(upToThree).Select(wren.Columns(Tweets.UserID, Tweets.Likes),
		wren.Select(Users.ID, Nums.N).From(Users, Nums).Where(Users.Username.Eq("huey")))},
	Case{Name: "insert set with cte is refused", Stmt: wren.Insert(Users).With(activeIDs).Set(noSet)},

	// REPLACE.
	Case{Name: "replace set", Stmt: wren.Replace(Users).Set(wren.Set(Users.ID, int64(1)), wren.Set(Users.Username, "huey"))},
	Case{Name: "replace rows returning", Stmt: wren.Replace(Users).Rows(&mickey).Returning(Users.ID)},
	Case{Name: "replace select", Stmt: wren.Replace(Tweets).Select(wren.Columns(Tweets.ID, Tweets.UserID, Tweets.Content),
		wren.Select(Tweets.ID, Tweets.UserID, Tweets.Content).From(Tweets).Where(Tweets.Likes.Gt(10)))},
	Case{Name: "replace with on conflict is refused", Stmt: wren.Replace(Users).Set(noSet).OnConflict(Users.Username).DoNothing()},

	// A conflict target naming a partial unique index.
	Case{Name: "upsert partial index do nothing", NoPrepare: true, Stmt: wren.Insert(Users).Set(noSet).
		OnConflict(Users.Username).Where(Users.Active.Eq(true), Users.Age.Gte(18)).DoNothing()},
	Case{Name: "upsert partial index do update", NoPrepare: true, Stmt: wren.Insert(Users).Set(noSet, wren.Set(Users.Age, int64(3))).
		OnConflict(Users.Username).Where(Users.Email.IsNull()).DoUpdate([]wren.Assignment{wren.SetExpr(Users.Age, wren.Excluded(Users.Age))})},
	Case{Name: "upsert insert select without where", Stmt: wren.Insert(Tweets).Select(wren.Columns(Tweets.ID, Tweets.UserID, Tweets.Content),
		wren.Select(srcTweets.ID, srcTweets.UserID, srcTweets.Content).From(srcTweets)).OnConflict(Tweets.ID).DoNothing()},
	Case{Name: "upsert partial index with a string is refused", Stmt: wren.Insert(Users).Set(noSet).
		OnConflict(Users.Username).Where(Users.Email.Eq(ptr("x"))).DoNothing()},
	Case{Name: "upsert partial index without columns is refused", Stmt: wren.Insert(Users).Set(noSet).
		OnConflict().Where(Users.Active.Eq(true)).DoNothing()},

	// Row locks.
	Case{Name: "for no key update", Stmt: wren.Select(Users.ID).From(Users).Where(Users.ID.Eq(1)).ForNoKeyUpdate()},
	Case{Name: "for update of", Stmt: wren.Select(Tweets.ID, Users.Username).From(Tweets).Join(Users, Tweets.UserID.EqExpr(Users.ID)).
		ForUpdate().Of(Tweets).SkipLocked()},
	Case{Name: "for share of alias", Stmt: wren.Select(lockedUser.ID).From(lockedUser).ForShare().Of(lockedUser).NoWait()},
	Case{Name: "for no key update of two tables", Stmt: wren.Select(Tweets.ID).From(Tweets).Join(Users, Tweets.UserID.EqExpr(Users.ID)).
		ForNoKeyUpdate().Of(Tweets, Users)},
	Case{Name: "for update of a table not in from is refused", Stmt: wren.Select(Users.ID).From(Users).ForUpdate().Of(Tweets)},
	Case{Name: "of without a lock is refused", Stmt: wren.Select(Users.ID).From(Users).Of(Users)},

	// The simple CASE.
	Case{Name: "simple case", Stmt: wren.Select(wren.CaseOf[string](Users.Age).When(1, "one").When(2, "two").Else("many").As("n")).From(Users)},
	Case{Name: "simple case of expressions", Stmt: wren.Select(Users.ID).From(Users).Where(
		wren.CaseOf[int64](Users.Username).WhenExpr(wren.Lower(Users.Username), Users.Age).End().Gt(3))},
	Case{Name: "simple case with nil is searched", Stmt: wren.Select(wren.CaseOf[string](Users.Email).When(nil, "none").When(ptr("a@b"), "ab").
		Else("other").As("e")).From(Users)},

	// Predicates as values.
	Case{Name: "predicate as a column", Stmt: wren.Select(Users.Username, Users.Age.Gte(18).As("adult"),
		wren.Or(Users.Active.Eq(false), Users.Age.Lt(3)).As("odd")).From(Users).OrderBy(Users.Username)},
	Case{Name: "exists as a column", Stmt: wren.Select(Users.Username, wren.ExistsOf(wren.Select(Tweets.ID).From(Tweets).
		Where(Tweets.UserID.EqExpr(Users.ID))).As("has_tweets")).From(Users)},
	Case{Name: "predicate compared as a value", Stmt: wren.Select(Users.ID).From(Users).Where(
		Users.Age.Gte(18).Expr().EqExpr(Users.Active))},

	// GROUP BY a table, a replaced SELECT list, OR-built conditions.
	Case{Name: "group by table", Stmt: wren.Select(Users, wren.CountOf(Tweets.ID).As("tweets")).From(Users).
		LeftJoin(Tweets, Tweets.UserID.EqExpr(Users.ID)).GroupBy(Users)},
	Case{Name: "a table as an expression is refused", Stmt: wren.Select(wren.CountOf(Users)).From(Users)},
	Case{Name: "replace columns", Stmt: wren.Select(Users).From(Users).Where(Users.Active.Eq(true)).OrderBy(Users.ID).
		ReplaceColumns(Users.ID)},
	Case{Name: "or where", Stmt: wren.Select(Users.ID).From(Users).
		OrWhere(Users.Username.Eq("huey")).OrWhere(Users.Username.Eq("zoe"), Users.Age.Gt(90))},
	Case{Name: "or where after where, then where", Stmt: wren.Select(Users.ID).From(Users).
		Where(Users.Active.Eq(true), Users.Age.Gt(1)).OrWhere(Users.Username.Eq("huey")).Where(Users.Score.Gt(0))},
	Case{Name: "update or where", Stmt: wren.Update(Users).Set(wren.Set(Users.Age, int64(0))).
		OrWhere(Users.ID.Eq(1)).OrWhere(Users.ID.Eq(2))},
	Case{Name: "delete or where", Stmt: wren.Delete(Tweets).Where(Tweets.Likes.Eq(0)).OrWhere(Tweets.UserID.Eq(7))},
)
