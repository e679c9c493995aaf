// want: cannot use wren.Select2\(golden.Users.ID, golden.Users.Age\) \(value of struct type wren.TypedSelect\[wren.Row2\[int64, int64\]\]\) as wren.TypedSelect\[wren.Row2\[int64, string\]\] value in argument to .*Union
package main

import (
	"github.com/wrensql/wren"
	"github.com/wrensql/wren/internal/golden"
)

func main() {
	_ = wren.Select2(golden.Users.ID, golden.Users.Username).Union(wren.Select2(golden.Users.ID, golden.Users.Age))
}
