// want: cannot use "5" \(untyped string constant\) as int64 value
package main

import (
	"github.com/wrensql/wren"
	"github.com/wrensql/wren/internal/golden"
)

func main() { _ = wren.Tuple2(golden.Tweets.Likes, golden.Tweets.ID).Lt(3, "5") }
