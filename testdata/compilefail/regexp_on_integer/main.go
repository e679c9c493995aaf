// want: int64 does not satisfy wren.Text
package main

import (
	"github.com/wrensql/wren"
	"github.com/wrensql/wren/internal/golden"
)

func main() { _ = wren.Regexp(golden.Users.Age, "^1") }
