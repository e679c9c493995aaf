package wren_test

import (
	"fmt"

	"github.com/wrensql/wren"
	"github.com/wrensql/wren/dialect"
)

// PostTable has nullable columns: a Column[*T] holds NULL.
type PostTable struct {
	wren.Table
	ID       wren.Column[int64] `wren:",pk"`
	ParentID wren.Column[*int64]
	Title    wren.Column[*string]
}

var Posts = wren.NewTable[PostTable]("posts")

func ExampleExpr_Eq_nil() {
	// Eq(nil) and Ne(nil) mean IS NULL and IS NOT NULL: SQL's "= NULL"
	// would match no row. A nil in an In list matches NULL too.
	show(wren.Select(Posts.ID).From(Posts).Where(Posts.ParentID.Eq(nil)))
	text, _, _ := wren.Select(Posts.ID).From(Posts).Where(Posts.Title.In(nil, ptr("a"))).SQL(dialect.SQLite)
	fmt.Println(text)
	// Output:
	// SELECT "id" FROM "posts" WHERE "parent_id" IS NULL
	// SELECT "id" FROM "posts" WHERE ("title" IN (?) OR "title" IS NULL)
}

func ExampleNullable() {
	// A nullable foreign key compares with the key it refers to.
	parent := wren.Alias(Posts, "parent")
	show(wren.Select(Posts.ID).From(Posts).Join(parent, Posts.ParentID.EqExpr(wren.Nullable(parent.ID))))
	// Output:
	// SELECT "posts"."id" FROM "posts" JOIN "posts" AS "parent" ON "posts"."parent_id" = "parent"."id"
}

func ExampleCoalesce() {
	// A nullable column with a default is not nullable: Expr[string].
	title := wren.Coalesce(Posts.Title, wren.Val("untitled"))
	show(wren.Select(title.As("title")).From(Posts).Where(title.Ne("draft")))
	// Output:
	// SELECT COALESCE("title", CAST($1 AS TEXT)) AS "title" FROM "posts" WHERE COALESCE("title", CAST($2 AS TEXT)) <> $3
	// [untitled untitled draft]
}

func ExampleDeleteQuery_Where_alwaysTrue() {
	// A WHERE that holds for every row is refused like a missing one.
	var ids []int64 // came out empty
	show(wren.Delete(Posts).Where(Posts.ID.NotIn(ids...)))
	// Output:
	// error: wren: DELETE FROM posts: Where is always true (NotIn of an empty list on column posts.id), so it would delete every row: call All() if every row is meant, or do not run the statement when there is nothing to match
}

func ptr[T any](v T) *T { return &v }

func ExampleSelectQuery_GroupBy_ungrouped() {
	// With GROUP BY, a selected column must be grouped, determined by a
	// grouped primary key, or inside an aggregate.
	show(wren.Select(Users.Username, wren.CountAll().As("n")).From(Users).GroupBy(Users.Age))
	show(wren.Select(Users.Username, wren.CountOf(Tweets.ID).As("n")).From(Users).
		LeftJoin(Tweets, Tweets.UserID.EqExpr(Users.ID)).GroupBy(Users.ID))
	// Output:
	// error: wren: column users.username is selected, but GROUP BY does not determine it: add it to GroupBy, group by the primary key of users, or put it in an aggregate (Min, Max, …); SQLite and MySQL without ONLY_FULL_GROUP_BY would return an arbitrary row's value
	// SELECT "users"."username", COUNT("tweets"."id") AS "n" FROM "users" LEFT JOIN "tweets" ON "tweets"."user_id" = "users"."id" GROUP BY "users"."id"
}
