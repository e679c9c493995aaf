package wren_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"

	"github.com/wrensql/wren"
	"github.com/wrensql/wren/dialect"
)

type UserTable struct {
	wren.Table
	ID       wren.Column[int64]  `wren:",pk"`
	Username wren.Column[string] `wren:",unique"`
	Age      wren.Column[int64]
}

type TweetTable struct {
	wren.Table
	ID      wren.Column[int64] `wren:",pk"`
	UserID  wren.Column[int64] `wren:",references=users.id"`
	Message wren.Column[string]
	Likes   wren.Column[int64]
}

var (
	Users  = wren.NewTable[UserTable]("users")
	Tweets = wren.NewTable[TweetTable]("tweets")
)

type User struct {
	ID       int64
	Username string
	Age      int64
}

func show(s wren.Statement) {
	text, args, err := s.SQL(dialect.Postgres)
	if err != nil {
		fmt.Println("error:", err)
		return
	}
	fmt.Println(text)
	if len(args) > 0 {
		fmt.Println(args)
	}
}

func ExampleSelect() {
	q := wren.Select(Users.ID, Users.Username).
		From(Users).
		Where(Users.Username.Eq("huey"), Users.ID.Gte(1), Users.ID.In(1, 2, 3)).
		OrderBy(Users.ID.Desc()).
		Limit(10)
	show(q)
	// Output:
	// SELECT "id", "username" FROM "users" WHERE "username" = $1 AND "id" >= $2 AND "id" = ANY($3) ORDER BY "id" DESC LIMIT 10
	// [huey 1 [1 2 3]]
}

func ExampleSelectQuery_SQL() {
	q := wren.Select(Users.ID).From(Users).Where(Users.ID.In(4, 5)).Offset(20)
	for _, d := range []*dialect.Dialect{dialect.Postgres, dialect.MySQL, dialect.SQLite} {
		text, args, _ := q.SQL(d)
		fmt.Println(text, args)
	}
	// Output:
	// SELECT "id" FROM "users" WHERE "id" = ANY($1) OFFSET $2 [[4 5] 20]
	// SELECT `id` FROM `users` WHERE `id` IN (?, ?) LIMIT 18446744073709551615 OFFSET ? [4 5 20]
	// SELECT "id" FROM "users" WHERE "id" IN (?, ?) LIMIT -1 OFFSET ? [4 5 20]
}

func ExampleSelectQuery_Join() {
	// The ON condition comes from the references= tag when omitted.
	q := wren.Select(Tweets.Message, Users.Username).From(Tweets).Join(Users).
		Where(wren.Or(Users.Age.Lt(5), Tweets.Likes.Gt(100)))
	show(q)
	// Output:
	// SELECT "tweets"."message", "users"."username" FROM "tweets" JOIN "users" ON "tweets"."user_id" = "users"."id" WHERE ("users"."age" < $1 OR "tweets"."likes" > $2)
	// [5 100]
}

func ExampleSelectQuery_Paginate() {
	show(wren.Select(Users).From(Users).OrderBy(Users.Username).Paginate(3, 20))
	// Output:
	// SELECT "id", "username", "age" FROM "users" ORDER BY "username" LIMIT 20 OFFSET $1
	// [40]
}

func ExampleContains() {
	// % and _ in the value match only themselves.
	show(wren.Select(Users.ID).From(Users).Where(wren.Contains(Users.Username, "50%")))
	// Output:
	// SELECT "id" FROM "users" WHERE "username" LIKE $1 ESCAPE '!'
	// [%50!%%]
}

func ExampleRaw() {
	show(wren.Select(Users.ID).From(Users).Where(wren.Raw("lower(username) = ?", "huey")))
	// Output:
	// SELECT "id" FROM "users" WHERE (lower(username) = $1)
	// [huey]
}

func ExampleSubqueryOf() {
	huey := wren.SubqueryOf(Users.ID).From(Users).Where(Users.Username.Eq("huey"))
	show(wren.Select(Tweets.Message).From(Tweets).Where(Tweets.UserID.InQuery(huey)))
	// Output:
	// SELECT "message" FROM "tweets" WHERE ("user_id" IN (SELECT "users"."id" FROM "users" WHERE "users"."username" = $1))
	// [huey]
}

func ExampleCase() {
	stage := wren.Case[string]().When(Users.Age.Lt(13), "child").Else("adult")
	show(wren.Select(Users.Username, stage.As("stage")).From(Users))
	// Output:
	// SELECT "username", CASE WHEN "age" < $1 THEN CAST($2 AS TEXT) ELSE CAST($3 AS TEXT) END AS "stage" FROM "users"
	// [13 child adult]
}

func ExampleAgg_Over() {
	rank := wren.RowNumber().Over(wren.Window().PartitionBy(Tweets.UserID).OrderBy(Tweets.Likes.Desc()))
	show(wren.Select(Tweets.ID, rank.As("rank")).From(Tweets))
	// Output:
	// SELECT "id", ROW_NUMBER() OVER (PARTITION BY "user_id" ORDER BY "likes" DESC) AS "rank" FROM "tweets"
}

func ExampleUpdate() {
	show(wren.Update(Tweets).Set(wren.SetExpr(Tweets.Likes, Tweets.Likes.Add(1))).Where(Tweets.ID.Eq(7)))
	show(wren.Update(Tweets).Set(wren.Set(Tweets.Likes, int64(0)))) // no Where: refused
	// Output:
	// UPDATE "tweets" SET "likes" = ("likes" + $1) WHERE "id" = $2
	// [1 7]
	// error: wren: UPDATE tweets without Where: call All() to update every row
}

func ExampleInsertQuery_OnConflict() {
	q := wren.Insert(Users).Set(wren.Set(Users.Username, "huey"), wren.Set(Users.Age, int64(1))).
		OnConflict(Users.Username).
		DoUpdate([]wren.Assignment{wren.SetExpr(Users.Age, Users.Age.AddExpr(wren.Excluded(Users.Age)))})
	show(q)
	text, _, _ := q.SQL(dialect.MySQL)
	fmt.Println(text)
	// Output:
	// INSERT INTO "users" ("username", "age") VALUES ($1, $2) ON CONFLICT ("username") DO UPDATE SET "age" = ("users"."age" + excluded."age")
	// [huey 1]
	// INSERT INTO `users` (`username`, `age`) VALUES (?, ?) ON DUPLICATE KEY UPDATE `age` = (`age` + VALUES(`age`))
}

func ExampleCreateTable() {
	text, _, _ := wren.CreateTable(Tweets).SQL(dialect.SQLite)
	fmt.Println(text)
	// Output:
	// CREATE TABLE "tweets" ("id" INTEGER PRIMARY KEY AUTOINCREMENT, "user_id" INTEGER NOT NULL, "message" TEXT NOT NULL, "likes" INTEGER NOT NULL, FOREIGN KEY ("user_id") REFERENCES "users" ("id"))
}

// Example runs a few statements on an embedded SQLite database.
func Example() {
	ctx := context.Background()
	dir, _ := os.MkdirTemp("", "wren-example")
	defer os.RemoveAll(dir)
	db, err := wren.Open(ctx, "sqlite", filepath.Join(dir, "app.db"))
	if err != nil {
		fmt.Println(err)
		return
	}
	defer db.Close()
	if err := wren.CreateTables(ctx, db, Users, Tweets); err != nil {
		fmt.Println(err)
		return
	}
	huey, mickey := &User{Username: "huey", Age: 3}, &User{Username: "mickey", Age: 5}
	if err := wren.Create(ctx, db, Users, huey, mickey); err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("keys:", huey.ID, mickey.ID)

	err = db.Atomic(ctx, func(tx *wren.Tx) error {
		_, err := wren.Exec(ctx, tx, wren.Update(Users).Set(wren.SetExpr(Users.Age, Users.Age.Add(1))).All())
		return err
	})
	fmt.Println("update:", err)

	users, err := wren.All[User](ctx, db, wren.Select(Users).From(Users).OrderBy(Users.Age.Desc()))
	fmt.Println(users, err)
	n, err := wren.Count(ctx, db, wren.Select(Users.ID).From(Users).Where(Users.Age.Gt(4)))
	fmt.Println("older than 4:", n, err)
	_, err = wren.One[User](ctx, db, wren.Select(Users).From(Users).Where(Users.Username.Eq("zoe")))
	fmt.Println(err)
	for u, err := range wren.Iter[User](ctx, db, wren.Select(Users).From(Users).OrderBy(Users.ID)) {
		if err != nil {
			break
		}
		fmt.Println("iter:", u.Username)
	}
	// Output:
	// keys: 1 2
	// update: <nil>
	// [{2 mickey 6} {1 huey 4}] <nil>
	// older than 4: 1 <nil>
	// wren: no rows in result set
	// iter: huey
	// iter: mickey
}
