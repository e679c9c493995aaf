package golden

import "github.com/wrensql/wren"

// Identifiers that are not valid UTF-8 are refused where they are quoted:
// under a connection charset such as GBK the bytes 0x81 0x60 are one
// character, so \x81 and a backtick would end the quoted name early.
var (
	gbkUsers = wren.NewTable[UserTable]("users\x81`")
	gbkAlias = wren.Alias(Users, "u\x81`")
)

var _ = Add(
	Case{Name: "identifier with quotes and unicode", Stmt: wren.Select(Users.ID.As("ünï \"q\" `b` [s] ☃")).From(Users)},
	Case{Name: "table name not valid UTF-8", Stmt: wren.Select(gbkUsers.ID).From(gbkUsers)},
	Case{Name: "table alias not valid UTF-8", Stmt: wren.Select(gbkAlias.ID).From(gbkAlias)},
	Case{Name: "As alias not valid UTF-8", Stmt: wren.Select(Users.ID.As("x\x81`, `password")).From(Users)},
	Case{Name: "identifier with a NUL byte", Stmt: wren.Select(Users.ID.As("a\x00b")).From(Users)},
)

// PostgreSQL would shorten this name to its first 63 bytes.
var _ = Add(Case{Name: "identifier longer than postgres keeps",
	Stmt: wren.Select(Users.ID.As("a_column_alias_that_is_longer_than_the_sixty_three_bytes_postgres_keeps")).From(Users)})
