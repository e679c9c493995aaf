package wren_test

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/wrensql/wren"
	"github.com/wrensql/wren/dialect"
)

func ExampleDeleteQuery_Limit() {
	// The oldest rows first, at most 100 of them: MySQL and MariaDB only.
	q := wren.Delete(Tweets).Where(Tweets.Likes.Eq(0)).OrderBy(Tweets.ID).Limit(100)
	text, args, _ := q.SQL(dialect.MySQL)
	fmt.Println(text, args)
	_, _, err := q.SQL(dialect.Postgres)
	fmt.Println(errors.Is(err, wren.ErrUnsupported))
	// Output:
	// DELETE FROM `tweets` WHERE `likes` = ? ORDER BY `id` LIMIT ? [0 100]
	// true
}

func ExampleUpdateQuery_With() {
	type IDTable struct {
		wren.Table
		ID wren.Column[int64]
	}
	fans := wren.NewTable[IDTable]("fans")
	q := wren.Update(Users).
		With(wren.CTEOf(fans, wren.Select(Tweets.UserID).From(Tweets).Where(Tweets.Likes.Gt(100)))).
		Set(wren.SetExpr(Users.Age, Users.Age.Add(1))).
		Where(Users.ID.InQuery(wren.SubqueryOf(fans.ID).From(fans)))
	show(q)
	// Output:
	// WITH "fans" ("id") AS (SELECT "tweets"."user_id" FROM "tweets" WHERE "tweets"."likes" > $1) UPDATE "users" SET "age" = ("age" + $2) WHERE ("id" IN (SELECT "fans"."id" FROM "fans"))
	// [100 1]
}

func ExampleReplace() {
	q := wren.Replace(Users).Set(wren.Set(Users.ID, int64(1)), wren.Set(Users.Username, "huey"))
	for _, d := range []*dialect.Dialect{dialect.MySQL, dialect.SQLite, dialect.Postgres} {
		text, _, err := q.SQL(d)
		fmt.Println(text, err)
	}
	// Output:
	// REPLACE INTO `users` (`id`, `username`) VALUES (?, ?) <nil>
	// INSERT OR REPLACE INTO "users" ("id", "username") VALUES (?, ?) <nil>
	//  wren: REPLACE INTO users (use Insert(t).OnConflict(key).DoUpdate(…)): not supported by this dialect on postgres
}

func ExampleConflictClause_Where() {
	// CREATE UNIQUE INDEX … ON users (username) WHERE age >= 18
	show(wren.Insert(Users).Set(wren.Set(Users.Username, "huey"), wren.Set(Users.Age, int64(30))).
		OnConflict(Users.Username).Where(Users.Age.Gte(18)).DoNothing())
	// Output:
	// INSERT INTO "users" ("username", "age") VALUES ($1, $2) ON CONFLICT ("username") WHERE "age" >= 18 DO NOTHING
	// [huey 30]
}

func ExampleSelectQuery_Of() {
	show(wren.Select(Tweets.ID, Users.Username).From(Tweets).Join(Users, Tweets.UserID.EqExpr(Users.ID)).
		Where(Tweets.Likes.Eq(0)).ForNoKeyUpdate().Of(Tweets).SkipLocked())
	// Output:
	// SELECT "tweets"."id", "users"."username" FROM "tweets" JOIN "users" ON "tweets"."user_id" = "users"."id" WHERE "tweets"."likes" = $1 FOR NO KEY UPDATE OF "tweets" SKIP LOCKED
	// [0]
}

func ExampleCaseOf() {
	ages := wren.CaseOf[string](Users.Age).When(1, "one").When(2, "two").Else("many")
	show(wren.Select(Users.Username, ages.As("age")).From(Users))
	// Output:
	// SELECT "username", CASE "age" WHEN $1 THEN CAST($2 AS TEXT) WHEN $3 THEN CAST($4 AS TEXT) ELSE CAST($5 AS TEXT) END AS "age" FROM "users"
	// [1 one 2 two many]
}

func ExamplePredicate_As() {
	db, _ := wren.Open(context.Background(), "sqlite", ":memory:")
	defer db.Close()
	ctx := context.Background()
	_ = wren.CreateTables(ctx, db, Users, Tweets)
	_, _ = wren.Exec(ctx, db, wren.Insert(Users).Rows(User{Username: "huey", Age: 3}, User{Username: "zoe", Age: 30}))
	type row struct {
		Username string
		Adult    bool
		Tweeted  bool
	}
	rows, err := wren.All[row](ctx, db, wren.Select(Users.Username, Users.Age.Gte(18).As("adult"),
		wren.ExistsOf(wren.Select(Tweets.ID).From(Tweets).Where(Tweets.UserID.EqExpr(Users.ID))).As("tweeted")).
		From(Users).OrderBy(Users.Username))
	fmt.Println(rows, err)
	// Output:
	// [{huey false false} {zoe true false}] <nil>
}

func ExampleSelectQuery_OrWhere() {
	q := wren.Select(Users.ID).From(Users).Where(Users.Age.Gt(1))
	for _, name := range []string{"huey", "zoe"} {
		q = q.OrWhere(Users.Username.Eq(name))
	}
	show(q)
	show(q.ReplaceColumns(wren.CountAll()))
	// Output:
	// SELECT "id" FROM "users" WHERE ("age" > $1 OR "username" = $2 OR "username" = $3)
	// [1 huey zoe]
	// SELECT COUNT(*) FROM "users" WHERE ("age" > $1 OR "username" = $2 OR "username" = $3)
	// [1 huey zoe]
}

func ExampleSelectQuery_GroupBy_table() {
	show(wren.Select(Users, wren.CountOf(Tweets.ID).As("tweets")).From(Users).
		LeftJoin(Tweets, Tweets.UserID.EqExpr(Users.ID)).GroupBy(Users))
	// Output:
	// SELECT "users"."id", "users"."username", "users"."age", COUNT("tweets"."id") AS "tweets" FROM "users" LEFT JOIN "tweets" ON "tweets"."user_id" = "users"."id" GROUP BY "users"."id", "users"."username", "users"."age"
}

var offsetOnlyLimit = regexp.MustCompile(` LIMIT [^ ]+$`)

// pairTable has a primary key of two columns.
type pairTable struct {
	wren.Table
	A wren.Column[int64] `wren:",pk"`
	B wren.Column[int64] `wren:",pk"`
	C wren.Column[string]
}

var pairs = wren.NewTable[pairTable]("pairs")

// tagPairTable declares its two-column primary key on the embedded Table.
type tagPairTable struct {
	wren.Table `wren:"pk=a+b"`
	A          wren.Column[int64]
	B          wren.Column[int64]
	C          wren.Column[string]
}

var tagPairs = wren.NewTable[tagPairTable]("tag_pairs")

// TestOneAddsLimit checks the text One runs: LIMIT 1 where the query has no
// LIMIT, reads a table and locks nothing — written as a literal, so nothing
// more is bound — and the query unchanged otherwise. A query whose WHERE
// sets the whole primary key, or a unique column, to a value or parameter
// returns at most one row, and runs unchanged too.
func TestOneAddsLimit(t *testing.T) {
	base := wren.Select(Users.ID).From(Users).Where(Users.Age.Gt(1))
	nested := wren.Select(Users.ID).From(Users).Where(Users.ID.InQuery(wren.SubqueryOf(Tweets.UserID).From(Tweets)))
	id := wren.NewParam[int64]("id")
	limited := []wren.Statement{
		base, base.Offset(3), nested, wren.Select2(Users.ID, Users.Age).From(Users),
		wren.SubqueryOf(Users.ID).From(Users),
		// Not pinned to one row: a key compared otherwise, or ORed, or
		// with itself; half a two-column key; a join; a key that is NULL.
		wren.Select(Users.ID).From(Users).Where(Users.ID.Gte(1)),
		wren.Select(Users.ID).From(Users).Where(wren.Or(Users.ID.Eq(1), Users.ID.Eq(2))),
		wren.Select(Users.ID).From(Users).Where(Users.ID.EqExpr(Users.ID)),
		wren.Select(pairs.C).From(pairs).Where(pairs.A.Eq(1)),
		wren.Select(tagPairs.C).From(tagPairs).Where(tagPairs.B.Eq(1)),
		wren.Select(Users.ID).From(Users).Join(Tweets, Tweets.UserID.EqExpr(Users.ID)).Where(Users.ID.Eq(1)),
		wren.Select(Tweets.ID).From(Tweets).Where(Tweets.UserID.Eq(1)),
		// Aggregates grouped, or beside a column; a window function.
		wren.Select(wren.CountAll()).From(Tweets).GroupBy(Tweets.UserID),
		wren.Select(wren.CountAll(), Tweets.UserID).From(Tweets),
		wren.Select(wren.RowNumber().Over(wren.Window().OrderBy(Tweets.ID))).From(Tweets),
	}
	same := []wren.Statement{
		base.Limit(5), base.ForUpdate(), base.ForShare(), wren.Select(wren.CountAll()),
		base.Union(base), wren.Insert(Users).Set(wren.Set(Users.Username, "x")).Returning(Users.ID),
		// At most one row by the WHERE alone.
		wren.Select(Users.ID).From(Users).Where(Users.ID.Eq(1)),
		wren.Select(Users.ID).From(Users).Where(Users.Age.Gt(1), Users.ID.EqExpr(id)),
		wren.Select(Users.ID).From(Users).Where(Users.Username.Eq("huey")),
		wren.Select(pairs.C).From(pairs).Where(pairs.B.Eq(2), wren.And(pairs.A.Eq(1), pairs.C.Ne("x"))),
		wren.Select(tagPairs.C).From(tagPairs).Where(tagPairs.A.Eq(1), tagPairs.B.Eq(2)),
		// Aggregates without GROUP BY: one row.
		wren.Select(wren.CountAll()).From(Tweets).Join(Users, Users.ID.EqExpr(Tweets.UserID)),
		wren.Select(wren.CountAll(), wren.Max(Tweets.ID)).From(Tweets).Where(Tweets.UserID.Gt(1)),
	}
	for _, d := range []*dialect.Dialect{dialect.Postgres, dialect.MySQL, dialect.SQLite} {
		for i, q := range limited {
			got, gotArgs, err := wren.OneSQL(d, q)
			if err != nil {
				t.Fatal(err)
			}
			// The query's own text with a literal LIMIT 1 (before its
			// OFFSET, replacing the LIMIT an OFFSET alone gets), nothing
			// more bound.
			want, wantArgs, err := q.SQL(d)
			if err != nil {
				t.Fatal(err)
			}
			if i := strings.Index(want, " OFFSET "); i >= 0 {
				want = offsetOnlyLimit.ReplaceAllString(want[:i], "") + " LIMIT 1" + want[i:]
			} else {
				want += " LIMIT 1"
			}
			if got != want || fmt.Sprint(gotArgs) != fmt.Sprint(wantArgs) {
				t.Errorf("%s limited %d:\n got %s %v\nwant %s %v", d, i, got, gotArgs, want, wantArgs)
			}
		}
		for i, q := range same {
			got, _, err := wren.OneSQL(d, q)
			want, _, err2 := q.SQL(d)
			if got != want || (err == nil) != (err2 == nil) {
				t.Errorf("%s same %d:\n got %s %v\nwant %s %v", d, i, got, err, want, err2)
			}
		}
	}
}
