package wren_test

import (
	"fmt"
	"reflect"
	"strings"
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
	var e wren.Projection[int64]
	_, _, err := wren.Select2(e, golden.Users.Username).From(golden.Users).SQL(golden.Dialects[0])
	_, _, uerr := wren.Select(nil, golden.Users.Username).From(golden.Users).SQL(golden.Dialects[0])
	if err == nil || fmt.Sprint(err) != fmt.Sprint(uerr) {
		t.Fatalf("typed: %v; untyped: %v", err, uerr)
	}
}

type likedWrong struct {
	wren.Table
	UserID wren.Column[int64]
	Likes  wren.Column[string]
}

// A derived table filled by a typed select is checked against its columns'
// types like one filled by Select.
func TestTypedSelectDerivedChecked(t *testing.T) {
	G := golden.Tweets
	bad := wren.Derived[likedWrong](wren.Select2(G.UserID, G.Likes).From(G), "bad")
	_, _, err := wren.Select1(bad.UserID).From(bad).SQL(golden.Dialects[0])
	if err == nil || !strings.Contains(err.Error(), "field Likes is a Column[string], but its query selects likes as int64") {
		t.Fatalf("got %v", err)
	}
}
