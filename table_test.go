package wren_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/matryer/is"

	"github.com/wrensql/wren"
	"github.com/wrensql/wren/dialect"
	"github.com/wrensql/wren/scan"
)

func TestSnakeCase(t *testing.T) {
	is := is.New(t)
	for in, want := range map[string]string{
		"ID": "id", "UserID": "user_id", "HTTPStatus": "http_status", "CreatedAt": "created_at",
		"APIKey": "api_key", "Name": "name", "URL": "url", "OAuth2Token": "o_auth2_token", "Address2": "address2",
		"userName": "user_name", "A": "a", "ÜberCool": "über_cool",
	} {
		is.Equal(scan.SnakeCase(in), want) // SnakeCase(in)
	}
}

type tagTable struct {
	wren.Table `wren:"index=aa+b,unique=b+c"`
	A          wren.Column[int64]  `wren:"aa,pk,noauto"`
	B          wren.Column[string] `wren:",size=10,unique,index"`
	C          wren.Column[*int64] `wren:",null,default=7,references=others.id,ondelete=cascade,onupdate=set null"`
	UserID     wren.Column[int64]
	skipped    int //nolint:unused // not a column: ignored
}

func TestNewTableColumnsAndTags(t *testing.T) {
	is := is.New(t)
	tt := wren.NewTable[tagTable]("tags")
	is.Equal(tt.TableName(), "tags")
	is.Equal(tt.A.Name(), "aa")
	is.Equal(tt.B.Name(), "b")
	is.Equal(tt.UserID.Name(), "user_id")
	// Selecting the table selects every column in declaration order.
	text, _, err := wren.Select(tt).From(tt).SQL(dialect.SQLite)
	is.NoErr(err)
	is.Equal(text, `SELECT "aa", "b", "c", "user_id" FROM "tags"`)
	// The tags reach the DDL.
	text, _, err = wren.CreateTable(tt).SQL(dialect.Postgres)
	is.NoErr(err)
	is.Equal(text, `CREATE TABLE "tags" ("aa" BIGINT NOT NULL, "b" VARCHAR(10) NOT NULL UNIQUE, "c" BIGINT DEFAULT 7, "user_id" BIGINT NOT NULL, PRIMARY KEY ("aa"), UNIQUE ("b", "c"), FOREIGN KEY ("c") REFERENCES "others" ("id") ON DELETE CASCADE ON UPDATE SET NULL)`)
	ix := wren.CreateIndexes(tt)
	is.Equal(len(ix), 2)
	text, _, _ = ix[1].SQL(dialect.MySQL)
	is.Equal(text, "CREATE INDEX `idx_tags_aa_b` ON `tags` (`aa`, `b`)")

	// An alias has the same columns, qualified by the alias.
	al := wren.Alias(tt, "t2")
	is.Equal(al.TableAlias(), "t2")
	text, _, err = wren.Select(al.A).From(al).Join(tt, tt.A.EqExpr(al.A)).SQL(dialect.Postgres)
	is.NoErr(err)
	is.Equal(text, `SELECT "t2"."aa" FROM "tags" AS "t2" JOIN "tags" ON "tags"."aa" = "t2"."aa"`)
}

func mustPanic(t *testing.T, want string, fn func()) {
	t.Helper()
	defer func() {
		r := recover()
		if r == nil {
			t.Fatalf("no panic; want one mentioning %q", want)
		}
		if !strings.Contains(r.(string), want) {
			t.Fatalf("panic %q does not mention %q", r, want)
		}
	}()
	fn()
}

type badTag struct {
	wren.Table
	X wren.Column[int64] `wren:",sizee=3"`
}

type badSize struct {
	wren.Table
	X wren.Column[string] `wren:",size=x"`
}

type badRef struct {
	wren.Table
	X wren.Column[int64] `wren:",references=nodot"`
}

type badAction struct {
	wren.Table
	X wren.Column[int64] `wren:",references=a.b,ondelete=explode"`
}

type noTable struct {
	X wren.Column[int64]
}

type dupColumn struct {
	wren.Table
	X wren.Column[int64] `wren:"x"`
	Y wren.Column[int64] `wren:"x"`
}

type badTableTag struct {
	wren.Table `wren:"index=a+zz"`
	A          wren.Column[int64]
}

func TestNewTableRejectsMalformedDeclarations(t *testing.T) {
	mustPanic(t, `wren_test.badTag]: field X: unknown tag option "sizee"`, func() { wren.NewTable[badTag]("t") })
	mustPanic(t, `field X: tag option size="x" is not a positive number`, func() { wren.NewTable[badSize]("t") })
	mustPanic(t, `field X: tag option references="nodot" must be table.column`, func() { wren.NewTable[badRef]("t") })
	mustPanic(t, `field X: tag option ondelete="explode"`, func() { wren.NewTable[badAction]("t") })
	mustPanic(t, "must embed wren.Table", func() { wren.NewTable[noTable]("t") })
	mustPanic(t, `fields X and Y both name column "x"`, func() { wren.NewTable[dupColumn]("t") })
	mustPanic(t, `names column "zz"`, func() { wren.NewTable[badTableTag]("t") })
	mustPanic(t, "empty table name", func() { wren.NewTable[tagTable]("") })
	// An empty alias often comes from input: it is an error when the
	// statement renders, not a panic (TestBadInputNeverPanics).
}

func TestUnsupportedWrapsErrUnsupported(t *testing.T) {
	is := is.New(t)
	_, _, err := wren.Select(Users.ID).DistinctOn(Users.ID).From(Users).SQL(dialect.MySQL)
	is.True(err != nil)
	is.True(strings.Contains(err.Error(), "mysql"))
	is.True(errorsIs(err, wren.ErrUnsupported))
	_, _, err = wren.Select(Users.ID).From(Users).SQL(nil)
	is.True(err != nil) // no dialect: an error, not a panic
}

func errorsIs(err, target error) bool { return errors.Is(err, target) }

type typeTagTable struct {
	wren.Table
	ID    wren.Column[int64]  `wren:",pk"`
	Price wren.Column[string] `wren:",type=NUMERIC(12,2),default=0.00"`
	Quote wren.Column[string] `wren:",type='DECIMAL(10,2)',null"`
	Enum  wren.Column[string] `wren:",type=VARCHAR(20),default='a,b'"`
	Doc   wren.Column[string] `wren:",type=TEXT,type.postgres=JSONB,type.mysql=JSON,type.mariadb=LONGTEXT"`
}

func TestTagTypesWithCommasAndDialects(t *testing.T) {
	is := is.New(t)
	tt := wren.NewTable[typeTagTable]("tt")
	want := map[*dialect.Dialect]string{
		dialect.Postgres: `CREATE TABLE "tt" ("id" BIGINT GENERATED BY DEFAULT AS IDENTITY NOT NULL, "price" NUMERIC(12,2) NOT NULL DEFAULT 0.00, "quote" DECIMAL(10,2), "enum" VARCHAR(20) NOT NULL DEFAULT 'a,b', "doc" JSONB NOT NULL, PRIMARY KEY ("id"))`,
		dialect.MySQL:    "CREATE TABLE `tt` (`id` BIGINT AUTO_INCREMENT NOT NULL, `price` NUMERIC(12,2) NOT NULL DEFAULT 0.00, `quote` DECIMAL(10,2), `enum` VARCHAR(20) NOT NULL DEFAULT 'a,b', `doc` JSON NOT NULL, PRIMARY KEY (`id`)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci",
		dialect.MariaDB:  "CREATE TABLE `tt` (`id` BIGINT AUTO_INCREMENT NOT NULL, `price` NUMERIC(12,2) NOT NULL DEFAULT 0.00, `quote` DECIMAL(10,2), `enum` VARCHAR(20) NOT NULL DEFAULT 'a,b', `doc` LONGTEXT NOT NULL, PRIMARY KEY (`id`)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci",
		dialect.SQLite:   `CREATE TABLE "tt" ("id" INTEGER PRIMARY KEY AUTOINCREMENT, "price" NUMERIC(12,2) NOT NULL DEFAULT 0.00, "quote" DECIMAL(10,2), "enum" VARCHAR(20) NOT NULL DEFAULT 'a,b', "doc" TEXT NOT NULL)`,
	}
	for d, w := range want {
		text, _, err := wren.CreateTable(tt).SQL(d)
		is.NoErr(err)
		is.Equal(text, w) // CREATE TABLE on d
	}
}

type badParen struct {
	wren.Table
	A wren.Column[string] `wren:",type=NUMERIC(12,2"`
}

type badQuote struct {
	wren.Table
	A wren.Column[string] `wren:",default='x"`
}

type badCloser struct {
	wren.Table
	A wren.Column[string] `wren:",type=NUMERIC12,2)"`
}

type badDialect struct {
	wren.Table
	A wren.Column[string] `wren:",type.oracle=CLOB"`
}

type quotedName struct {
	wren.Table
	A wren.Column[string] `wren:"it's (a) name,type=VARCHAR(3)"`
}

type twiceDialect struct {
	wren.Table
	A wren.Column[string] `wren:",type.pg=JSONB,type.postgres=JSON"`
}

func TestTagTypeErrors(t *testing.T) {
	mustPanic(t, "field A: tag options \"type=NUMERIC(12,2\" have an unclosed parenthesis", func() { wren.NewTable[badParen]("x") })
	mustPanic(t, "field A: tag options \"default='x\" have an unclosed quote", func() { wren.NewTable[badQuote]("x") })
	mustPanic(t, "field A: tag options \"type=NUMERIC12,2)\" close a parenthesis", func() { wren.NewTable[badCloser]("x") })
	mustPanic(t, `field A: tag option type.oracle=…: unknown dialect "oracle"`, func() { wren.NewTable[badDialect]("x") })
	mustPanic(t, "field A: tag option type.postgres= is given twice", func() { wren.NewTable[twiceDialect]("x") })
	// A column name is everything before the first comma, quotes and all.
	if n := wren.NewTable[quotedName]("x").A.Name(); n != "it's (a) name" {
		t.Fatalf("name %q", n)
	}
}
