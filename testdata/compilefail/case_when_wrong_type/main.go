// want: cannot use 1 \(untyped int constant\) as string value in argument to wren.Case\[string\]\(\).When
package main

import (
	"github.com/wrensql/wren"
	"github.com/wrensql/wren/internal/golden"
)

func main() { _ = wren.Case[string]().When(golden.Users.Age.Lt(13), 1) }
