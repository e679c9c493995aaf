package wren_test

import (
	"fmt"
	"time"

	"github.com/wrensql/wren"
	"github.com/wrensql/wren/dialect"
)

// IndexedAccountTable's indexes are declared by NewTable's options: one with a
// name of its own, and a partial unique one.
type IndexedAccountTable struct {
	wren.Table
	ID        wren.Column[int64] `wren:",pk"`
	Email     wren.Column[string]
	DeletedAt wren.Column[*time.Time]
}

// Named and partial indexes: emails are unique among accounts that are not
// deleted. MySQL and MariaDB have no partial indexes; rendering one for
// them fails with ErrUnsupported.
func ExampleIndex() {
	accounts := wren.NewTable[IndexedAccountTable]("accounts",
		wren.Index("accounts_by_deletion", "deleted_at"),
		wren.UniqueIndex("accounts_live_email", "email").Where("deleted_at IS NULL"))
	for _, d := range []*dialect.Dialect{dialect.Postgres, dialect.MySQL} {
		for _, ix := range wren.CreateIndexes(accounts) {
			text, _, err := ix.SQL(d)
			if err != nil {
				fmt.Println(err)
				continue
			}
			fmt.Println(text)
		}
	}
	// Output:
	// CREATE INDEX "accounts_by_deletion" ON "accounts" ("deleted_at")
	// CREATE UNIQUE INDEX "accounts_live_email" ON "accounts" ("email") WHERE deleted_at IS NULL
	// CREATE INDEX `accounts_by_deletion` ON `accounts` (`deleted_at`)
	// wren: partial index accounts_live_email (CREATE INDEX … WHERE): not supported by this dialect on mysql
}

// Describe says what a descriptor declares, with the column types
// CreateTable writes for a dialect.
func ExampleDescribe() {
	accounts := wren.NewTable[IndexedAccountTable]("accounts", wren.Index("accounts_by_deletion", "deleted_at"))
	ts, err := wren.Describe(accounts, dialect.Postgres)
	if err != nil {
		panic(err)
	}
	for _, c := range ts.Columns {
		fmt.Println(c.Name, c.Type, "nullable:", c.Nullable, "auto:", c.Auto)
	}
	fmt.Println("primary key:", ts.PrimaryKey, "indexes:", ts.Indexes[0].Name)
	// Output:
	// id BIGINT nullable: false auto: true
	// email TEXT nullable: false auto: false
	// deleted_at TIMESTAMPTZ nullable: true auto: false
	// primary key: [id] indexes: accounts_by_deletion
}
