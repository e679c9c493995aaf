// want: cannot use rows \(variable of type \[\]wren.Row2\[int64, string\]\) as \[\]wren.Row2\[string, int64\] value
package main

import (
	"context"

	"github.com/wrensql/wren"
	"github.com/wrensql/wren/internal/golden"
)

func main() {
	rows, _ := wren.Rows(context.Background(), nil, wren.Select2(golden.Users.ID, golden.Users.Username).From(golden.Users))
	var wrong []wren.Row2[string, int64] = rows
	_ = wrong
}
