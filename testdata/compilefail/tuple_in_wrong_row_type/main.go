// want: cannot use wren.Select2\(golden.Users.ID, golden.Users.Username\).*as wren.Selects\[wren.Row2\[int64, int64\]\]
package main

import (
	"github.com/wrensql/wren"
	"github.com/wrensql/wren/internal/golden"
)

func main() {
	_ = wren.Tuple2(golden.Tweets.UserID, golden.Tweets.Likes).InQuery(wren.Select2(golden.Users.ID, golden.Users.Username).From(golden.Users))
}
