package tests

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/matryer/is"

	"github.com/wrensql/wren/schema"
)

// legacyDDL is a schema written by hand in each database's own SQL, with
// what wren does not declare itself: serial keys, types beyond
// docs/types.md, a composite foreign key, an expression or prefix index,
// defaults that are functions.
var legacyDDL = map[string][]string{
	"postgres": {
		`CREATE TABLE legacy_accounts (id SERIAL PRIMARY KEY, code CHAR(3) NOT NULL UNIQUE, balance NUMERIC(12,2) NOT NULL DEFAULT 0,
			tags TEXT[], data JSONB, uid UUID, seen TIMESTAMP, created TIMESTAMPTZ NOT NULL DEFAULT now(), flag BOOLEAN, note VARCHAR(200) DEFAULT 'none')`,
		`CREATE TABLE legacy_entries (account_id INTEGER NOT NULL REFERENCES legacy_accounts (id) ON DELETE CASCADE, line INTEGER NOT NULL,
			amount DOUBLE PRECISION, PRIMARY KEY (account_id, line))`,
		`CREATE TABLE legacy_pairs (a INTEGER, b INTEGER, FOREIGN KEY (a, b) REFERENCES legacy_entries (account_id, line))`,
		`CREATE INDEX legacy_lower_code ON legacy_accounts (lower(code))`,
		`CREATE INDEX legacy_seen ON legacy_accounts (seen, flag) WHERE flag`,
		`CREATE INDEX legacy_desc ON legacy_accounts (created DESC)`,
	},
	"mysql": {
		`CREATE TABLE legacy_accounts (id INT UNSIGNED AUTO_INCREMENT PRIMARY KEY, code CHAR(3) NOT NULL, balance DECIMAL(12,2) NOT NULL DEFAULT 0,
			status ENUM('a','b') NOT NULL DEFAULT 'a', data JSON, seen TIMESTAMP NULL, created DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
			flag TINYINT(1), small TINYINT, note VARCHAR(200) DEFAULT 'none', UNIQUE KEY code (code)) ENGINE=InnoDB`,
		`CREATE TABLE legacy_entries (account_id INT UNSIGNED NOT NULL, line INT NOT NULL, amount DOUBLE,
			PRIMARY KEY (account_id, line), FOREIGN KEY (account_id) REFERENCES legacy_accounts (id) ON DELETE CASCADE) ENGINE=InnoDB`,
		`CREATE TABLE legacy_pairs (a INT UNSIGNED, b INT, FOREIGN KEY (a, b) REFERENCES legacy_entries (account_id, line)) ENGINE=InnoDB`,
		`CREATE INDEX legacy_prefix ON legacy_accounts (note(10))`,
		`CREATE INDEX legacy_seen ON legacy_accounts (seen, flag)`,
		`CREATE INDEX legacy_desc ON legacy_accounts (created DESC)`,
	},
	"sqlite": {
		`CREATE TABLE legacy_accounts (id INTEGER PRIMARY KEY, code CHAR(3) NOT NULL UNIQUE, balance NUMERIC NOT NULL DEFAULT 0,
			data JSON, seen TIMESTAMP, created DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP, flag BOOLEAN, anything, note VARCHAR(200) DEFAULT 'none')`,
		`CREATE TABLE legacy_entries (account_id INTEGER NOT NULL REFERENCES legacy_accounts (id) ON DELETE CASCADE, line INTEGER NOT NULL,
			amount DOUBLE, PRIMARY KEY (account_id, line))`,
		`CREATE TABLE legacy_pairs (a INTEGER, b INTEGER, FOREIGN KEY (a, b) REFERENCES legacy_entries (account_id, line))`,
		`CREATE INDEX legacy_lower_code ON legacy_accounts (lower(code))`,
		`CREATE INDEX legacy_seen ON legacy_accounts (seen, flag) WHERE flag`,
		`CREATE INDEX legacy_desc ON legacy_accounts (created DESC)`,
	},
}

// TestGenerateLegacy generates declarations from a schema written by hand
// in each database (legacyDDL) and compares them, with the notes on what
// they cannot declare, with tests/testdata/gen/legacy_<db>.golden
// (-update-gen rewrites them).
func TestGenerateLegacy(t *testing.T) {
	t.Parallel()
	for _, name := range []string{"sqlite", "postgres", "mysql"} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			is := is.New(t)
			ctx := ctxT(t)
			db := openTestDB(t, name)
			for _, s := range legacyDDL[name] {
				mustExec(t, db, s)
			}
			live, err := schema.Inspect(ctx, db, schema.Filter{Tables: []string{"legacy_*"}})
			is.NoErr(err)
			src, notes, err := schema.Generate(live, schema.GenOptions{Package: "legacy"})
			is.NoErr(err)
			got := string(src) + "\n// Notes:\n// " + strings.Join(notes, "\n// ") + "\n"
			file := filepath.Join("testdata", "gen", "legacy_"+name+".golden")
			if *updateGen {
				is.NoErr(os.MkdirAll(filepath.Dir(file), 0o755))
				is.NoErr(os.WriteFile(file, []byte(got), 0o644))
			}
			want, err := os.ReadFile(file)
			is.NoErr(err)
			if got != string(want) {
				t.Fatalf("generated code differs from %s (rerun with -update-gen and review the diff):\n%s", file, got)
			}
			// Generating again from the same database gives the same bytes.
			again, err := schema.Inspect(ctx, db, schema.Filter{Tables: []string{"legacy_*"}})
			is.NoErr(err)
			src2, _, err := schema.Generate(again, schema.GenOptions{Package: "legacy"})
			is.NoErr(err)
			is.Equal(string(src2), string(src))
		})
	}
}
