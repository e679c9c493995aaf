// want: wren.Expr\[\*int64\] does not implement wren.TypedExpr\[\*string\]
package main

import (
	"github.com/wrensql/wren"
	"github.com/wrensql/wren/internal/golden"
)

func main() { _ = golden.Users.Email.EqExpr(wren.Nullable(golden.Users.Age)) }
