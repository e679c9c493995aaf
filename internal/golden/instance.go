package golden

import (
	"github.com/wrensql/wren"
	"github.com/wrensql/wren/dialect"
)

// Statements by primary key (Save's UPDATE, DeleteRow) and full-text
// search.

// MemberTable has a composite key and a column besides it.
type MemberTable struct {
	wren.Table `wren:"pk=team_id+user_id"`
	TeamID     wren.Column[int64]
	UserID     wren.Column[int64]
	Role       wren.Column[string]
}

// Member is a row of Members.
type Member struct {
	TeamID, UserID int64
	Role           string
}

// ArticleTable is searched by full text.
type ArticleTable struct {
	wren.Table
	ID    wren.Column[int64] `wren:",pk"`
	Title wren.Column[string]
	Body  wren.Column[*string]
}

// Members, Articles and ArticleSearch are the fixtures of these cases.
var (
	Members       = wren.NewTable[MemberTable]("members")
	Articles      = wren.NewTable[ArticleTable]("articles")
	ArticleSearch = wren.FullText(Articles, Articles.Title, Articles.Body)
)

var (
	saved  = NewUser{ID: 9, Username: "huey", Age: 8, CreatedAt: day}
	member = Member{TeamID: 1, UserID: 2, Role: "admin"}
	rank   = ArticleSearch.Rank(wren.AnyWord("go sql")).As("rank")
)

var _ = Add(
	Case{Name: "update row by key", Stmt: wren.UpdateRow(Users, &saved)},
	Case{Name: "update row by key, named columns", Stmt: wren.UpdateRow(Users, &saved, Users.Age, Users.Email)},
	Case{Name: "update row by composite key", Stmt: wren.UpdateRow(Members, member), NoPrepare: true},
	Case{Name: "update row with only key columns is an error", Stmt: wren.UpdateRow(Pair, struct {
		A int64
		B string
	}{1, "x"}), NoPrepare: true},
	Case{Name: "update row without a key field is an error", Stmt: wren.UpdateRow(Members, struct{ Role string }{"x"}), NoPrepare: true},
	Case{Name: "delete row by composite key", Stmt: wren.DeleteRow(Members, &member), NoPrepare: true},
	Case{Name: "delete row by key", Stmt: wren.DeleteRow(Users, saved)},

	Case{Name: "full-text match all words", NoPrepare: true,
		Stmt: wren.Select(Articles.ID).From(Articles).Where(ArticleSearch.Match(wren.AllWords("Go, SQL!")))},
	Case{Name: "full-text match any word, ranked", NoPrepare: true,
		Stmt: wren.Select(Articles.ID, rank).From(Articles).Where(ArticleSearch.Match(wren.AnyWord("go sql"))).OrderBy(rank.Desc())},
	Case{Name: "full-text phrase without a word", NoPrepare: true,
		Stmt: wren.Select(Articles.ID).From(Articles).Where(ArticleSearch.Match(wren.Phrase("query builder").Without("orm")))},
	Case{Name: "full-text any word without a word", NoPrepare: true,
		Stmt: wren.Select(Articles.ID).From(Articles).Where(ArticleSearch.Match(wren.AnyWord("go sql").Without("orm")))},
	Case{Name: "full-text prefix", NoPrepare: true,
		Stmt: wren.Select(Articles.ID).From(Articles).Where(ArticleSearch.Match(wren.PrefixWords("go dat")))},
	Case{Name: "full-text highlight and snippet", NoPrepare: true,
		Stmt: wren.Select(ArticleSearch.Highlight(Articles.Title, wren.AllWords("sql"), "<b>", "</b>").As("title"),
			ArticleSearch.Snippet(Articles.Body, wren.AllWords("sql"), "<b>", "</b>", "…", 12).As("snip")).
			From(Articles).Where(ArticleSearch.Match(wren.AllWords("sql")))},
	Case{Name: "full-text in a join is qualified", NoPrepare: true,
		Stmt: wren.Select(Articles.ID, Users.Username).From(Articles).Join(Users, Users.ID.EqExpr(Articles.ID)).
			Where(ArticleSearch.Match(wren.AllWords("sql")))},
	Case{Name: "full-text query without words is an error", NoPrepare: true,
		Stmt: wren.Select(Articles.ID).From(Articles).Where(ArticleSearch.Match(wren.AllWords("  ")))},
	Case{Name: "full-text snippet of a column not indexed is an error", NoPrepare: true,
		Stmt: wren.Select(ArticleSearch.Snippet(Articles.ID, wren.AllWords("sql"), "", "", "", 5)).From(Articles)},
	Case{Name: "full-text index", Stmt: ArticleSearch.CreateStatements(dialect.Postgres)[0], NoPrepare: true},
	Case{Name: "full-text index if not exists", Stmt: ArticleSearch.CreateStatements(dialect.Postgres)[0].IfNotExists(), NoPrepare: true},
	Case{Name: "full-text sqlite insert trigger", Stmt: ArticleSearch.CreateStatements(dialect.SQLite)[1], NoPrepare: true},
	Case{Name: "full-text sqlite delete trigger", Stmt: ArticleSearch.CreateStatements(dialect.SQLite)[2], NoPrepare: true},
	Case{Name: "full-text sqlite update trigger", Stmt: ArticleSearch.CreateStatements(dialect.SQLite)[3], NoPrepare: true},
	Case{Name: "full-text sqlite drop", Stmt: ArticleSearch.DropStatements(dialect.SQLite)[0], NoPrepare: true},
)
