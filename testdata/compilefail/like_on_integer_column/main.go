// want: S \(type int64\) does not satisfy ~string
package main

import (
	"github.com/wrensql/wren"
	"github.com/wrensql/wren/internal/golden"
)

func main() { _ = wren.Like(golden.Users.ID, 5) }
