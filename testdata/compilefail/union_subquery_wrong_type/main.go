// want: cannot use wren.SubqueryOf\(golden.Users.Username\) \(value of struct type wren.Subquery\[string\]\) as wren.Subquery\[int64\] value in argument to .*Union
package main

import (
	"github.com/wrensql/wren"
	"github.com/wrensql/wren/internal/golden"
)

func main() { _ = wren.SubqueryOf(golden.Users.ID).Union(wren.SubqueryOf(golden.Users.Username)) }
