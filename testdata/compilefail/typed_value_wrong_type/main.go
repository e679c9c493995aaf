// want: cannot use n \(variable of type int64\) as string value in variable declaration
package main

import (
	"context"

	"github.com/wrensql/wren"
	"github.com/wrensql/wren/internal/golden"
)

func main() {
	n, _ := wren.Value(context.Background(), nil, wren.SubqueryOf(wren.CountAll()).From(golden.Users))
	var s string = n
	_ = s
}
