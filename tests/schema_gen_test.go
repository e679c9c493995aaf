package tests

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"testing"

	"github.com/matryer/is"

	"github.com/wrensql/wren"
	"github.com/wrensql/wren/schema"
	"github.com/wrensql/wren/tests/gen/genmysql"
	"github.com/wrensql/wren/tests/gen/genpostgres"
	"github.com/wrensql/wren/tests/gen/gensqlite"
)

var updateGen = flag.Bool("update-gen", false, "rewrite tests/gen/*/tables.go from the generator's output")

// generated are the committed outputs of the generator, by database: the
// golden files of TestGenerate, and Go packages the round trip uses.
var generated = map[string]struct {
	pkg    string
	tables []wren.TableLike
}{
	"postgres": {"genpostgres", genpostgres.AllTables},
	"mysql":    {"genmysql", genmysql.AllTables},
	"sqlite":   {"gensqlite", gensqlite.AllTables},
}

// TestGenerate generates declarations from the tables CreateTables made
// from the fixtures (schema_fixtures_test.go) and checks:
//   - the output is the committed tests/gen/<pkg>/tables.go, byte for byte
//     (go test ./tests -run TestGenerate -update-gen rewrites it);
//   - the generated descriptors verify clean against that database;
//   - CreateTables from the generated descriptors, in a fresh database,
//     makes the same schema: Inspect reads the same tables, and generating
//     again gives the same file (regenerating is idempotent).
func TestGenerate(t *testing.T) {
	t.Parallel()
	for _, name := range []string{"sqlite", "postgres", "mysql"} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			is := is.New(t)
			ctx := ctxT(t)
			db := openTestDB(t, name)
			is.NoErr(wren.CreateTables(ctx, db, schemaTables(db.Dialect().PartialIndexes())...))
			live, err := schema.Inspect(ctx, db, schema.Filter{})
			is.NoErr(err)
			g := generated[name]
			src, notes, err := schema.Generate(live, schema.GenOptions{Package: g.pkg, Source: "tests/schema_fixtures_test.go"})
			is.NoErr(err)
			is.Equal(notes, []string(nil))
			file := filepath.Join("gen", g.pkg, "tables.go")
			if *updateGen {
				is.NoErr(os.WriteFile(file, src, 0o644))
				t.Skipf("%s rewritten: run the tests again to check the round trip", file)
			}
			want, err := os.ReadFile(file)
			is.NoErr(err)
			if !bytes.Equal(src, want) {
				t.Fatalf("generated code differs from %s (rerun with -update-gen and review the diff):\n%s", file, src)
			}

			diffs, err := schema.Verify(ctx, db, g.tables...)
			is.NoErr(err)
			is.Equal(diffLines(diffs), []string(nil)) // generated declarations match the database

			fresh := openTestDB(t, name)
			is.NoErr(wren.CreateTables(ctx, fresh, g.tables...))
			again, err := schema.Inspect(ctx, fresh, schema.Filter{})
			is.NoErr(err)
			src2, _, err := schema.Generate(again, schema.GenOptions{Package: g.pkg, Source: "tests/schema_fixtures_test.go"})
			is.NoErr(err)
			is.Equal(string(src2), string(src)) // the round trip gives the same schema
			diffs, err = schema.Verify(ctx, fresh, schemaTables(db.Dialect().PartialIndexes())...)
			is.NoErr(err)
			is.Equal(diffLines(diffs), []string(nil)) // and the hand-written declarations match it
		})
	}
}
