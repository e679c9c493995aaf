package golden

import (
	"database/sql"
	"time"

	"github.com/wrensql/wren"
)

// EverythingTable uses every mapped Go type and tag option.
type EverythingTable struct {
	wren.Table `wren:"index=name+born,unique=code+name"`
	ID         wren.Column[int64]  `wren:",pk"`
	Name       wren.Column[string] `wren:",size=80"`
	Code       wren.Column[string] `wren:",unique"`
	Note       wren.Column[*string]
	Small      wren.Column[int16] `wren:",default=0"`
	Mid        wren.Column[int32] `wren:",index"`
	Big        wren.Column[uint64]
	Ratio      wren.Column[float32]
	Score      wren.Column[sql.Null[float64]]
	Flag       wren.Column[bool] `wren:",default=TRUE"`
	Born       wren.Column[time.Time]
	Blob       wren.Column[[]byte]
	OwnerID    wren.Column[int64]  `wren:",null,references=users.id,ondelete=set null,onupdate=cascade"`
	Custom     wren.Column[string] `wren:",type=CHAR(2)"`
}

// PairTable has a composite primary key.
type PairTable struct {
	wren.Table `wren:"pk=a+b"`
	A          wren.Column[int64]
	B          wren.Column[string]
}

// AccountTable has named and partial indexes, declared by NewTable's options.
type AccountTable struct {
	wren.Table
	ID        wren.Column[int64] `wren:",pk"`
	Email     wren.Column[string]
	DeletedAt wren.Column[*time.Time]
}

// TypedKeyTable has an auto-increment key of a type given by the tag.
type TypedKeyTable struct {
	wren.Table
	ID wren.Column[uint32] `wren:",pk,type=INT UNSIGNED"`
}

// TypedKeys is a DDL fixture.
var TypedKeys = wren.NewTable[TypedKeyTable]("typed_keys")

// Everything, Pair and Accounts are DDL fixtures.
var (
	Everything = wren.NewTable[EverythingTable]("everything")
	Pair       = wren.NewTable[PairTable]("pairs")
	Accounts   = wren.NewTable[AccountTable]("accounts",
		wren.UniqueIndex("accounts_live_email", "email").Where("deleted_at IS NULL"),
		wren.Index("accounts_deleted", "deleted_at", "id"),
		wren.Index("", "email"))
)

var _ = Add(
	Case{Name: "create table users", Stmt: wren.CreateTable(Users), NoPrepare: true},
	Case{Name: "create table tweets if not exists", Stmt: wren.CreateTable(Tweets).IfNotExists(), NoPrepare: true},
	Case{Name: "create table every type", Stmt: wren.CreateTable(Everything), NoPrepare: true},
	Case{Name: "create table composite key", Stmt: wren.CreateTable(Pair), NoPrepare: true},
	Case{Name: "create index", Stmt: wren.CreateIndexes(Everything)[0], NoPrepare: true},
	Case{Name: "create index if not exists", Stmt: wren.CreateIndexes(Everything)[1].IfNotExists(), NoPrepare: true},
	Case{Name: "create table with named indexes", Stmt: wren.CreateTable(Accounts), NoPrepare: true},
	Case{Name: "create partial unique index", Stmt: wren.CreateIndexes(Accounts)[0], NoPrepare: true},
	Case{Name: "create named index", Stmt: wren.CreateIndexes(Accounts)[1], NoPrepare: true},
	Case{Name: "create index declared without a name", Stmt: wren.CreateIndexes(Accounts)[2].IfNotExists(), NoPrepare: true},
	Case{Name: "create table auto key with type=", Stmt: wren.CreateTable(TypedKeys), NoPrepare: true},
	Case{Name: "drop table", Stmt: wren.DropTable(Users), NoPrepare: true},
	Case{Name: "drop table if exists", Stmt: wren.DropTable(Users).IfExists(), NoPrepare: true},
)
