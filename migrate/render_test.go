package migrate_test

import (
	"errors"
	"flag"
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/wrensql/wren"
	"github.com/wrensql/wren/dialect"
	"github.com/wrensql/wren/migrate"
	"github.com/wrensql/wren/schema"
)

var update = flag.Bool("update", false, "rewrite testdata/ops.golden")

// liveFixture is a schema as Inspect would read it, for dialect d.
func liveFixture(d *dialect.Dialect) *schema.Database {
	text, bigint := "TEXT", "BIGINT"
	switch {
	case d.IsMySQLFamily():
		text = "VARCHAR(255)"
	case d == dialect.SQLite:
		bigint = "INTEGER"
	}
	return &schema.Database{Dialect: d, Tables: []wren.TableSchema{
		{Name: "orgs", Columns: []wren.ColumnSchema{{Name: "id", Type: bigint, Auto: true}}, PrimaryKey: []string{"id"}},
		{Name: "users", PrimaryKey: []string{"id"},
			Columns: []wren.ColumnSchema{
				{Name: "id", Type: bigint, Auto: true},
				{Name: "org_id", Type: bigint},
				{Name: "email", Type: text, Nullable: true},
				{Name: "age", Type: "SMALLINT", HasDefault: true, Default: "0"},
			},
			Indexes: []wren.IndexSchema{
				{Name: "users_email_key", Columns: []string{"email"}, Unique: true, Constraint: true},
				{Name: "users_age", Columns: []string{"age"}},
			},
			ForeignKeys: []wren.ForeignKeySchema{{Name: "users_org_fk", Columns: []string{"org_id"}, RefTable: "orgs", RefColumns: []string{"id"}}},
		},
	}}
}

var opCases = []struct {
	name string
	op   migrate.Op
}{
	{"add nullable column", migrate.AddColumn{Table: "users", Column: wren.ColumnSchema{Name: "nick", Type: "VARCHAR(40)", Nullable: true}}},
	{"add NOT NULL column with default", migrate.AddColumn{Table: "users", Column: wren.ColumnSchema{Name: "active", Type: "BOOLEAN", HasDefault: true, Default: "TRUE"}}},
	{"add NOT NULL column without default", migrate.AddColumn{Table: "users", Column: wren.ColumnSchema{Name: "code", Type: "INTEGER"}}},
	{"drop column", migrate.DropColumn{Table: "users", Column: "age"}},
	{"drop indexed column", migrate.DropColumn{Table: "users", Column: "email"}},
	{"rename column", migrate.RenameColumn{Table: "users", From: "email", To: "mail"}},
	{"change type", migrate.AlterType{Table: "users", Column: "age", Type: "INTEGER"}},
	{"make NOT NULL", migrate.SetNullable{Table: "users", Column: "email"}},
	{"make nullable", migrate.SetNullable{Table: "users", Column: "age", Nullable: true}},
	{"set default", migrate.SetDefault{Table: "users", Column: "age", Default: "18"}},
	{"drop default", migrate.SetDefault{Table: "users", Column: "age", Drop: true}},
	{"add named index", migrate.AddIndex{Table: "users", Index: wren.IndexSchema{Name: "users_org_age", Columns: []string{"org_id", "age"}}}},
	{"add partial unique index", migrate.AddIndex{Table: "users", Index: wren.IndexSchema{Name: "users_live", Columns: []string{"email"}, Unique: true, Where: "age > 0"}}},
	{"add unique constraint without a name", migrate.AddIndex{Table: "users", Index: wren.IndexSchema{Columns: []string{"org_id", "email"}, Unique: true, Constraint: true}}},
	{"drop index", migrate.DropIndex{Table: "users", Name: "users_age"}},
	{"drop unique constraint", migrate.DropIndex{Table: "users", Name: "users_email_key"}},
	{"add foreign key", migrate.AddForeignKey{Table: "users", Key: wren.ForeignKeySchema{Columns: []string{"age"}, RefTable: "orgs", RefColumns: []string{"id"}, OnDelete: "SET NULL"}}},
	{"drop foreign key", migrate.DropForeignKey{Table: "users", Key: wren.ForeignKeySchema{Name: "users_org_fk", Columns: []string{"org_id"}}}},
	{"rename table", migrate.RenameTable{From: "users", To: "members"}},
	{"unknown table", migrate.DropColumn{Table: "nope", Column: "x"}},
	{"bad foreign key action", migrate.AddForeignKey{Table: "users", Key: wren.ForeignKeySchema{Columns: []string{"age"}, RefTable: "orgs", RefColumns: []string{"id"}, OnDelete: "DROP TABLE"}}},
}

// TestRenderGolden renders every op for every dialect against the same
// schema and compares the text with testdata/ops.golden (go test
// ./migrate -update rewrites it). The statements run on real databases
// in tests/schema_migrate_test.go.
func TestRenderGolden(t *testing.T) {
	var b strings.Builder
	for _, c := range opCases {
		fmt.Fprintf(&b, "== %s\n", c.name)
		for _, d := range []*dialect.Dialect{dialect.Postgres, dialect.MariaDB, dialect.SQLite} {
			stmts, err := migrate.Render(d, liveFixture(d), c.op)
			if err != nil {
				fmt.Fprintf(&b, "%s: error: %v\n", d, err)
				continue
			}
			for _, s := range stmts {
				fmt.Fprintf(&b, "%s: %s\n", d, s)
			}
		}
	}
	const file = "testdata/ops.golden"
	if *update {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(file, []byte(b.String()), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	if b.String() != string(want) {
		t.Fatalf("rendering differs from %s (rerun with -update and review the diff):\n%s", file, b.String())
	}
}

func TestPartialIndexUnsupportedOnMySQL(t *testing.T) {
	op := migrate.AddIndex{Table: "users", Index: wren.IndexSchema{Name: "p", Columns: []string{"email"}, Where: "age > 0"}}
	for _, d := range []*dialect.Dialect{dialect.MySQL, dialect.MariaDB} {
		_, err := migrate.Render(d, liveFixture(d), op)
		if !errors.Is(err, wren.ErrUnsupported) || !strings.Contains(err.Error(), d.Name()) {
			t.Errorf("%s: err = %v, want ErrUnsupported naming the dialect", d, err)
		}
	}
}

// TestSQLiteRebuildsMerge: consecutive changes SQLite makes by rebuilding
// one table copy its rows once, and Script shows the ops over the one
// rebuild.
func TestSQLiteRebuildsMerge(t *testing.T) {
	ops := []migrate.Op{
		migrate.AlterType{Table: "users", Column: "age", Type: "INTEGER"},
		migrate.SetNullable{Table: "users", Column: "email"},
		migrate.SetDefault{Table: "users", Column: "age", Drop: true},
	}
	stmts, err := migrate.Render(dialect.SQLite, liveFixture(dialect.SQLite), ops...)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		`CREATE TABLE "wren_new_users" ("id" INTEGER PRIMARY KEY AUTOINCREMENT, "org_id" INTEGER NOT NULL, "email" TEXT NOT NULL, "age" INTEGER NOT NULL, UNIQUE ("email"), FOREIGN KEY ("org_id") REFERENCES "orgs" ("id"))`,
		`INSERT INTO "wren_new_users" ("id", "org_id", "email", "age") SELECT "id", "org_id", "email", "age" FROM "users"`,
		`DROP TABLE "users"`,
		`ALTER TABLE "wren_new_users" RENAME TO "users"`,
		`CREATE INDEX "users_age" ON "users" ("age")`,
	}
	if strings.Join(stmts, "\n") != strings.Join(want, "\n") {
		t.Errorf("got\n%s\nwant\n%s", strings.Join(stmts, "\n"), strings.Join(want, "\n"))
	}
	script, err := migrate.Script(dialect.SQLite, liveFixture(dialect.SQLite), ops, nil)
	if err != nil {
		t.Fatal(err)
	}
	wantScript := "-- change type of users.age to INTEGER\n-- make users.email NOT NULL\n-- drop default of users.age\n" + strings.Join(want, ";\n") + ";\n"
	if script != wantScript {
		t.Errorf("Script:\n%s\nwant\n%s", script, wantScript)
	}
}
