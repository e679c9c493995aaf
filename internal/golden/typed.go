package golden

import "github.com/wrensql/wren"

// LikedTable is a derived table or CTE filled by a typed select of two
// columns.
type LikedTable struct {
	wren.Table
	UserID wren.Column[int64]
	Likes  wren.Column[int64]
}

var (
	likedTyped   = wren.Derived[LikedTable](wren.Select2(Tweets.UserID, Tweets.Likes).From(Tweets).Where(Tweets.Likes.Gt(0)), "liked")
	likedUntyped = wren.Derived[LikedTable](wren.Select(Tweets.UserID, Tweets.Likes).From(Tweets).Where(Tweets.Likes.Gt(0)), "liked")
	// Liked is the CTE of the typed CTE case.
	Liked = wren.NewTable[LikedTable]("liked")
)

// TypedPair is a typed select and the untyped Select of the same
// expressions and clauses: both must render the same SQL and arguments.
type TypedPair struct {
	Name           string
	Typed, Untyped wren.Statement
}

// TypedPairs lists the typed selects of the golden cases with their
// untyped twins; the typed ones are golden cases too.
var TypedPairs = []TypedPair{
	{"typed: one column with every clause of a plain select",
		wren.Select1(Users.ID).From(Users).Where(Users.Age.Gt(3)).OrderBy(Users.ID.Desc()).Limit(5).Offset(10),
		wren.Select(Users.ID).From(Users).Where(Users.Age.Gt(3)).OrderBy(Users.ID.Desc()).Limit(5).Offset(10)},
	{"typed: eight expressions",
		wren.Select8(Users.ID, Users.Username, Users.Email, Users.Age, Users.Score, Users.Active, Users.CreatedAt, Users.Age.Add(1)).From(Users),
		wren.Select(Users.ID, Users.Username, Users.Email, Users.Age, Users.Score, Users.Active, Users.CreatedAt, Users.Age.Add(1)).From(Users)},
	{"typed: joins, group by, having, paginate, distinct",
		wren.Select2(Users.Username, wren.CountAll()).From(Users).Join(Tweets, Tweets.UserID.EqExpr(Users.ID)).
			LeftJoin(Busy, Busy.UserID.EqExpr(Users.ID)).Where(Tweets.Likes.Gte(1)).GroupBy(Users.Username).
			Having(wren.CountAll().Gt(1)).OrderBy(Users.Username).Paginate(3, 20).Distinct().
			With(wren.CTEOf(Busy, wren.Select(Tweets.UserID, wren.CountAll().As("n")).From(Tweets).GroupBy(Tweets.UserID))),
		wren.Select(Users.Username, wren.CountAll()).From(Users).Join(Tweets, Tweets.UserID.EqExpr(Users.ID)).
			LeftJoin(Busy, Busy.UserID.EqExpr(Users.ID)).Where(Tweets.Likes.Gte(1)).GroupBy(Users.Username).
			Having(wren.CountAll().Gt(1)).OrderBy(Users.Username).Paginate(3, 20).Distinct().
			With(wren.CTEOf(Busy, wren.Select(Tweets.UserID, wren.CountAll().As("n")).From(Tweets).GroupBy(Tweets.UserID)))},
	{"typed: aggregates and a scalar subquery",
		wren.Select3(wren.Max(Tweets.Likes), wren.Coalesce(Users.Email, wren.Val("none")), wren.SubqueryOf(wren.CountAll()).From(Tweets).Where(Tweets.UserID.EqExpr(Users.ID)).Expr()).
			From(Users).Join(Tweets, Tweets.UserID.EqExpr(Users.ID)).GroupBy(Users.ID, Users.Email),
		wren.Select(wren.Max(Tweets.Likes), wren.Coalesce(Users.Email, wren.Val("none")), wren.SubqueryOf(wren.CountAll()).From(Tweets).Where(Tweets.UserID.EqExpr(Users.ID)).Expr()).
			From(Users).Join(Tweets, Tweets.UserID.EqExpr(Users.ID)).GroupBy(Users.ID, Users.Email)},
	{"typed: for update skip locked",
		wren.Select2(Users.ID, Users.Age).From(Users).Where(Users.ID.Eq(1)).ForUpdate().SkipLocked(),
		wren.Select(Users.ID, Users.Age).From(Users).Where(Users.ID.Eq(1)).ForUpdate().SkipLocked()},
	{"typed: for share nowait",
		wren.Select1(Users.ID).From(Users).ForShare().NoWait(),
		wren.Select(Users.ID).From(Users).ForShare().NoWait()},
	{"typed: distinct on",
		wren.Select2(Tweets.UserID, Tweets.Content).From(Tweets).DistinctOn(Tweets.UserID).OrderBy(Tweets.UserID, Tweets.Likes.Desc()),
		wren.Select(Tweets.UserID, Tweets.Content).From(Tweets).DistinctOn(Tweets.UserID).OrderBy(Tweets.UserID, Tweets.Likes.Desc())},
	{"typed: cross join",
		wren.Select2(Users.ID, Tweets.ID).From(Users).CrossJoin(Tweets).Where(Tweets.UserID.EqExpr(Users.ID)),
		wren.Select(Users.ID, Tweets.ID).From(Users).CrossJoin(Tweets).Where(Tweets.UserID.EqExpr(Users.ID))},
	{"typed: union of typed selects, ordered and limited",
		wren.Select2(Users.ID, Users.Username).From(Users).Where(Users.Age.Lt(8)).
			Union(wren.Select2(Users.ID, Users.Username).From(Users).Where(Users.Age.Gt(60))).
			UnionAll(wren.Select2(Tweets.UserID, Tweets.Content).From(Tweets)).OrderBy(Users.ID).Limit(5),
		wren.Select(Users.ID, Users.Username).From(Users).Where(Users.Age.Lt(8)).
			Union(wren.Select(Users.ID, Users.Username).From(Users).Where(Users.Age.Gt(60))).
			UnionAll(wren.Select(Tweets.UserID, Tweets.Content).From(Tweets)).OrderBy(Users.ID).Limit(5)},
	{"typed: derived table from a typed select",
		wren.Select2(likedTyped.UserID, wren.Sum(likedTyped.Likes)).From(likedTyped).GroupBy(likedTyped.UserID),
		wren.Select(likedUntyped.UserID, wren.Sum(likedUntyped.Likes)).From(likedUntyped).GroupBy(likedUntyped.UserID)},
	{"typed: CTE filled by a typed select",
		wren.Select1(Liked.UserID).From(Liked).With(wren.CTEOf(Liked, wren.Select2(Tweets.UserID, Tweets.Likes).From(Tweets))),
		wren.Select(Liked.UserID).From(Liked).With(wren.CTEOf(Liked, wren.Select(Tweets.UserID, Tweets.Likes).From(Tweets)))},
	{"typed: a typed select as a subquery",
		wren.Select1(Users.Username).From(Users).Where(Users.ID.InQuery(wren.AsSubquery(wren.Select1(Tweets.UserID).From(Tweets).Where(Tweets.Likes.Gt(2))))),
		wren.Select(Users.Username).From(Users).Where(Users.ID.InQuery(wren.SubqueryOf(Tweets.UserID).From(Tweets).Where(Tweets.Likes.Gt(2))))},
}

var _ = func() bool {
	for _, p := range TypedPairs {
		Add(Case{Name: p.Name, Stmt: p.Typed})
	}
	return true
}()
