package wren

import (
	"reflect"
	"testing"

	"github.com/wrensql/wren/dialect"
)

// TestSetListRendering: SET lists of values and expressions, reordered,
// after SetRow's columns (their placeholders shifted), render the exact
// text and arguments on every dialect, again and again as a table's kept
// shapes come and go (see keptUpdate).
func TestSetListRendering(t *testing.T) {
	M := NewTable[bench10Table]("set_list")
	row := &bench10{Title: "t"}
	steps := []struct {
		name           string
		q              UpdateQuery
		pg, my, sqlite string
		args           []any
	}{
		{"first", Update(M).Set(Set(M.Name, "a"), Set(M.Age, 1)).Where(M.ID.Eq(1)),
			`UPDATE "set_list" SET "name" = $1, "age" = $2 WHERE "id" = $3`,
			"UPDATE `set_list` SET `name` = ?, `age` = ? WHERE `id` = ?",
			`UPDATE "set_list" SET "name" = ?, "age" = ? WHERE "id" = ?`,
			[]any{"a", int64(1), int64(1)}},
		{"again", Update(M).Set(Set(M.Name, "b"), Set(M.Age, 2)).Where(M.ID.Eq(2)),
			`UPDATE "set_list" SET "name" = $1, "age" = $2 WHERE "id" = $3`,
			"UPDATE `set_list` SET `name` = ?, `age` = ? WHERE `id` = ?",
			`UPDATE "set_list" SET "name" = ?, "age" = ? WHERE "id" = ?`,
			[]any{"b", int64(2), int64(2)}},
		{"reordered", Update(M).Set(Set(M.Age, 3), Set(M.Name, "c")).Where(M.ID.Eq(3)),
			`UPDATE "set_list" SET "age" = $1, "name" = $2 WHERE "id" = $3`,
			"UPDATE `set_list` SET `age` = ?, `name` = ? WHERE `id` = ?",
			`UPDATE "set_list" SET "age" = ?, "name" = ? WHERE "id" = ?`,
			[]any{int64(3), "c", int64(3)}},
		{"expression", Update(M).Set(Set(M.Age, 4), SetExpr(M.Name, M.Title)).Where(M.ID.Eq(4)),
			`UPDATE "set_list" SET "age" = $1, "name" = "title" WHERE "id" = $2`,
			"UPDATE `set_list` SET `age` = ?, `name` = `title` WHERE `id` = ?",
			`UPDATE "set_list" SET "age" = ?, "name" = "title" WHERE "id" = ?`,
			[]any{int64(4), int64(4)}},
		{"shifted", Update(M).SetRow(row, M.Title).Set(Set(M.Age, 5), Set(M.Name, "e")).Where(M.ID.Eq(5)),
			`UPDATE "set_list" SET "title" = $1, "age" = $2, "name" = $3 WHERE "id" = $4`,
			"UPDATE `set_list` SET `title` = ?, `age` = ?, `name` = ? WHERE `id` = ?",
			`UPDATE "set_list" SET "title" = ?, "age" = ?, "name" = ? WHERE "id" = ?`,
			[]any{"t", int64(5), "e", int64(5)}},
		{"unshifted", Update(M).Set(Set(M.Age, 6), Set(M.Name, "f")).Where(M.ID.Eq(6)),
			`UPDATE "set_list" SET "age" = $1, "name" = $2 WHERE "id" = $3`,
			"UPDATE `set_list` SET `age` = ?, `name` = ? WHERE `id` = ?",
			`UPDATE "set_list" SET "age" = ?, "name" = ? WHERE "id" = ?`,
			[]any{int64(6), "f", int64(6)}},
	}
	for _, d := range []*dialect.Dialect{dialect.Postgres, dialect.MySQL, dialect.SQLite} {
		for round := 0; round < 2; round++ {
			for _, s := range steps {
				want := map[*dialect.Dialect]string{dialect.Postgres: s.pg, dialect.MySQL: s.my, dialect.SQLite: s.sqlite}[d]
				text, args, err := s.q.SQL(d)
				if err != nil {
					t.Fatalf("%s %s: %v", d, s.name, err)
				}
				if text != want || !reflect.DeepEqual(args, s.args) {
					t.Fatalf("%s %s (round %d):\n got %s %v\nwant %s %v", d, s.name, round, text, args, want, s.args)
				}
			}
		}
	}
}
