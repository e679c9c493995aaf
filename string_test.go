package wren_test

import (
	"fmt"
	"testing"

	"github.com/matryer/is"

	"github.com/wrensql/wren"
	"github.com/wrensql/wren/dialect"
)

func TestStatementString(t *testing.T) {
	is := is.New(t)
	sel := wren.Select(Users.ID).From(Users).Where(Users.Age.Gte(18))
	cases := []struct {
		s    wren.Statement
		want string
	}{
		{sel, `SELECT "id" FROM "users" WHERE "age" >= $1`},
		{sel.Union(wren.Select(Tweets.UserID).From(Tweets)), `SELECT "id" FROM "users" WHERE "age" >= $1 UNION SELECT "user_id" FROM "tweets"`},
		{wren.Insert(Users).Set(wren.Set(Users.Username, "huey")), `INSERT INTO "users" ("username") VALUES ($1)`},
		{wren.Update(Users).Set(wren.Set(Users.Age, int64(3))).Where(Users.ID.Eq(1)), `UPDATE "users" SET "age" = $1 WHERE "id" = $2`},
		{wren.Delete(Users).Where(Users.ID.Eq(1)), `DELETE FROM "users" WHERE "id" = $1`},
		{wren.DropTable(Users), `DROP TABLE "users"`},
		{wren.SubqueryOf(wren.Max(Users.ID)).From(Users), `SELECT MAX("id") FROM "users"`},
		{wren.Select1(Users.Username).From(Users), `SELECT "username" FROM "users"`},
		{wren.Select1(Users.Username).From(Users).Union(wren.Select1(Tweets.Message).From(Tweets)), `SELECT "username" FROM "users" UNION SELECT "message" FROM "tweets"`},
		{wren.RawStmt("SELECT ? + ?", 1, 2), `SELECT $1 + $2`},
		// What cannot be rendered says why.
		{wren.Delete(Users), `wren: cannot render: DELETE FROM users without Where: call All() to delete every row`},
	}
	for _, c := range cases {
		is.Equal(fmt.Sprint(c.s), c.want)
		is.Equal(fmt.Sprintf("%v|%s", c.s, c.s), c.want+"|"+c.want)
		if text, _, err := c.s.SQL(dialect.Postgres); err == nil {
			is.Equal(text, c.want) // String is SQL for PostgreSQL
		}
	}
	ct := fmt.Sprint(wren.CreateTable(Users))
	is.Equal(ct[:len(`CREATE TABLE "users" (`)], `CREATE TABLE "users" (`)
}

// A statement prints as its SQL for PostgreSQL, without its arguments.
func ExampleSelectQuery_String() {
	q := wren.Select(Users.Username).From(Users).Where(Users.Age.Gte(18)).OrderBy(Users.Username)
	fmt.Println(q)
	// Output:
	// SELECT "username" FROM "users" WHERE "age" >= $1 ORDER BY "username"
}
