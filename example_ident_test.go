package wren_test

import (
	"errors"
	"fmt"

	"github.com/wrensql/wren"
	"github.com/wrensql/wren/dialect"
)

// Any valid UTF-8 name is quoted and stays one identifier; a name that is
// not UTF-8, or longer than the server keeps, is refused when the statement
// is rendered, with an error naming its role.
func ExampleErrIdentifier() {
	users := wren.NewTable[fuzzTable]("users")
	text, _, _ := wren.Select(users.Name.As(`odd "name"; --`)).From(users).SQL(dialect.Postgres)
	fmt.Println(text)

	_, _, err := wren.Select(users.Name.As("x\x81`")).From(users).SQL(dialect.MySQL)
	fmt.Println(err)
	fmt.Println(errors.Is(err, wren.ErrIdentifier))
	// Output:
	// SELECT "name" AS "odd ""name""; --" FROM "users"
	// wren: As alias name "x\x81`" is not valid UTF-8: invalid identifier
	// true
}
