package bench

import (
	"context"

	"github.com/stephenafamo/bob"
	"github.com/stephenafamo/bob/dialect/mysql"
	myim "github.com/stephenafamo/bob/dialect/mysql/im"
	mysm "github.com/stephenafamo/bob/dialect/mysql/sm"
	myum "github.com/stephenafamo/bob/dialect/mysql/um"
	"github.com/stephenafamo/bob/dialect/psql"
	pgim "github.com/stephenafamo/bob/dialect/psql/im"
	pgsm "github.com/stephenafamo/bob/dialect/psql/sm"
	pgum "github.com/stephenafamo/bob/dialect/psql/um"
	"github.com/stephenafamo/bob/dialect/sqlite"
	ltim "github.com/stephenafamo/bob/dialect/sqlite/im"
	ltsm "github.com/stephenafamo/bob/dialect/sqlite/sm"
	ltum "github.com/stephenafamo/bob/dialect/sqlite/um"
	"github.com/stephenafamo/scan"

	mydialect "github.com/stephenafamo/bob/dialect/mysql/dialect"
	pgdialect "github.com/stephenafamo/bob/dialect/psql/dialect"
	ltdialect "github.com/stephenafamo/bob/dialect/sqlite/dialect"
)

type (
	psqlInsert   = pgdialect.InsertQuery
	mysqlInsert  = mydialect.InsertQuery
	sqliteInsert = ltdialect.InsertQuery
)

// bobRunner uses bob's query builder (one package per dialect, as bob
// designs it) and its generic bob.One / bob.All with a struct mapper.
type bobRunner struct {
	e      *env
	db     bob.DB
	insQ   func(ms ...*Model) bob.Query
	updQ   func(m *Model) bob.Query
	readQ  func(id int64) bob.Query
	sliceQ func() bob.Query
}

var modelMapper = scan.StructMapper[Model]()

func newBob(e *env) *bobRunner {
	r := &bobRunner{e: e, db: bob.NewDB(e.sqlDB)}
	switch e.name {
	case "postgres":
		r.insQ = func(ms ...*Model) bob.Query {
			mods := []bob.Mod[*psqlInsert]{pgim.Into("models", modelCols...), pgim.Returning("id")}
			for _, m := range ms {
				mods = append(mods, pgim.Values(psql.Arg(m.Name), psql.Arg(m.Title), psql.Arg(m.Fax), psql.Arg(m.Web),
					psql.Arg(m.Age), psql.Arg(m.Flag), psql.Arg(m.Counter), psql.Arg(m.Score), psql.Arg(m.CreatedAt)))
			}
			return psql.Insert(mods...)
		}
		r.updQ = func(m *Model) bob.Query {
			return psql.Update(pgum.Table("models"),
				pgum.SetCol("name").ToArg(m.Name), pgum.SetCol("title").ToArg(m.Title), pgum.SetCol("fax").ToArg(m.Fax),
				pgum.SetCol("web").ToArg(m.Web), pgum.SetCol("age").ToArg(m.Age), pgum.SetCol("flag").ToArg(m.Flag),
				pgum.SetCol("counter").ToArg(m.Counter), pgum.SetCol("score").ToArg(m.Score),
				pgum.SetCol("created_at").ToArg(m.CreatedAt), pgum.Where(psql.Quote("id").EQ(psql.Arg(m.ID))))
		}
		r.readQ = func(id int64) bob.Query {
			return psql.Select(pgsm.Columns(selectColNames...), pgsm.From("models"), pgsm.Where(psql.Quote("id").EQ(psql.Arg(id))))
		}
		r.sliceQ = func() bob.Query {
			return psql.Select(pgsm.Columns(selectColNames...), pgsm.From("models"), pgsm.Where(psql.Quote("id").GT(psql.Arg(0))),
				pgsm.OrderBy("id"), pgsm.Limit(100))
		}
	case "mysql":
		r.insQ = func(ms ...*Model) bob.Query {
			mods := []bob.Mod[*mysqlInsert]{myim.Into("models", modelCols...)}
			for _, m := range ms {
				mods = append(mods, myim.Values(mysql.Arg(m.Name), mysql.Arg(m.Title), mysql.Arg(m.Fax), mysql.Arg(m.Web),
					mysql.Arg(m.Age), mysql.Arg(m.Flag), mysql.Arg(m.Counter), mysql.Arg(m.Score), mysql.Arg(m.CreatedAt)))
			}
			return mysql.Insert(mods...)
		}
		r.updQ = func(m *Model) bob.Query {
			return mysql.Update(myum.Table("models"),
				myum.SetCol("name").ToArg(m.Name), myum.SetCol("title").ToArg(m.Title), myum.SetCol("fax").ToArg(m.Fax),
				myum.SetCol("web").ToArg(m.Web), myum.SetCol("age").ToArg(m.Age), myum.SetCol("flag").ToArg(m.Flag),
				myum.SetCol("counter").ToArg(m.Counter), myum.SetCol("score").ToArg(m.Score),
				myum.SetCol("created_at").ToArg(m.CreatedAt), myum.Where(mysql.Quote("id").EQ(mysql.Arg(m.ID))))
		}
		r.readQ = func(id int64) bob.Query {
			return mysql.Select(mysm.Columns(selectColNames...), mysm.From("models"), mysm.Where(mysql.Quote("id").EQ(mysql.Arg(id))))
		}
		r.sliceQ = func() bob.Query {
			return mysql.Select(mysm.Columns(selectColNames...), mysm.From("models"), mysm.Where(mysql.Quote("id").GT(mysql.Arg(0))),
				mysm.OrderBy("id"), mysm.Limit(100))
		}
	default:
		r.insQ = func(ms ...*Model) bob.Query {
			mods := []bob.Mod[*sqliteInsert]{ltim.Into("models", modelCols...), ltim.Returning("id")}
			for _, m := range ms {
				mods = append(mods, ltim.Values(sqlite.Arg(m.Name), sqlite.Arg(m.Title), sqlite.Arg(m.Fax), sqlite.Arg(m.Web),
					sqlite.Arg(m.Age), sqlite.Arg(m.Flag), sqlite.Arg(m.Counter), sqlite.Arg(m.Score), sqlite.Arg(m.CreatedAt)))
			}
			return sqlite.Insert(mods...)
		}
		r.updQ = func(m *Model) bob.Query {
			return sqlite.Update(ltum.Table("models"),
				ltum.SetCol("name").ToArg(m.Name), ltum.SetCol("title").ToArg(m.Title), ltum.SetCol("fax").ToArg(m.Fax),
				ltum.SetCol("web").ToArg(m.Web), ltum.SetCol("age").ToArg(m.Age), ltum.SetCol("flag").ToArg(m.Flag),
				ltum.SetCol("counter").ToArg(m.Counter), ltum.SetCol("score").ToArg(m.Score),
				ltum.SetCol("created_at").ToArg(m.CreatedAt), ltum.Where(sqlite.Quote("id").EQ(sqlite.Arg(m.ID))))
		}
		r.readQ = func(id int64) bob.Query {
			return sqlite.Select(ltsm.Columns(selectColNames...), ltsm.From("models"), ltsm.Where(sqlite.Quote("id").EQ(sqlite.Arg(id))))
		}
		r.sliceQ = func() bob.Query {
			return sqlite.Select(ltsm.Columns(selectColNames...), ltsm.From("models"), ltsm.Where(sqlite.Quote("id").GT(sqlite.Arg(0))),
				ltsm.OrderBy("id"), ltsm.Limit(100))
		}
	}
	return r
}

var selectColNames = []any{"id", "name", "title", "fax", "web", "age", "flag", "counter", "score", "created_at"}

func (r *bobRunner) keys(ctx context.Context, ms []*Model) error {
	q := r.insQ(ms...)
	if !r.e.returning() {
		res, err := bob.Exec(ctx, r.db, q)
		if err != nil {
			return err
		}
		first, err := res.LastInsertId()
		for i, m := range ms {
			m.ID = first + int64(i)
		}
		return err
	}
	ids, err := bob.All(ctx, r.db, q, scan.SingleColumnMapper[int64])
	for i, id := range ids {
		ms[i].ID = id
	}
	return err
}

func (r *bobRunner) insert(ctx context.Context, m *Model) error { return r.keys(ctx, []*Model{m}) }

func (r *bobRunner) insertMulti(ctx context.Context, ms []*Model) error { return r.keys(ctx, ms) }

func (r *bobRunner) update(ctx context.Context, m *Model) error {
	_, err := bob.Exec(ctx, r.db, r.updQ(m))
	return err
}

func (r *bobRunner) read(ctx context.Context, id int64) (Model, error) {
	return bob.One(ctx, r.db, r.readQ(id), modelMapper)
}

func (r *bobRunner) readSlice(ctx context.Context) ([]Model, error) {
	return bob.All(ctx, r.db, r.sliceQ(), modelMapper)
}
