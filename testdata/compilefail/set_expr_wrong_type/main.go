// want: type wren.Column\[string\] of golden.Users.Username does not match inferred type wren.TypedExpr\[int64\]
package main

import (
	"github.com/wrensql/wren"
	"github.com/wrensql/wren/internal/golden"
)

func main() { _ = wren.SetExpr(golden.Users.Age, golden.Users.Username) }
