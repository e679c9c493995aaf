// want: wren.Column\[int64\] does not satisfy wren.OrNull\[float64\]
package main

import (
	"github.com/wrensql/wren"
	"github.com/wrensql/wren/internal/golden"
)

func main() { _ = wren.Coalesce(golden.Users.Age, golden.Users.Score) }
