// want: cannot use rows\[0\].V2 \(variable of type \*int64\) as int64 value in variable declaration
package main

import (
	"context"

	"github.com/wrensql/wren"
	"github.com/wrensql/wren/internal/golden"
)

// SUM over no rows is NULL: a typed select's row holds a *int64 for it.
func main() {
	rows, _ := wren.Rows(context.Background(), nil,
		wren.Select2(golden.Users.Username, wren.Sum(golden.Users.Age)).From(golden.Users).GroupBy(golden.Users.Username))
	var total int64 = rows[0].V2
	_ = total
}
