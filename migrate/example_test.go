package migrate_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"

	"github.com/wrensql/wren"
	"github.com/wrensql/wren/migrate"
	"github.com/wrensql/wren/schema"
)

type UserTable struct {
	wren.Table
	ID    wren.Column[int64]  `wren:",pk"`
	Email wren.Column[string] `wren:",size=120"`
	Age   wren.Column[*int32]
}

// From Verify's differences to statements printed for review, then run
// once and recorded.
func ExampleDiff() {
	ctx := context.Background()
	dir, _ := os.MkdirTemp("", "wren-example")
	defer os.RemoveAll(dir)
	db, err := wren.Open(ctx, "sqlite", filepath.Join(dir, "app.db"))
	if err != nil {
		panic(err)
	}
	defer db.Close()
	if _, err := wren.Exec(ctx, db, wren.RawStmt(`CREATE TABLE users (id INTEGER PRIMARY KEY AUTOINCREMENT, email VARCHAR(120) NOT NULL, legacy TEXT)`)); err != nil {
		panic(err)
	}

	users := wren.NewTable[UserTable]("users", wren.Index("users_email", "email"))
	diffs, err := schema.Verify(ctx, db, users)
	if err != nil {
		panic(err)
	}
	ops, notes := migrate.Diff(diffs, migrate.DiffOptions{})
	live, err := schema.Inspect(ctx, db, schema.Filter{})
	if err != nil {
		panic(err)
	}
	script, err := migrate.Script(db.Dialect(), live, ops, notes)
	if err != nil {
		panic(err)
	}
	fmt.Print(script)

	ran, err := migrate.Run(ctx, db, migrate.Migration{ID: "0002_age_and_email_index", Ops: ops})
	fmt.Println(ran, err)
	ran, err = migrate.Run(ctx, db, migrate.Migration{ID: "0002_age_and_email_index", Ops: ops})
	fmt.Println(ran, err)
	// Output:
	// -- add column users.age INTEGER
	// ALTER TABLE "users" ADD COLUMN "age" INTEGER;
	// -- add index users_email on users email
	// CREATE INDEX "users_email" ON "users" ("email");
	// -- NOTE: users.legacy: extra column: database has TEXT NULL: not dropped (DiffOptions.Drop)
	// [0002_age_and_email_index] <nil>
	// [] <nil>
}
