// want: in call to wren.Values, type wren.TypedSelect\[wren.Row2\[int64, string\]\] of .* does not match wren.Selects\[wren.Row1\[T\]\] \(cannot infer T\)
package main

import (
	"context"

	"github.com/wrensql/wren"
	"github.com/wrensql/wren/internal/golden"
)

func main() {
	_, _ = wren.Values(context.Background(), nil, wren.Select2(golden.Users.ID, golden.Users.Username).From(golden.Users))
}
