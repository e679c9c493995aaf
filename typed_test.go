package wren_test

import (
	"fmt"
	"reflect"
	"testing"

	"github.com/wrensql/wren"
	"github.com/wrensql/wren/internal/golden"
)

// TestTypedSelectRendersLikeSelect: a typed select renders, for every
// dialect, exactly the text, arguments and error of the untyped Select of
// the same expressions and clauses.
func TestTypedSelectRendersLikeSelect(t *testing.T) {
	for _, p := range golden.TypedPairs {
		for _, d := range golden.Dialects {
			tt, ta, te := p.Typed.SQL(d)
			ut, ua, ue := p.Untyped.SQL(d)
			if tt != ut || !reflect.DeepEqual(ta, ua) || fmt.Sprint(te) != fmt.Sprint(ue) {
				t.Errorf("%s on %s:\ntyped:   %s %v %v\nuntyped: %s %v %v", p.Name, d, tt, ta, te, ut, ua, ue)
			}
		}
	}
}

// A nil expression is refused when the query renders, as Select's nil item is.
func TestTypedSelectNilExpr(t *testing.T) {
	var e wren.TypedExpr[int64]
	_, _, err := wren.Select2(e, golden.Users.Username).From(golden.Users).SQL(golden.Dialects[0])
	_, _, uerr := wren.Select(nil, golden.Users.Username).From(golden.Users).SQL(golden.Dialects[0])
	if err == nil || fmt.Sprint(err) != fmt.Sprint(uerr) {
		t.Fatalf("typed: %v; untyped: %v", err, uerr)
	}
}
