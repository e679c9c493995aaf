package golden

import (
	"github.com/google/uuid"

	"github.com/wrensql/wren"
)

// Settings is the document of the golden JSON column.
type Settings struct {
	Theme  string         `json:"theme"`
	Limits map[string]int `json:"limits,omitempty"`
}

// Status is the golden enum.
type Status string

// Values lists the statuses.
func (Status) Values() []Status { return []Status{"active", "it's", `back\slash`} }

// Level is the golden integer enum.
type Level int16

// Values lists the levels.
func (Level) Values() []Level { return []Level{1, 2, 3} }

// ValueTable has a column of each value type with rules of its own.
type ValueTable struct {
	wren.Table
	ID       wren.Column[uuid.UUID] `wren:",pk"`
	Settings wren.Column[wren.JSON[Settings]]
	Extra    wren.Column[*wren.JSON[map[string]any]]
	Price    wren.Column[wren.Decimal] `wren:",type=NUMERIC(12,2)"`
	Total    wren.Column[wren.Decimal] `wren:",type='DECIMAL(20,4)'"`
	Doc      wren.Column[string]       `wren:",type=TEXT,type.postgres=JSONB,type.mysql=JSON"`
	Ref      wren.Column[[16]byte]
	Status   wren.Column[Status]
	Level    wren.Column[*Level]
}

// ArrayTable has PostgreSQL array columns.
type ArrayTable struct {
	wren.Table
	ID     wren.Column[int64] `wren:",pk"`
	Tags   wren.Column[[]string]
	Scores wren.Column[[]int64]
}

// The value-type fixtures.
var (
	Values = wren.NewTable[ValueTable]("vals")
	Arrays = wren.NewTable[ArrayTable]("arrs")
)

var _ = Add(
	Case{Name: "create table value types", Stmt: wren.CreateTable(Values), NoPrepare: true},
	Case{Name: "create table arrays", Stmt: wren.CreateTable(Arrays), NoPrepare: true},
	Case{Name: "json get text", NoPrepare: true, Stmt: wren.Select(Values.ID).From(Values).
		Where(wren.JSONGet[string](Values.Settings, "theme").Eq("dark"))},
	Case{Name: "json get typed", NoPrepare: true, Stmt: wren.Select(
		wren.JSONGet[*int64](Values.Settings, "limits", "daily"),
		wren.JSONGet[*float64](Values.Extra, "ratio"),
		wren.JSONGet[*bool](Values.Extra, "on"),
		wren.JSONGet[*wren.JSON[[]int]](Values.Extra, "list"),
		wren.JSONGet[*string](Values.Extra, "list", 0),
	).From(Values)},
	Case{Name: "json contains", NoPrepare: true, Stmt: wren.Select(Values.ID).From(Values).
		Where(wren.JSONContains(Values.Settings, map[string]any{"theme": "dark"}))},
	Case{Name: "json path key with a quote", NoPrepare: true, Stmt: wren.Select(Values.ID).From(Values).
		Where(wren.JSONGet[string](Values.Settings, `a"b`).Eq("x"))},
	Case{Name: "array operators", NoPrepare: true, Stmt: wren.Select(Arrays.ID, wren.Array(Arrays.Tags).Length()).From(Arrays).
		Where(wren.Array(Arrays.Tags).Contains("go", "sql"), wren.Array(Arrays.Tags).ContainedBy("go", "sql", "c"),
			wren.Array(Arrays.Scores).Overlaps(1, 2), wren.Array(Arrays.Scores).Any(3))},
	Case{Name: "enum values", NoPrepare: true, Stmt: wren.Select(Values.ID).From(Values).
		Where(Values.Status.In("active", "it's"), Values.Level.Eq(ptrTo(Level(2))))},
	Case{Name: "enum value outside the set", NoPrepare: true, Stmt: wren.Select(Values.ID).From(Values).
		Where(Values.Status.Eq("deleted"))},
	Case{Name: "enum value outside the set in a list", NoPrepare: true, Stmt: wren.Select(Values.ID).From(Values).
		Where(Values.Status.In("active", "gone"))},
	Case{Name: "decimal and uuid bytes", NoPrepare: true, Stmt: wren.Select(Values.ID).From(Values).
		Where(Values.Price.Eq(wren.MustDecimal("12.50")), Values.Ref.Eq([16]byte{0: 0xab, 15: 1}))},
	Case{Name: "decimal beyond sqlite's digits", NoPrepare: true, Stmt: wren.Select(Values.ID).From(Values).
		Where(Values.Total.Eq(wren.MustDecimal("1234567890123.4567")))},
)

func ptrTo[T any](v T) *T { return &v }
