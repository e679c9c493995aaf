// want: string does not satisfy wren.Integer
package main

import (
	"github.com/wrensql/wren"
	"github.com/wrensql/wren/internal/golden"
)

func main() { _ = wren.BitAnd(golden.Users.Username, "x") }
