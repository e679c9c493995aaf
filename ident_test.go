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
	// PostgreSQL keeps 63 bytes of a name: a longer one is refused there,
	// and written whole for the others.
	long := strings.Repeat("ü", 32) // 64 bytes
	q := wren.Select(good.ID.As(long)).From(good)
	if _, _, err := q.SQL(dialect.Postgres); !errors.Is(err, wren.ErrIdentifier) || !strings.Contains(err.Error(), "64 bytes long") {
		t.Errorf("64-byte alias on postgres: %v", err)
	}
	if _, _, err := wren.Select(good.ID.As(long[:63])).From(good).SQL(dialect.Postgres); err == nil {
		t.Error("63 bytes, cut inside a character, rendered")
	}
	if _, _, err := wren.Select(good.ID.As(long[:62])).From(good).SQL(dialect.Postgres); err != nil {
		t.Errorf("62-byte alias on postgres: %v", err)
	}
	for _, d := range []*dialect.Dialect{dialect.MySQL, dialect.MariaDB, dialect.SQLite} {
		if _, _, err := q.SQL(d); err != nil {
			t.Errorf("64-byte alias on %s: %v", d, err)
		}
	}
	// MariaDB shortens a column alias to 255 bytes; a table alias that long
	// is its own error on the server, and SQLite keeps any length.
	long = strings.Repeat("ü", 128) // 256 bytes
	for _, d := range []*dialect.Dialect{dialect.MySQL, dialect.MariaDB} {
		if _, _, err := wren.Select(good.ID.As(long)).From(good).SQL(d); !errors.Is(err, wren.ErrIdentifier) {
			t.Errorf("256-byte column alias on %s: %v", d, err)
		}
		if _, _, err := wren.Select(good.ID.As(long[:254])).From(good).SQL(d); err != nil {
			t.Errorf("254-byte column alias on %s: %v", d, err)
		}
	}
	if _, _, err := wren.Select(good.ID.As(long)).From(good).SQL(dialect.SQLite); err != nil {
		t.Errorf("256-byte column alias on sqlite: %v", err)
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
