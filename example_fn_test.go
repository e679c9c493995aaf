package wren_test

import (
	"fmt"

	"github.com/wrensql/wren"
	"github.com/wrensql/wren/dialect"
)

// showOn renders s for each dialect in turn.
func showOn(s wren.Statement, ds ...*dialect.Dialect) {
	for _, d := range ds {
		text, args, err := s.SQL(d)
		if err != nil {
			fmt.Printf("%s: error: %v\n", d, err)
			continue
		}
		fmt.Printf("%s: %s %v\n", d, text, args)
	}
}

// Peewee's "users ordered by their tweet count": an aggregate over a LEFT
// OUTER JOIN whose condition comes from the declared foreign key, grouped,
// filtered with HAVING and ordered by its alias.
func ExampleCountOf() {
	tweets := wren.CountOf(Tweets.ID).As("tweets")
	show(wren.Select(Users.Username, tweets).From(Users).LeftJoin(Tweets).
		GroupBy(Users.ID, Users.Username).
		Having(wren.CountOf(Tweets.ID).Gte(1)).
		OrderBy(tweets.Desc()))
	// Output:
	// SELECT "users"."username", COUNT("tweets"."id") AS "tweets" FROM "users" LEFT JOIN "tweets" ON "tweets"."user_id" = "users"."id" GROUP BY "users"."id", "users"."username" HAVING COUNT("tweets"."id") >= $1 ORDER BY "tweets" DESC
	// [1]
}

// Sum keeps the column's Go type: the sum of an int64 column is an
// Expr[int64] on every dialect, cast back from NUMERIC or DECIMAL.
func ExampleSum() {
	showOn(wren.Select(wren.Sum(Tweets.Likes).As("likes")).From(Tweets),
		dialect.Postgres, dialect.MySQL, dialect.SQLite)
	// Output:
	// postgres: SELECT CAST(SUM("likes") AS BIGINT) AS "likes" FROM "tweets" []
	// mysql: SELECT CAST(SUM(`likes`) AS SIGNED) AS `likes` FROM `tweets` []
	// sqlite: SELECT CAST(SUM("likes") AS INTEGER) AS "likes" FROM "tweets" []
}

// Concat is || or CONCAT(), whichever the dialect has.
func ExampleConcat() {
	label := wren.Concat(Users.Username, wren.Val(" ("), wren.Upper(Users.Username), wren.Val(")"))
	showOn(wren.Select(label.As("label")).From(Users), dialect.Postgres, dialect.MySQL)
	// Output:
	// postgres: SELECT ("username" || CAST($1 AS TEXT) || UPPER("username") || CAST($2 AS TEXT)) AS "label" FROM "users" [ ( )]
	// mysql: SELECT CONCAT(`username`, ?, UPPER(`username`), ?) AS `label` FROM `users` [ ( )]
}

// Cast converts to the SQL type of a Go type on each dialect; Func calls
// any SQL function by name, with the result type you state.
func ExampleCast() {
	showOn(wren.Select(wren.Cast[string](Users.Age).As("age"),
		wren.Func[string]("REPLACE", Users.Username, wren.Val("e"), wren.Val("3")).As("leet")).From(Users),
		dialect.Postgres, dialect.MySQL)
	// Output:
	// postgres: SELECT CAST("age" AS TEXT) AS "age", REPLACE("username", CAST($1 AS TEXT), CAST($2 AS TEXT)) AS "leet" FROM "users" [e 3]
	// mysql: SELECT CAST(`age` AS CHAR) AS `age`, REPLACE(`username`, ?, ?) AS `leet` FROM `users` [e 3]
}

// A CTE is declared like a table, so its columns are typed.
func ExampleCTEOf() {
	type ActiveTable struct {
		wren.Table
		UserID wren.Column[int64]
		N      wren.Column[int64]
	}
	active := wren.NewTable[ActiveTable]("active")
	show(wren.Select(Users.Username, active.N).From(active).Join(Users, Users.ID.EqExpr(active.UserID)).
		Where(active.N.Gt(2)).
		With(wren.CTEOf(active, wren.Select(Tweets.UserID, wren.CountAll().As("n")).
			From(Tweets).Where(Tweets.Likes.Gt(0)).GroupBy(Tweets.UserID))))
	// Output:
	// WITH "active" ("user_id", "n") AS (SELECT "tweets"."user_id", COUNT(*) AS "n" FROM "tweets" WHERE "tweets"."likes" > $1 GROUP BY "tweets"."user_id") SELECT "users"."username", "active"."n" FROM "active" JOIN "users" ON "users"."id" = "active"."user_id" WHERE "active"."n" > $2
	// [0 2]
}

func ExampleSelectQuery_WithRecursive() {
	type NumsTable struct {
		wren.Table
		N wren.Column[int64]
	}
	nums := wren.NewTable[NumsTable]("nums")
	body := wren.Select(wren.Val(int64(1)).As("n")).
		UnionAll(wren.Select(nums.N.Add(1)).From(nums).Where(nums.N.Lt(10)))
	show(wren.Select(nums.N).From(nums).WithRecursive(wren.CTEOf(nums, body)))
	// Output:
	// WITH RECURSIVE "nums" ("n") AS (SELECT CAST($1 AS BIGINT) AS "n" UNION ALL SELECT ("nums"."n" + $2) FROM "nums" WHERE "nums"."n" < $3) SELECT "n" FROM "nums"
	// [1 1 10]
}

// A subquery in FROM, with typed columns named by As.
func ExampleDerived() {
	type TopTable struct {
		wren.Table
		UserID wren.Column[int64]
		Best   wren.Column[int64]
	}
	top := wren.Derived[TopTable](wren.Select(Tweets.UserID, wren.Max(Tweets.Likes).As("best")).
		From(Tweets).GroupBy(Tweets.UserID), "top")
	show(wren.Select(top.UserID, top.Best).From(top).Where(top.Best.Gte(10)))
	// Output:
	// SELECT "user_id", "best" FROM (SELECT "tweets"."user_id", MAX("tweets"."likes") AS "best" FROM "tweets" GROUP BY "tweets"."user_id") AS "top" WHERE "best" >= $1
	// [10]
}

// A member with its own ORDER BY or LIMIT is parenthesised, or on SQLite
// (which has no parenthesised members) read through SELECT * FROM (…).
func ExampleSelectQuery_Union() {
	oldest := wren.Select(Users.Username).From(Users).OrderBy(Users.Age.Desc()).Limit(1)
	q := oldest.Union(wren.Select(Users.Username).From(Users).Where(Users.Age.Lt(18))).
		OrderBy(Users.Username).Limit(10)
	showOn(q, dialect.Postgres, dialect.SQLite)
	// Output:
	// postgres: (SELECT "username" FROM "users" ORDER BY "age" DESC LIMIT 1) UNION SELECT "username" FROM "users" WHERE "age" < $1 ORDER BY "username" LIMIT 10 [18]
	// sqlite: SELECT * FROM (SELECT "username" FROM "users" ORDER BY "age" DESC LIMIT 1) UNION SELECT "username" FROM "users" WHERE "age" < ? ORDER BY "username" LIMIT 10 [18]
}

// DISTINCT ON is PostgreSQL's; elsewhere rendering fails with ErrUnsupported.
func ExampleSelectQuery_DistinctOn() {
	q := wren.Select(Tweets.UserID, Tweets.Message).From(Tweets).
		DistinctOn(Tweets.UserID).OrderBy(Tweets.UserID, Tweets.Likes.Desc())
	showOn(q, dialect.Postgres, dialect.MySQL)
	// Output:
	// postgres: SELECT DISTINCT ON ("user_id") "user_id", "message" FROM "tweets" ORDER BY "user_id", "likes" DESC []
	// mysql: error: wren: SELECT DISTINCT ON: not supported by this dialect on mysql
}

// LagOr gives a default where there is no earlier row; MariaDB's LAG has no
// default argument, so there it is a COALESCE around the window function.
func ExampleLagOr() {
	prev := wren.LagOr(Tweets.Likes, 1, 0).Over(wren.Window().PartitionBy(Tweets.UserID).OrderBy(Tweets.ID))
	showOn(wren.Select(Tweets.ID, prev.As("prev")).From(Tweets), dialect.Postgres, dialect.MariaDB)
	// Output:
	// postgres: SELECT "id", LAG("likes", 1, CAST($1 AS BIGINT)) OVER (PARTITION BY "user_id" ORDER BY "id") AS "prev" FROM "tweets" [0]
	// mariadb: SELECT `id`, COALESCE(LAG(`likes`, 1) OVER (PARTITION BY `user_id` ORDER BY `id`), ?) AS `prev` FROM `tweets` [0]
}

// Typed subqueries combine and stay typed, so IN still checks the type.
func ExampleSubquery_Union() {
	popular := wren.SubqueryOf(Tweets.UserID).From(Tweets).Where(Tweets.Likes.Gt(100))
	young := wren.SubqueryOf(Users.ID).From(Users).Where(Users.Age.Lt(18))
	show(wren.Select(Users.Username).From(Users).Where(Users.ID.InQuery(popular.Union(young))))
	// Output:
	// SELECT "username" FROM "users" WHERE ("id" IN (SELECT "tweets"."user_id" FROM "tweets" WHERE "tweets"."likes" > $1 UNION SELECT "users"."id" FROM "users" WHERE "users"."age" < $2))
	// [100 18]
}
