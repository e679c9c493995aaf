package wren

import (
	"errors"
	"strings"
	"testing"
	"unsafe"

	"github.com/wrensql/wren/dialect"
)

// SelectQuery keeps its rarer clauses (WITH, DISTINCT ON, GROUP BY,
// HAVING, WINDOW, row locks) apart, shared by the queries built from one
// another: a builder call on one must never show in another.
func TestSelectRareClausesPerQuery(t *testing.T) {
	M := NewTable[bench10Table]("bench10")
	base := Select(M.Name, CountAll()).From(M).GroupBy(M.Name)
	a := base.Having(CountAll().Gt(1))
	b := base.Having(CountAll().Lt(5))
	win := base.Window(Window().As("w"))
	a2 := a.Having(M.Name.Ne("x"))
	cte := CTEOf(NewTable[bench10Table]("recent"), Select(M).From(M).Where(M.Age.Lt(3)))
	w := base.With(cte)
	lock := Select(M.ID).From(M).Where(M.ID.Eq(7))
	upd := lock.ForUpdate()
	skip := upd.SkipLocked()
	share := upd.ForShare()

	type want struct{ pg, my, lite string }
	cases := []struct {
		name string
		q    SelectQuery
		want want
		args []any
	}{
		{"base", base, want{
			`SELECT "name", COUNT(*) FROM "bench10" GROUP BY "name"`,
			"SELECT `name`, COUNT(*) FROM `bench10` GROUP BY `name`",
			`SELECT "name", COUNT(*) FROM "bench10" GROUP BY "name"`,
		}, nil},
		{"a", a, want{
			`SELECT "name", COUNT(*) FROM "bench10" GROUP BY "name" HAVING COUNT(*) > $1`,
			"SELECT `name`, COUNT(*) FROM `bench10` GROUP BY `name` HAVING COUNT(*) > ?",
			`SELECT "name", COUNT(*) FROM "bench10" GROUP BY "name" HAVING COUNT(*) > ?`,
		}, []any{int64(1)}},
		{"b", b, want{
			`SELECT "name", COUNT(*) FROM "bench10" GROUP BY "name" HAVING COUNT(*) < $1`,
			"SELECT `name`, COUNT(*) FROM `bench10` GROUP BY `name` HAVING COUNT(*) < ?",
			`SELECT "name", COUNT(*) FROM "bench10" GROUP BY "name" HAVING COUNT(*) < ?`,
		}, []any{int64(5)}},
		{"win", win, want{
			`SELECT "name", COUNT(*) FROM "bench10" GROUP BY "name" WINDOW "w" AS ()`,
			"SELECT `name`, COUNT(*) FROM `bench10` GROUP BY `name` WINDOW `w` AS ()",
			`SELECT "name", COUNT(*) FROM "bench10" GROUP BY "name" WINDOW "w" AS ()`,
		}, nil},
		{"a2", a2, want{
			`SELECT "name", COUNT(*) FROM "bench10" GROUP BY "name" HAVING COUNT(*) > $1 AND "name" <> $2`,
			"SELECT `name`, COUNT(*) FROM `bench10` GROUP BY `name` HAVING COUNT(*) > ? AND `name` <> ?",
			`SELECT "name", COUNT(*) FROM "bench10" GROUP BY "name" HAVING COUNT(*) > ? AND "name" <> ?`,
		}, []any{int64(1), "x"}},
		{"with", w, want{
			`WITH "recent" ("id", "name", "title", "fax", "web", "age", "flag", "counter", "score", "created_at") AS (SELECT "bench10"."id", "bench10"."name", "bench10"."title", "bench10"."fax", "bench10"."web", "bench10"."age", "bench10"."flag", "bench10"."counter", "bench10"."score", "bench10"."created_at" FROM "bench10" WHERE "bench10"."age" < $1) SELECT "name", COUNT(*) FROM "bench10" GROUP BY "name"`,
			"WITH `recent` (`id`, `name`, `title`, `fax`, `web`, `age`, `flag`, `counter`, `score`, `created_at`) AS (SELECT `bench10`.`id`, `bench10`.`name`, `bench10`.`title`, `bench10`.`fax`, `bench10`.`web`, `bench10`.`age`, `bench10`.`flag`, `bench10`.`counter`, `bench10`.`score`, `bench10`.`created_at` FROM `bench10` WHERE `bench10`.`age` < ?) SELECT `name`, COUNT(*) FROM `bench10` GROUP BY `name`",
			`WITH "recent" ("id", "name", "title", "fax", "web", "age", "flag", "counter", "score", "created_at") AS (SELECT "bench10"."id", "bench10"."name", "bench10"."title", "bench10"."fax", "bench10"."web", "bench10"."age", "bench10"."flag", "bench10"."counter", "bench10"."score", "bench10"."created_at" FROM "bench10" WHERE "bench10"."age" < ?) SELECT "name", COUNT(*) FROM "bench10" GROUP BY "name"`,
		}, []any{int64(3)}},
		{"lock", lock, want{
			`SELECT "id" FROM "bench10" WHERE "id" = $1`,
			"SELECT `id` FROM `bench10` WHERE `id` = ?",
			`SELECT "id" FROM "bench10" WHERE "id" = ?`,
		}, []any{int64(7)}},
		{"upd", upd, want{
			`SELECT "id" FROM "bench10" WHERE "id" = $1 FOR UPDATE`,
			"SELECT `id` FROM `bench10` WHERE `id` = ? FOR UPDATE",
			"",
		}, []any{int64(7)}},
		{"skip", skip, want{
			`SELECT "id" FROM "bench10" WHERE "id" = $1 FOR UPDATE SKIP LOCKED`,
			"SELECT `id` FROM `bench10` WHERE `id` = ? FOR UPDATE SKIP LOCKED",
			"",
		}, []any{int64(7)}},
		{"share", share, want{
			`SELECT "id" FROM "bench10" WHERE "id" = $1 FOR SHARE`,
			"SELECT `id` FROM `bench10` WHERE `id` = ? FOR SHARE",
			"",
		}, []any{int64(7)}},
	}
	for _, c := range cases {
		for _, d := range []*dialect.Dialect{dialect.Postgres, dialect.MySQL, dialect.SQLite} {
			want := map[*dialect.Dialect]string{dialect.Postgres: c.want.pg, dialect.MySQL: c.want.my, dialect.SQLite: c.want.lite}[d]
			text, args, err := c.q.SQL(d)
			if want == "" { // a row lock on SQLite
				if !errors.Is(err, ErrUnsupported) || !strings.Contains(err.Error(), "sqlite") {
					t.Errorf("%s on %s: want ErrUnsupported naming sqlite, got %q, %v", c.name, d, text, err)
				}
				continue
			}
			if err != nil {
				t.Errorf("%s on %s: %v", c.name, d, err)
				continue
			}
			if text != want {
				t.Errorf("%s on %s:\n got %s\nwant %s", c.name, d, text, want)
			}
			if len(args) != len(c.args) {
				t.Errorf("%s on %s: args %v, want %v", c.name, d, args, c.args)
				continue
			}
			for i := range args {
				if args[i] != c.args[i] {
					t.Errorf("%s on %s: args %v, want %v", c.name, d, args, c.args)
				}
			}
		}
	}
}

// A SelectQuery is copied by every builder call and boxed as a Statement
// by every run: it stays within the 192-byte allocation class.
func TestSelectQuerySize(t *testing.T) {
	if n := unsafe.Sizeof(SelectQuery{}); n > 192 {
		t.Fatalf("SelectQuery is %d bytes; keep rare clauses in selectMore", n)
	}
}

// TestUpdateQuerySize: the usual UPDATE stays small; rare clauses live in
// updateMore, shared between copies until one is changed.
func TestUpdateQuerySize(t *testing.T) {
	if n := unsafe.Sizeof(UpdateQuery{}); n > 96 {
		t.Fatalf("UpdateQuery is %d bytes; keep rare clauses in updateMore", n)
	}
	M := NewTable[bench10Table]("upd_size")
	base := Update(M).Set(Set(M.Name, "a")).Where(M.ID.Eq(1))
	a := base.Returning(M.ID)
	b := base.From(NewTable[bench10Table]("other")).Limit(2)
	c := a.OrderBy(M.ID)
	if base.more != nil || a.more == b.more || a.more == c.more || len(a.more.wc.orderBy) != 0 || len(c.more.returning) != 1 || len(b.more.returning) != 0 {
		t.Fatal("a builder method changed the rarer clauses of another query")
	}
}
