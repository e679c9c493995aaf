package wren_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/wrensql/wren"
	"github.com/wrensql/wren/dialect"
)

type identTable struct {
	wren.Table
	ID   wren.Column[int64] `wren:",pk"`
	Name wren.Column[string]
}

type badColTable struct {
	wren.Table
	ID  wren.Column[int64]  `wren:",pk"`
	Bad wren.Column[string] "wren:\"bad\\x81`\""
}

// TestIdentifierNotUTF8 checks that every kind of identifier that is not
// valid UTF-8, or holds a NUL byte, is refused at render time with an error
// that names its role, on every dialect, and never reaches the SQL text.
func TestIdentifierNotUTF8(t *testing.T) {
	const bad = "x\x81`"
	good := wren.NewTable[identTable]("good")
	badT := wren.NewTable[identTable](bad)
	badCol := wren.NewTable[badColTable]("t")
	cte := wren.NewTable[identTable]("c\x81`")
	derived := wren.Derived[identTable](wren.Select(good.ID, good.Name).From(good), bad)
	cases := []struct {
		name, role string
		stmt       wren.Statement
	}{
		{"select table", "table", wren.Select(badT.ID).From(badT)},
		{"table alias", "table alias", func() wren.Statement {
			a := wren.Alias(good, bad)
			return wren.Select(a.ID).From(a)
		}()},
		{"column", "column", wren.Select(badCol.Bad).From(badCol)},
		{"As alias", "As alias", wren.Select(good.ID.As(bad)).From(good)},
		{"As alias with NUL", "As alias", wren.Select(good.ID.As("a\x00b")).From(good)},
		{"order by alias", "As alias", wren.Select(good.ID).From(good).OrderBy(good.ID.As(bad).Asc())},
		{"CTE", "CTE", wren.Select(cte.ID).From(cte).With(wren.CTEOf(cte, wren.Select(good.ID, good.Name).From(good)))},
		{"derived table", "derived table", wren.Select(derived.ID).From(derived)},
		{"insert table", "table", wren.Insert(badT).Set(wren.Set(badT.Name, "v"))},
		{"insert column", "column", wren.Insert(badCol).Set(wren.Set(badCol.Bad, "v"))},
		{"update", "table", wren.Update(badT).Set(wren.Set(badT.Name, "v")).Where(badT.ID.Eq(1))},
		{"update column", "column", wren.Update(badCol).Set(wren.Set(badCol.Bad, "v")).Where(badCol.ID.Eq(1))},
		{"delete", "table", wren.Delete(badT).Where(badT.ID.Eq(1))},
		{"create table", "table", wren.CreateTable(badT)},
		{"create table column", "column", wren.CreateTable(badCol)},
		{"drop table", "table", wren.DropTable(badT)},
	}
	for _, c := range cases {
		for _, d := range []*dialect.Dialect{dialect.Postgres, dialect.MySQL, dialect.MariaDB, dialect.SQLite} {
			text, _, err := c.stmt.SQL(d)
			if err == nil {
				t.Errorf("%s on %s: rendered %q", c.name, d, text)
				continue
			}
			if !errors.Is(err, wren.ErrIdentifier) {
				t.Errorf("%s on %s: %v does not wrap ErrIdentifier", c.name, d, err)
			}
			if !strings.Contains(err.Error(), "wren: "+c.role+" name ") {
				t.Errorf("%s on %s: %q does not name the role %q", c.name, d, err, c.role)
			}
		}
	}
	// A Func name is a plain ASCII identifier or an error.
	if _, _, err := wren.Select(wren.Func[int64]("f\x81", good.ID).As("f")).From(good).SQL(dialect.MySQL); err == nil {
		t.Error("Func name not valid UTF-8 rendered")
	}
	// Valid UTF-8 with quotes of every kind renders.
	if _, _, err := wren.Select(good.ID.As("ünï \"q\" `b` ☃")).From(good).SQL(dialect.MySQL); err != nil {
		t.Error(err)
	}
}
