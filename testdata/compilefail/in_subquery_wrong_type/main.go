// want: cannot use wren.SubqueryOf\(golden.Users.Username\) \(value of struct type wren.Subquery\[string\]\) as wren.Subquery\[int64\] value
package main

import (
	"github.com/wrensql/wren"
	"github.com/wrensql/wren/internal/golden"
)

func main() { _ = golden.Tweets.UserID.InQuery(wren.SubqueryOf(golden.Users.Username)) }
