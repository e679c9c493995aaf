// want: cannot use "x" \(untyped string constant\) as int64 value
package main

import (
	"github.com/wrensql/wren"
	"github.com/wrensql/wren/internal/golden"
)

func main() { _ = wren.Set(golden.Users.ID, "x") }
