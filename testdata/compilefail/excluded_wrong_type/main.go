// want: does not match inferred type wren.TypedExpr\[int64\]|cannot use wren.Excluded\(golden.Users.Username\)
package main

import (
	"github.com/wrensql/wren"
	"github.com/wrensql/wren/internal/golden"
)

func main() { _ = wren.SetExpr(golden.Users.Age, wren.Excluded(golden.Users.Username)) }
