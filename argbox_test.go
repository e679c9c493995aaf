package wren

import (
	"database/sql"
	"reflect"
	"testing"
	"time"
	"unsafe"

	"github.com/matryer/is"

	"github.com/wrensql/wren/dialect"
)

type argBoxTable struct {
	Table
	ID    Column[int64] `wren:",pk"`
	Name  Column[string]
	Score Column[float64]
	On    Column[bool]
	At    Column[time.Time]
	Due   Column[time.Time] `wren:",type=DATE"`
	Small Column[int32]
	Note  Column[sql.NullString]
}

type argBoxRow struct {
	ID    int64
	Name  string
	Score float64
	On    bool
	At    time.Time
	Due   time.Time
	Small int32
	Note  sql.NullString
}

var argBoxRows = NewTable[argBoxTable]("argbox_rows")

// TestAppendArgsAsGetters: the values a Create or Insert(…).Rows binds in
// place (int64, float64, string, bool, time.Time, boxed in arrays per
// statement) are those the columns' getters and argValue give, for every
// row, on every dialect; a time on a DATE column goes through its getter,
// which makes it a date.
func TestAppendArgsAsGetters(t *testing.T) {
	is := is.New(t)
	ti := infoOf(argBoxRows)
	m, err := rowMapFor(reflect.TypeFor[argBoxRow](), ti)
	is.NoErr(err)
	kinds := map[string]argKind{}
	for i, c := range m.cols {
		kinds[c.name] = m.kind[i]
	}
	is.Equal(kinds["at"], argTime)
	is.Equal(kinds["due"], argGetter) // a DATE column: its getter truncates
	is.Equal(kinds["name"], argString)

	zone := time.FixedZone("x", -7*3600)
	rows := []*argBoxRow{
		{ID: 1, Name: "a", Score: 1.5, On: true, At: time.Date(2026, 11, 28, 23, 30, 1, 5000, zone), Due: time.Date(2026, 11, 28, 23, 30, 0, 0, zone), Small: -3, Note: sql.NullString{String: "n", Valid: true}},
		{ID: 2, At: time.Time{}, Due: time.Date(1999, 1, 2, 3, 4, 5, 0, time.UTC)},
		{ID: 3, Name: "ü", Score: -0.0, At: time.Unix(0, 0)},
	}
	for _, d := range []*dialect.Dialect{dialect.Postgres, dialect.MySQL, dialect.MariaDB, dialect.SQLite} {
		b := m.boundFor(0)
		box := newArgBox(b, len(rows))
		var args []any
		for _, r := range rows {
			args, err = m.appendArgs(args, d, unsafe.Pointer(r), b.cols, &box)
			is.NoErr(err)
		}
		is.Equal(len(args), len(rows)*len(b.cols))
		for ri, r := range rows {
			for j, i := range b.cols {
				want, err := argValue(d, m.get[i](unsafe.Add(unsafe.Pointer(r), m.offs[i])))
				is.NoErr(err)
				if got := args[ri*len(b.cols)+j]; !reflect.DeepEqual(got, want) {
					t.Fatalf("%s: row %d, column %s: bound %#v, the getter gives %#v", d, ri, m.cols[i].name, got, want)
				}
			}
		}
		// A time is boxed in the statement's array, not one allocation each.
		is.Equal(len(box.times), len(rows))
	}
	// zeroAt of a time is reflect's IsZero: the zero Time only, not every
	// time at the zero instant.
	at := 0
	for i, c := range m.cols {
		if c.name == "at" {
			at = i
		}
	}
	is.True(m.zeroAt(at, unsafe.Pointer(&rows[1].At)))
	notZero := time.Time{}.In(zone)
	is.True(!m.zeroAt(at, unsafe.Pointer(&notZero)))
	is.Equal(m.zeroAt(at, unsafe.Pointer(&notZero)), reflect.ValueOf(notZero).IsZero())
}
