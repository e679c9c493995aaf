package wren_test

import (
	"context"
	"fmt"

	"github.com/wrensql/wren"
	"github.com/wrensql/wren/dialect"
)

func ExampleInsert() {
	// One row from typed assignments: wren.Set(Users.ID, "x") does not compile.
	show(wren.Insert(Users).Set(wren.Set(Users.Username, "huey"), wren.Set(Users.Age, int64(3))))
	// Rows of Go structs, mapped like the scanner maps them; a zero
	// auto-increment key is left to the database.
	show(wren.Insert(Users).Rows(User{Username: "huey", Age: 3}, User{Username: "mickey", Age: 5}))
	// Output:
	// INSERT INTO "users" ("username", "age") VALUES ($1, $2)
	// [huey 3]
	// INSERT INTO "users" ("username", "age") VALUES ($1, $2), ($3, $4)
	// [huey 3 mickey 5]
}

func ExampleInsertQuery_Select() {
	show(wren.Insert(Tweets).Select(wren.Columns(Tweets.UserID, Tweets.Message),
		wren.Select(Users.ID, Users.Username).From(Users).Where(Users.Age.Gt(2))))
	// Output:
	// INSERT INTO "tweets" ("user_id", "message") SELECT "users"."id", "users"."username" FROM "users" WHERE "users"."age" > $1
	// [2]
}

func ExampleInsertQuery_Returning() {
	q := wren.Insert(Users).Set(wren.Set(Users.Username, "huey")).Returning(Users.ID)
	show(q)
	for _, d := range []*dialect.Dialect{dialect.MariaDB, dialect.MySQL} {
		text, _, err := q.SQL(d)
		fmt.Println(text, err)
	}
	// Output:
	// INSERT INTO "users" ("username") VALUES ($1) RETURNING "id"
	// [huey]
	// INSERT INTO `users` (`username`) VALUES (?) RETURNING `id` <nil>
	//  wren: INSERT … RETURNING: not supported by this dialect on mysql
}

func ExampleUpdateQuery_From() {
	q := wren.Update(Tweets).From(Users).Set(wren.Set(Tweets.Likes, int64(0))).
		Where(Tweets.UserID.EqExpr(Users.ID), Users.Username.Eq("huey"))
	show(q)
	text, _, _ := q.SQL(dialect.MySQL)
	fmt.Println(text)
	// Output:
	// UPDATE "tweets" SET "likes" = $1 FROM "users" WHERE "tweets"."user_id" = "users"."id" AND "users"."username" = $2
	// [0 huey]
	// UPDATE `tweets`, `users` SET `tweets`.`likes` = ? WHERE `tweets`.`user_id` = `users`.`id` AND `users`.`username` = ?
}

func ExampleDelete() {
	show(wren.Delete(Tweets).Where(Tweets.Likes.Lt(1)).Returning(Tweets.ID))
	show(wren.Delete(Tweets))       // no Where: refused
	show(wren.Delete(Tweets).All()) // every row, asked for explicitly
	// Output:
	// DELETE FROM "tweets" WHERE "likes" < $1 RETURNING "id"
	// [1]
	// error: wren: DELETE FROM tweets without Where: call All() to delete every row
	// DELETE FROM "tweets"
}

func ExampleUpdateQuery_SetRow() {
	u := User{ID: 7, Username: "huey", Age: 0}
	// Every mapped field but the key, zero values included.
	show(wren.Update(Users).SetRow(u).Where(Users.ID.Eq(u.ID)))
	// Only the named columns.
	show(wren.Update(Users).SetRow(u, Users.Age).Where(Users.ID.Eq(u.ID)))
	// Output:
	// UPDATE "users" SET "username" = $1, "age" = $2 WHERE "id" = $3
	// [huey 0 7]
	// UPDATE "users" SET "age" = $1 WHERE "id" = $2
	// [0 7]
}

// A handle on the same pool that renders for another dialect of the same
// database: on a MariaDB server, dialect.MySQL writes what MySQL 8 runs.
// A dialect of another database is refused.
func ExampleDB_WithDialect() {
	ctx := context.Background()
	db, err := wren.Open(ctx, "sqlite", ":memory:")
	if err != nil {
		panic(err)
	}
	defer db.Close()
	same, err := db.WithDialect(dialect.SQLite)
	fmt.Println(same.Dialect(), err)
	_, err = db.WithDialect(dialect.MySQL)
	fmt.Println(err)
	// Output:
	// sqlite <nil>
	// wren: WithDialect(mysql): not a dialect of this sqlite database
}
