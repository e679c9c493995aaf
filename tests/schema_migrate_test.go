package tests

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/matryer/is"

	"github.com/wrensql/wren"
	"github.com/wrensql/wren/migrate"
	"github.com/wrensql/wren/schema"
)

// MigOrgV1Table and MigPersonV1Table are version 1 of a schema; the V2
// types are where it goes. The differences cover every op Diff emits.
type MigOrgV1Table struct {
	wren.Table
	ID   wren.Column[int64] `wren:",pk"`
	Name wren.Column[string]
}

type MigPersonV1Table struct {
	wren.Table
	ID      wren.Column[int64]   `wren:",pk"`
	OrgID   wren.Column[int64]   `wren:",references=mig_orgs.id"`
	Email   wren.Column[*string] `wren:",size=80"`
	Age     wren.Column[int16]
	Note    wren.Column[string] `wren:",default='x'"`
	Retired wren.Column[*string]
}

type MigPersonV2Table struct {
	wren.Table
	ID      wren.Column[int64]   `wren:",pk"`
	OrgID   wren.Column[int64]   `wren:",references=mig_orgs.id,ondelete=cascade"` // action changes
	Email   wren.Column[string]  `wren:",size=120"`                                // type and nullability change
	Age     wren.Column[int32]   // type changes
	Note    wren.Column[string]  // default dropped
	Active  wren.Column[bool]    `wren:",default=TRUE"` // added
	Country wren.Column[*string] `wren:",size=2,index"` // added, indexed
}

var (
	MigOrgs    = wren.NewTable[MigOrgV1Table]("mig_orgs")
	MigPeople1 = wren.NewTable[MigPersonV1Table]("mig_people", wren.Index("mig_email", "email"))
	MigPeople2 = wren.NewTable[MigPersonV2Table]("mig_people",
		wren.UniqueIndex("mig_email", "email", "org_id"))
	MigPeople2Partial = wren.NewTable[MigPersonV2Table]("mig_people",
		wren.UniqueIndex("mig_email", "email", "org_id").Where("active = TRUE"))
)

type migPerson struct {
	ID      int64
	OrgID   int64
	Email   *string
	Age     int16
	Note    string
	Retired *string
}

// TestMigrateDiff: version 1 with rows in it, Verify against version 2,
// Diff, Run the ops; then version 2 verifies clean, the rows are kept, and
// running again applies nothing. On SQLite several ops rebuild the table.
func TestMigrateDiff(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *wren.DB) {
		is := is.New(t)
		ctx := ctxT(t)
		d := db.Dialect()
		is.NoErr(wren.CreateTables(ctx, db, MigOrgs, MigPeople1))
		mustExec(t, db, "INSERT INTO mig_orgs (name) VALUES ('acme')")
		email := "a@example.com"
		is.NoErr(wren.Create(ctx, db, MigPeople1, &migPerson{OrgID: 1, Email: &email, Age: 30, Note: "n"}))

		v2 := MigPeople2
		if d.PartialIndexes() {
			v2 = MigPeople2Partial
		}
		diffs, err := schema.Verify(ctx, db, MigOrgs, v2)
		is.NoErr(err)
		ops, notes := migrate.Diff(diffs, migrate.DiffOptions{Drop: true})
		is.Equal(notes, []string{"mig_people.email: nullability: declared NOT NULL, database has NULL: fails while any row holds NULL: update those rows first"})
		live, err := schema.Inspect(ctx, db, schema.Filter{})
		is.NoErr(err)
		script, err := migrate.Script(d, live, ops, notes)
		is.NoErr(err)
		t.Logf("%s\n%s", d, script)

		ran, err := migrate.Run(ctx, db, migrate.Migration{ID: "0001_v2", Ops: ops})
		is.NoErr(err)
		is.Equal(ran, []string{"0001_v2"})
		diffs, err = schema.Verify(ctx, db, MigOrgs, v2)
		is.NoErr(err)
		is.Equal(diffLines(diffs), []string(nil))

		type person2 struct {
			ID     int64
			Email  string
			Age    int32
			Note   string
			Active bool
		}
		got, err := wren.All[person2](ctx, db, wren.Select(MigPeople2.ID, MigPeople2.Email, MigPeople2.Age, MigPeople2.Note, MigPeople2.Active).From(MigPeople2))
		is.NoErr(err)
		is.Equal(got, []person2{{ID: 1, Email: email, Age: 30, Note: "n", Active: true}})

		ran, err = migrate.Run(ctx, db, migrate.Migration{ID: "0001_v2", Ops: ops})
		is.NoErr(err)
		is.Equal(len(ran), 0) // recorded: not applied twice
		recs, err := wren.All[migrate.MigrationRecord](ctx, db, wren.Select(migrate.Records.ID, migrate.Records.AppliedAt).From(migrate.Records))
		is.NoErr(err)
		is.Equal(len(recs), 1)
		is.True(time.Since(recs[0].AppliedAt) < time.Hour)
	})
}

// TestMigrateRenames: rename a table and a column, keeping rows, and drop
// an index and a foreign key, each verified by Inspect afterwards.
func TestMigrateRenames(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *wren.DB) {
		is := is.New(t)
		ctx := ctxT(t)
		is.NoErr(wren.CreateTables(ctx, db, MigOrgs, MigPeople1))
		mustExec(t, db, "INSERT INTO mig_orgs (name) VALUES ('acme')")
		is.NoErr(wren.Create(ctx, db, MigPeople1, &migPerson{OrgID: 1, Age: 3, Note: "n"}))
		live, err := schema.Inspect(ctx, db, schema.Filter{})
		is.NoErr(err)
		fk := live.Table("mig_people").ForeignKeys[0]
		_, err = migrate.Run(ctx, db,
			migrate.Migration{ID: "1", Ops: []migrate.Op{migrate.RenameTable{From: "mig_people", To: "mig_members"}}},
			migrate.Migration{ID: "2", Ops: []migrate.Op{migrate.RenameColumn{Table: "mig_members", From: "age", To: "years"}}},
			migrate.Migration{ID: "3", Ops: []migrate.Op{
				migrate.DropIndex{Table: "mig_members", Name: "mig_email"},
				migrate.DropForeignKey{Table: "mig_members", Key: fk},
				migrate.DropColumn{Table: "mig_members", Column: "retired"},
				migrate.AddForeignKey{Table: "mig_members", Key: wren.ForeignKeySchema{Name: "members_org", Columns: []string{"org_id"},
					RefTable: "mig_orgs", RefColumns: []string{"id"}, OnDelete: "CASCADE"}},
			}})
		is.NoErr(err)
		live, err = schema.Inspect(ctx, db, schema.Filter{Tables: []string{"mig_*"}})
		is.NoErr(err)
		is.True(live.Table("mig_people") == nil)
		m := live.Table("mig_members")
		is.True(m != nil)
		var names []string
		for _, c := range m.Columns {
			names = append(names, c.Name)
		}
		is.Equal(names, []string{"id", "org_id", "email", "years", "note"})
		is.Equal(len(m.ForeignKeys), 1)
		is.Equal(m.ForeignKeys[0].OnDelete, "CASCADE")
		is.True(!slices.ContainsFunc(m.Indexes, func(ix wren.IndexSchema) bool { return strings.Contains(ix.Name, "email") }))
		years, err := wren.All[int64](ctx, db, wren.RawStmt("SELECT years FROM mig_members"))
		is.NoErr(err)
		is.Equal(years, []int64{3})
	})
}
