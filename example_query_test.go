package wren_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"

	"github.com/wrensql/wren"
	"github.com/wrensql/wren/dialect"
)

// exampleDB opens a fresh SQLite database holding two users and five
// tweets; close it with the returned function.
func exampleDB(ctx context.Context) (*wren.DB, func(), error) {
	dir, _ := os.MkdirTemp("", "wren-example")
	db, err := wren.Open(ctx, "sqlite", filepath.Join(dir, "query.db"))
	if err != nil {
		return nil, nil, err
	}
	done := func() { db.Close(); os.RemoveAll(dir) }
	type tweet struct {
		ID      int64
		UserID  int64
		Message string
		Likes   int64
	}
	if err = wren.CreateTables(ctx, db, Users, Tweets); err == nil {
		_, err = wren.Exec(ctx, db, wren.Insert(Users).Rows(User{ID: 1, Username: "huey", Age: 7}, User{ID: 2, Username: "mickey", Age: 9}))
	}
	if err == nil {
		_, err = wren.Exec(ctx, db, wren.Insert(Tweets).Rows(tweet{1, 1, "meow", 3}, tweet{2, 1, "purr", 0},
			tweet{3, 2, "woof", 5}, tweet{4, 2, "bark", 3}, tweet{5, 2, "yip", 0}))
	}
	if err != nil {
		done()
		return nil, nil, err
	}
	return db, done, nil
}

// Keyset pagination: each page starts after the last row of the one
// before, by a row-value comparison on the sort key, so a page costs the
// same however deep it is (OFFSET reads and drops every row before it).
func ExampleTuple2() {
	ctx := context.Background()
	db, done, err := exampleDB(ctx)
	if err != nil {
		fmt.Println(err)
		return
	}
	defer done()

	// Most liked first; the id breaks ties, so the order is total.
	base := wren.Select2(Tweets.Likes, Tweets.ID).From(Tweets).OrderBy(Tweets.Likes.Desc(), Tweets.ID.Desc()).Limit(2)
	q := base
	for {
		page, err := wren.Rows(ctx, db, q)
		if err != nil || len(page) == 0 {
			break
		}
		fmt.Println(page)
		last := page[len(page)-1]
		q = base.Where(wren.Tuple2(Tweets.Likes, Tweets.ID).Lt(last.V1, last.V2))
	}
	showOn(q, dialect.Postgres, dialect.MySQL)
	// Output:
	// [{5 3} {3 4}]
	// [{3 1} {0 5}]
	// [{0 2}]
	// postgres: SELECT "likes", "id" FROM "tweets" WHERE ("likes", "id") < ($1, $2) ORDER BY "likes" DESC, "id" DESC LIMIT 2 [0 2]
	// mysql: SELECT `likes`, `id` FROM `tweets` WHERE (`likes` < ? OR (`likes` = ? AND `id` < ?)) ORDER BY `likes` DESC, `id` DESC LIMIT ? [0 0 2 2]
}

// A VALUES list is a table of rows the query brings along: here, the
// names to look up, each with the order to show it in.
func ExampleValuesList() {
	ctx := context.Background()
	db, done, err := exampleDB(ctx)
	if err != nil {
		fmt.Println(err)
		return
	}
	defer done()

	type WantedTable struct {
		wren.Table
		Name wren.Column[string]
		Pos  wren.Column[int64]
	}
	wanted := wren.ValuesList[WantedTable]("wanted",
		wren.Row2[string, int64]{V1: "mickey", V2: 1}, wren.Row2[string, int64]{V1: "huey", V2: 2})
	q := wren.Select2(Users.Username, Users.Age).From(wanted).
		Join(Users, Users.Username.EqExpr(wanted.Name)).OrderBy(wanted.Pos)
	rows, err := wren.Rows(ctx, db, q)
	fmt.Println(rows, err)
	showOn(wren.Select(wanted.Name).From(wanted), dialect.Postgres, dialect.MySQL, dialect.MariaDB, dialect.SQLite)
	// Output:
	// [{mickey 9} {huey 7}] <nil>
	// postgres: SELECT "name" FROM (VALUES (CAST($1 AS TEXT), CAST($2 AS BIGINT)), ($3, $4)) AS "wanted" ("name", "pos") [mickey 1 huey 2]
	// mysql: SELECT `name` FROM (VALUES ROW(?, ?), ROW(?, ?)) AS `wanted` (`name`, `pos`) [mickey 1 huey 2]
	// mariadb: SELECT `name` FROM (SELECT ? AS `name`, ? AS `pos` UNION ALL SELECT ?, ?) AS `wanted` [mickey 1 huey 2]
	// sqlite: SELECT "name" FROM (SELECT column1 AS "name", column2 AS "pos" FROM (VALUES (?, ?), (?, ?))) AS "wanted" [mickey 1 huey 2]
}

// A LATERAL subquery runs once per row of the tables before it and may
// return several rows: each user's most liked tweet here.
func ExampleSelectQuery_JoinLateral() {
	type BestTable struct {
		wren.Table
		Message wren.Column[string]
		Likes   wren.Column[int64]
	}
	best := wren.Derived[BestTable](wren.Select(Tweets.Message, Tweets.Likes).From(Tweets).
		Where(Tweets.UserID.EqExpr(Users.ID)).OrderBy(Tweets.Likes.Desc()).Limit(1), "best")
	showOn(wren.Select(Users.Username, best.Message).From(Users).JoinLateral(best),
		dialect.Postgres, dialect.MariaDB)
	// Output:
	// postgres: SELECT "users"."username", "best"."message" FROM "users" JOIN LATERAL (SELECT "tweets"."message", "tweets"."likes" FROM "tweets" WHERE "tweets"."user_id" = "users"."id" ORDER BY "tweets"."likes" DESC LIMIT 1) AS "best" ON TRUE []
	// mariadb: error: wren: JOIN LATERAL: not supported by this dialect on mariadb
}

// Filter counts a subset of the rows beside the whole; StringAgg joins
// texts in the order given, each dialect in its own spelling.
func ExampleAgg_Filter() {
	ctx := context.Background()
	db, done, err := exampleDB(ctx)
	if err != nil {
		fmt.Println(err)
		return
	}
	defer done()

	q := wren.Select3(Tweets.UserID,
		wren.CountAll().Filter(Tweets.Likes.Gt(0)),
		wren.StringAgg(Tweets.Message, ", ").OrderBy(Tweets.Likes.Desc(), Tweets.ID)).
		From(Tweets).GroupBy(Tweets.UserID).OrderBy(Tweets.UserID)
	rows, err := wren.Rows(ctx, db, q)
	fmt.Println(rows, err)
	showOn(q, dialect.MySQL)
	// Output:
	// [{1 1 meow, purr} {2 2 woof, bark, yip}] <nil>
	// mysql: SELECT `user_id`, COUNT(CASE WHEN `likes` > ? THEN 1 END), GROUP_CONCAT(`message` ORDER BY `likes` DESC, `id` SEPARATOR ', ') FROM `tweets` GROUP BY `user_id` ORDER BY `user_id` [0]
}

// Regexp matches case-sensitively everywhere; on SQLite it runs Go's
// regexp package, registered with the driver by wren.
func ExampleRegexp() {
	ctx := context.Background()
	db, done, err := exampleDB(ctx)
	if err != nil {
		fmt.Println(err)
		return
	}
	defer done()

	found, err := wren.Values(ctx, db, wren.Select1(Tweets.Message).From(Tweets).
		Where(wren.Regexp(Tweets.Message, "^[a-z]{4}$"), wren.CaseSensitiveLike(Tweets.Message, "%r%")).OrderBy(Tweets.ID))
	fmt.Println(found, err)
	showOn(wren.Select(Tweets.ID).From(Tweets).Where(wren.IRegexp(Tweets.Message, "^M")), dialect.Postgres, dialect.MariaDB)
	// Output:
	// [purr bark] <nil>
	// postgres: SELECT "id" FROM "tweets" WHERE "message" ~* $1 [^M]
	// mariadb: SELECT `id` FROM `tweets` WHERE `message` REGEXP ? [(?i)^M]
}

// The bitwise operators take signed integer expressions only; MySQL's,
// which compute on unsigned integers, are cast back.
func ExampleBitAnd() {
	flags := wren.BitAnd(Users.Age, 4)
	showOn(wren.Select(Users.ID).From(Users).Where(flags.Ne(0)), dialect.Postgres, dialect.MySQL)
	// Output:
	// postgres: SELECT "id" FROM "users" WHERE ("age" & $1) <> $2 [4 0]
	// mysql: SELECT `id` FROM `users` WHERE CAST((`age` & ?) AS SIGNED) <> ? [4 0]
}

// A named window is defined once, used as it is, and extended.
func ExampleSelectQuery_Window() {
	w := wren.Window().PartitionBy(Tweets.UserID).As("per_user")
	show(wren.Select(Tweets.ID,
		wren.CountAll().OverWindow(w).As("n"),
		wren.RowNumber().Over(w.Extend().OrderBy(Tweets.Likes.Desc())).As("rank")).
		From(Tweets).Window(w))
	// Output:
	// SELECT "id", COUNT(*) OVER "per_user" AS "n", ROW_NUMBER() OVER ("per_user" ORDER BY "likes" DESC) AS "rank" FROM "tweets" WINDOW "per_user" AS (PARTITION BY "user_id")
}
