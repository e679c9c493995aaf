package golden

import "github.com/wrensql/wren"

// The golden cases of docs/safety.md: queries that would return wrong rows
// if rendered naively, and what wren renders (or refuses) instead.
var _ = Add(
	// NULL in a comparison: IS NULL / IS NOT NULL, never "= NULL".
	Case{Name: "eq nil is is null", Stmt: wren.Select(Users.ID).From(Users).Where(Users.Email.Eq(nil))},
	Case{Name: "ne nil is is not null", Stmt: wren.Select(Users.ID).From(Users).Where(Users.Email.Ne(nil))},
	Case{Name: "lt nil is an error", Stmt: wren.Select(Users.ID).From(Users).Where(Users.Email.Lt(nil))},
	Case{Name: "between nil is an error", Stmt: wren.Select(Users.ID).From(Users).Where(Users.Email.Between(ptr("a"), nil))},
	Case{Name: "eq expr null value is is null", Stmt: wren.Select(Users.ID).From(Users).
		Where(Users.Email.EqExpr(wren.Val[*string](nil)), wren.Val[*string](nil).NeExpr(Users.Email))},
	Case{Name: "in list with nil", Stmt: wren.Select(Users.ID).From(Users).Where(Users.Email.In(ptr("a@x"), nil, ptr("b@x")))},
	Case{Name: "in list only nil", Stmt: wren.Select(Users.ID).From(Users).Where(Users.Email.In(nil))},
	Case{Name: "not in list with nil", Stmt: wren.Select(Users.ID).From(Users).Where(Users.Email.NotIn(ptr("a@x"), nil))},
	Case{Name: "not in list only nil", Stmt: wren.Select(Users.ID).From(Users).Where(Users.Email.NotIn(nil, nil))},
	Case{Name: "not of in list with nil", Stmt: wren.Select(Users.ID).From(Users).Where(wren.Not(Users.Email.In(ptr("a@x"), nil)))},
)
