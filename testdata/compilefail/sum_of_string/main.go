// want: string does not satisfy wren.Number
package main

import (
	"github.com/wrensql/wren"
	"github.com/wrensql/wren/internal/golden"
)

func main() { _ = wren.Sum(golden.Users.Username) }
