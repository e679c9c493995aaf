package golden

import (
	"time"

	"github.com/wrensql/wren"
)

// DayTable has dates: a wren.Date column (DATE by its Go type) and a
// time.Time column declared type=DATE.
type DayTable struct {
	wren.Table
	ID  wren.Column[int64] `wren:",pk"`
	On  wren.Column[wren.Date]
	Due wren.Column[time.Time] `wren:",type=DATE"`
}

// Days is the dates fixture.
var Days = wren.NewTable[DayTable]("days")

// Day is a row of Days.
type Day struct {
	ID  int64
	On  wren.Date
	Due time.Time
}

var (
	jan1     = wren.Date{Year: 1980, Month: 1, Day: 1}
	dueLate  = time.Date(2017, 1, 1, 23, 30, 0, 0, time.FixedZone("", -5*3600))
	dueEarly = time.Date(1979, 12, 31, 0, 0, 0, 0, time.UTC)
)

var _ = Add(
	Case{Name: "dates: wren.Date and a time.Time for a DATE column bind YYYY-MM-DD",
		Stmt: wren.Select(Days.ID).From(Days).Where(Days.On.Lt(jan1), Days.Due.Eq(dueLate))},
	Case{Name: "dates: IN and BETWEEN on a DATE column",
		Stmt: wren.Select(Days.ID).From(Days).Where(Days.Due.In(dueEarly, dueLate), Days.Due.Between(dueEarly, dueLate))},
	Case{Name: "dates: SET a DATE column",
		Stmt: wren.Update(Days).Set(wren.Set(Days.Due, dueLate), wren.Set(Days.On, jan1)).Where(Days.ID.Eq(1))},
	Case{Name: "dates: INSERT rows",
		Stmt: wren.Insert(Days).Rows(Day{ID: 1, On: jan1, Due: dueLate})},
	Case{Name: "dates: CREATE TABLE", Stmt: wren.CreateTable(Days), NoPrepare: true},
)
