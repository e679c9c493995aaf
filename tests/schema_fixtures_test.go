package tests

// Fixtures of the schema suite (schema_*_test.go): hand-written descriptors
// using every type of docs/types.md and every kind of key, index and
// foreign key wren declares. The generator's round trip starts from them.

import (
	"database/sql"
	"time"

	"github.com/wrensql/wren"
)

// SchemaOrgTable is referenced by the others.
type SchemaOrgTable struct {
	wren.Table `wren:"unique=region+name"`
	ID         wren.Column[int64]  `wren:",pk"`
	Name       wren.Column[string] `wren:",size=120"`
	Region     wren.Column[string] `wren:",size=8"`
	Slug       wren.Column[string] `wren:",unique"`
}

// SchemaPersonTable uses every mapped Go type.
type SchemaPersonTable struct {
	wren.Table `wren:"index=org_id+born"`
	ID         wren.Column[int64]  `wren:",pk"`
	OrgID      wren.Column[int64]  `wren:",references=schema_orgs.id,ondelete=cascade"`
	MentorID   wren.Column[*int64] `wren:",references=schema_people.id,ondelete=set null,onupdate=cascade"`
	Email      wren.Column[string]
	Nick       wren.Column[*string] `wren:",size=40"`
	Age        wren.Column[int32]   `wren:",default=0"`
	Rank       wren.Column[int16]
	Visits     wren.Column[uint64]
	Score      wren.Column[float64]
	Ratio      wren.Column[sql.Null[float32]]
	Active     wren.Column[bool] `wren:",default=TRUE"`
	Born       wren.Column[wren.Date]
	CreatedAt  wren.Column[time.Time] `wren:",index"`
	DeletedAt  wren.Column[*time.Time]
	Photo      wren.Column[[]byte]
	Country    wren.Column[string] `wren:",type=CHAR(2),default='NZ'"`
}

// SchemaMembershipTable has a composite primary key.
type SchemaMembershipTable struct {
	wren.Table `wren:"pk=org_id+person_id"`
	OrgID      wren.Column[int64]  `wren:",references=schema_orgs.id"`
	PersonID   wren.Column[int64]  `wren:",references=schema_people.id,ondelete=restrict"`
	Role       wren.Column[string] `wren:",size=20"`
}

var (
	SchemaOrgs   = wren.NewTable[SchemaOrgTable]("schema_orgs")
	SchemaPeople = wren.NewTable[SchemaPersonTable]("schema_people",
		wren.Index("people_email", "email"),
		wren.UniqueIndex("people_live_nick", "nick").Where("deleted_at IS NULL"))
	SchemaMemberships = wren.NewTable[SchemaMembershipTable]("schema_memberships")
)

// schemaTables are the fixtures, for CreateTables and Verify.
func schemaTables(partial bool) []wren.TableLike {
	if partial {
		return []wren.TableLike{SchemaOrgs, SchemaPeople, SchemaMemberships}
	}
	return []wren.TableLike{SchemaOrgs, SchemaPeopleMy, SchemaMemberships}
}

// SchemaPeopleMy is SchemaPeople without the partial index, which MySQL
// and MariaDB do not have.
var SchemaPeopleMy = wren.NewTable[SchemaPersonTable]("schema_people",
	wren.Index("people_email", "email"),
	wren.UniqueIndex("people_live_nick", "nick"))
