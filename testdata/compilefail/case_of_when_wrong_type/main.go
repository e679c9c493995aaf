// want: cannot use "one" \(untyped string constant\) as int64 value in argument to wren.CaseOf\[string\]\(golden.Users.Age\).When
package main

import (
	"github.com/wrensql/wren"
	"github.com/wrensql/wren/internal/golden"
)

func main() { _ = wren.CaseOf[string](golden.Users.Age).When("one", "1") }
