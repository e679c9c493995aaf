package wren

import (
	"fmt"
	"strings"
	"testing"

	"github.com/wrensql/wren/dialect"
)

type rtTable struct {
	Table
	ID    Column[int64]  `wren:",pk"`
	Name  Column[string] `wren:",size=20"`
	Views Column[int64]  `wren:",default=7,omitzero"`
}

var rtRows = NewTable[rtTable]("rt_rows")

type rtRow struct {
	ID    int64
	Name  string
	Views int64
}

// TestInsertRowsKeptText: an INSERT of rows writes the column list and
// VALUES tuples kept from an INSERT of as many rows of the kind (same
// dialect, same generated columns left zero), binding each call's own
// values; another number of rows, other columns left zero, another
// dialect or a failed rendering render anew, and every text is the one a
// fresh rendering gives.
func TestInsertRowsKeptText(t *testing.T) {
	for _, tc := range []struct {
		d                  *dialect.Dialect
		two, twoSet, three string
	}{
		{dialect.Postgres,
			`INSERT INTO "rt_rows" ("name") VALUES ($1), ($2)`,
			`INSERT INTO "rt_rows" ("name", "views") VALUES ($1, $2), ($3, $4)`,
			`INSERT INTO "rt_rows" ("name") VALUES ($1), ($2), ($3) RETURNING "id"`},
		{dialect.MySQL,
			"INSERT INTO `rt_rows` (`name`) VALUES (?), (?)",
			"INSERT INTO `rt_rows` (`name`, `views`) VALUES (?, ?), (?, ?)",
			""},
		{dialect.SQLite,
			`INSERT INTO "rt_rows" ("name") VALUES (?), (?)`,
			`INSERT INTO "rt_rows" ("name", "views") VALUES (?, ?), (?, ?)`,
			`INSERT INTO "rt_rows" ("name") VALUES (?), (?), (?) RETURNING "id"`},
	} {
		t.Run(tc.d.String(), func(t *testing.T) {
			check := func(q InsertQuery, text, args string) {
				t.Helper()
				got, a, err := q.SQL(tc.d)
				if err != nil {
					t.Fatal(err)
				}
				if got != text || fmt.Sprint(a) != args {
					t.Fatalf("got  %s %v\nwant %s %s", got, a, text, args)
				}
			}
			for i := range 3 { // the first renders, the others reuse
				a, b := fmt.Sprint("a", i), fmt.Sprint("b", i)
				check(Insert(rtRows).Rows(&rtRow{Name: a}, &rtRow{Name: b}), tc.two, "["+a+" "+b+"]")
			}
			check(Insert(rtRows).Rows(rtRow{Name: "x", Views: 3}, rtRow{Name: "y", Views: 4}), tc.twoSet, "[x 3 y 4]")
			check(Insert(rtRows).Rows(rtRow{Name: "x", Views: 5}, &rtRow{Name: "y", Views: 6}), tc.twoSet, "[x 5 y 6]")
			// Rows that leave other columns zero fail, and keep nothing.
			if _, _, err := Insert(rtRows).Rows(&rtRow{Name: "p"}, &rtRow{Name: "q", Views: 2}).SQL(tc.d); err == nil || !strings.Contains(err.Error(), "views") {
				t.Fatalf("mixed rows: %v", err)
			}
			check(Insert(rtRows).Rows(&rtRow{Name: "c"}, &rtRow{Name: "d"}), tc.two, "[c d]")
			if tc.three != "" {
				for range 2 {
					check(Insert(rtRows).Rows(&rtRow{Name: "e"}, &rtRow{Name: "f"}, &rtRow{Name: "g"}).Returning(rtRows.ID), tc.three, "[e f g]")
				}
			}
			check(Insert(rtRows).Rows(&rtRow{Name: "h"}, &rtRow{Name: "i"}), tc.two, "[h i]")
		})
	}
	// The dialects in turn, each after another's text was kept.
	for range 2 {
		for _, d := range []*dialect.Dialect{dialect.Postgres, dialect.MySQL} {
			got, _, err := Insert(rtRows).Rows(&rtRow{Name: "a"}, &rtRow{Name: "b"}).SQL(d)
			if err != nil || strings.Contains(got, "$") != (d == dialect.Postgres) {
				t.Fatalf("%v: %s %v", d, got, err)
			}
		}
	}
}
