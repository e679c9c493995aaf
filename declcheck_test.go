package wren_test

import (
	"database/sql"
	"strings"
	"testing"

	"github.com/wrensql/wren"
	"github.com/wrensql/wren/dialect"
)

type refParentTable struct {
	wren.Table
	ID   wren.Column[int64]  `wren:",pk"`
	Code wren.Column[string] `wren:",unique"`
}

type refWrongChildTable struct {
	wren.Table
	ID       wren.Column[int64]  `wren:",pk"`
	ParentID wren.Column[string] `wren:",references=ref_parent_a.id"`
}

type refWrongChildLaterTable struct {
	wren.Table
	ID       wren.Column[int64] `wren:",pk"`
	ParentID wren.Column[bool]  `wren:",references=ref_parent_b.id"`
}

type refGoodChildTable struct {
	wren.Table
	ID         wren.Column[int64]          `wren:",pk"`
	ParentID   wren.Column[*int64]         `wren:",references=ref_parent_c.id"`
	ParentCode wren.Column[sql.NullString] `wren:",references=ref_parent_c.code"`
	Self       wren.Column[*int32]         `wren:",references=ref_good_child.id"`
}

// TestReferencesOfAnotherTypePanicAtDeclaration: a references= tag between
// columns of different Go types is a malformed declaration, found by
// NewTable whichever of the two tables is declared first.
func TestReferencesOfAnotherTypePanicAtDeclaration(t *testing.T) {
	// The referenced table first.
	wren.NewTable[refParentTable]("ref_parent_a")
	mustPanic(t, "field ParentID is a Column[string] with references=ref_parent_a.id, but ref_parent_a.id is a Column[int64]", func() {
		wren.NewTable[refWrongChildTable]("ref_wrong_child")
	})
	// The referencing table first: the check waits for its target.
	wren.NewTable[refWrongChildLaterTable]("ref_wrong_child_later")
	mustPanic(t, "wren.NewTable[wren_test.refWrongChildLaterTable]: field ParentID is a Column[bool] with references=ref_parent_b.id", func() {
		wren.NewTable[refParentTable]("ref_parent_b")
	})
	// Nullable, sql.Null and other integer sizes hold the same values.
	wren.NewTable[refParentTable]("ref_parent_c")
	wren.NewTable[refGoodChildTable]("ref_good_child")
}

type topWrong struct {
	wren.Table
	UserID wren.Column[int64]
	N      wren.Column[string]
}

// TestDerivedOfAnotherTypeIsAnError: a Derived table (often built from
// input at run time) whose column is declared with another type than its
// query selects fails every statement that uses it, naming field and types.
func TestDerivedOfAnotherTypeIsAnError(t *testing.T) {
	q := wren.Select(Tweets.UserID, wren.CountAll().As("n")).From(Tweets).GroupBy(Tweets.UserID)
	top := wren.Derived[topWrong](q, "top")
	for _, s := range []wren.Statement{
		wren.Select(top.UserID).From(top),
		wren.Select(Users.Username).From(Users).Join(top, top.UserID.EqExpr(Users.ID)),
	} {
		_, _, err := s.SQL(dialect.SQLite)
		if err == nil || !strings.Contains(err.Error(), "derived table top: field N is a Column[string], but its query selects n as int64") {
			t.Fatalf("got %v", err)
		}
	}
	// An expression of unknown type is given the benefit of the doubt.
	raw := wren.Derived[topWrong](wren.Select(Tweets.UserID, wren.RawExpr[any]("'x'").As("n")).From(Tweets), "raw")
	if _, _, err := wren.Select(raw.N).From(raw).SQL(dialect.SQLite); err != nil {
		t.Fatalf("a RawExpr[any] column was refused: %v", err)
	}
	// Over a compound, the first SELECT names the columns.
	either := wren.Derived[topWrong](wren.Select(Tweets.UserID, Tweets.Likes.As("n")).From(Tweets).
		Union(wren.Select(Users.ID.As("user_id"), Users.Age.As("n")).From(Users)), "either")
	if _, _, err := wren.Select(either.N).From(either).SQL(dialect.Postgres); err == nil {
		t.Fatal("a compound's wrong column type rendered")
	}
}
