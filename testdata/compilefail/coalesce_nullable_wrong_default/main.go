// want: wren.Column\[\*string\] does not satisfy wren.OrNull\[int64\]
package main

import (
	"github.com/wrensql/wren"
	"github.com/wrensql/wren/internal/golden"
)

func main() { _ = wren.Coalesce(golden.Users.Email, wren.Val(int64(1))) }
