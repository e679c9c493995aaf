// want: cannot use "none" \(untyped string constant\) as int64 value in argument to wren.LagOr
package main

import (
	"github.com/wrensql/wren"
	"github.com/wrensql/wren/internal/golden"
)

func main() { _ = wren.LagOr(golden.Tweets.Likes, 1, "none") }
