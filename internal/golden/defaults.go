package golden

import (
	"time"

	"github.com/wrensql/wren"
)

// DocTable has columns the database fills in on INSERT: omitzero columns
// with DEFAULTs and an autoupdate timestamp.
type DocTable struct {
	wren.Table
	ID        wren.Column[int64]     `wren:",pk"`
	Title     wren.Column[string]    `wren:",size=80"`
	Views     wren.Column[int64]     `wren:",default=7,omitzero"`
	CreatedAt wren.Column[time.Time] `wren:",default=CURRENT_TIMESTAMP,omitzero"`
	UpdatedAt wren.Column[time.Time] `wren:",autoupdate"`
}

// CodeTable has a primary key that the database does not generate.
type CodeTable struct {
	wren.Table
	Code wren.Column[string] `wren:",pk"`
	Note wren.Column[string]
}

// Descriptors of the insert-defaults cases.
var (
	Docs  = wren.NewTable[DocTable]("docs")
	Codes = wren.NewTable[CodeTable]("codes")
)

type doc struct {
	ID        int64
	Title     string
	Views     int64
	CreatedAt time.Time
	UpdatedAt time.Time
}

type code struct {
	Code string
	Note string
}

var _ = Add(
	Case{Name: "create table with defaults", NoPrepare: true, Stmt: wren.CreateTable(Docs)},
	Case{Name: "insert omitzero columns left out, autoupdate zero is CURRENT_TIMESTAMP", NoPrepare: true,
		Stmt: wren.Insert(Docs).Rows(&doc{Title: "a"}, &doc{Title: "b"})},
	Case{Name: "insert omitzero columns set are written", NoPrepare: true,
		Stmt: wren.Insert(Docs).Rows(&doc{ID: 3, Title: "a", Views: 2, CreatedAt: day, UpdatedAt: day})},
	Case{Name: "insert rows disagreeing on an omitzero column is an error", NoPrepare: true,
		Stmt: wren.Insert(Docs).Rows(&doc{Title: "a", Views: 2}, &doc{Title: "b"})},
	Case{Name: "insert rows given as pointers and values, CURRENT_TIMESTAMP between placeholders", NoPrepare: true,
		Stmt: wren.Insert(Docs).Rows(&doc{Title: "a", Views: 2, CreatedAt: day}, doc{Title: "b", Views: 3, CreatedAt: day},
			&doc{Title: "c", Views: 4, CreatedAt: day})},
	Case{Name: "insert rows of two types is an error", NoPrepare: true,
		Stmt: wren.Insert(Docs).Rows(&doc{Title: "a"}, &code{Code: "b"})},
	Case{Name: "insert a nil row after the first is an error", NoPrepare: true,
		Stmt: wren.Insert(Docs).Rows(&doc{Title: "a"}, (*doc)(nil))},
	Case{Name: "insert returning generated columns", NoPrepare: true,
		Stmt: wren.Insert(Docs).Rows(&doc{Title: "a"}).Returning(Docs.ID, Docs.Views, Docs.CreatedAt, Docs.UpdatedAt)},
	Case{Name: "update SetRow sets autoupdate to CURRENT_TIMESTAMP", NoPrepare: true,
		Stmt: wren.Update(Docs).SetRow(&doc{ID: 3, Title: "a", Views: 2, CreatedAt: day, UpdatedAt: day}).Where(Docs.ID.Eq(3))},
	Case{Name: "update SetRow named columns still touch autoupdate", NoPrepare: true,
		Stmt: wren.Update(Docs).SetRow(&doc{ID: 3, Title: "a"}, Docs.Title).Where(Docs.ID.Eq(3))},
	Case{Name: "update SetRow with an explicit Set of the autoupdate column", NoPrepare: true,
		Stmt: wren.Update(Docs).SetRow(&doc{ID: 3, Title: "a"}, Docs.Title).Set(wren.Set(Docs.UpdatedAt, day)).Where(Docs.ID.Eq(3))},
	Case{Name: "insert a zero primary key that nothing generates is an error", NoPrepare: true,
		Stmt: wren.Insert(Codes).Rows(&code{Note: "x"})},
)
