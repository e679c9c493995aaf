// want: wren.Column\[string\] does not implement wren.TypedExpr\[int64\]
package main

import "github.com/wrensql/wren/internal/golden"

func main() { _ = golden.Users.ID.EqExpr(golden.Users.Username) }
