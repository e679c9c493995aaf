// want: cannot use "1" \(untyped string constant\) as int64 value
package main

import "github.com/wrensql/wren/internal/golden"

func main() { _ = golden.Users.Age.Add("1") }
