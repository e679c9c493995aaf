// want: type wren.Column\[float64\] of golden.Users.Score does not match inferred type wren.TypedExpr\[int64\]
package main

import (
	"github.com/wrensql/wren"
	"github.com/wrensql/wren/internal/golden"
)

func main() { _ = wren.Coalesce(golden.Users.Age, golden.Users.Score) }
