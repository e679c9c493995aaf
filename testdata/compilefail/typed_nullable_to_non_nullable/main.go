// want: cannot use rows\[0\].V2 \(variable of type \*string\) as string value in variable declaration
package main

import (
	"context"

	"github.com/wrensql/wren"
	"github.com/wrensql/wren/internal/golden"
)

func main() {
	rows, _ := wren.Rows(context.Background(), nil, wren.Select2(golden.Users.ID, golden.Users.Email).From(golden.Users))
	var email string = rows[0].V2
	_ = email
}
