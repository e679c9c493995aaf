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
// designs it) with its prepared statements: each single-row statement is
// built once with named arguments (bob.Named) and prepared once
// (bob.Prepare, bob.PrepareQuery); each run binds a *Model, a key or a
// LIMIT to it and scans with bob's struct mapper. The 100-row INSERT has
// 900 arguments, which bob's binder cannot take from a slice of rows: it is
// built each time and run unprepared (bob.All / bob.Exec), which costs one
// round trip on every database here (pgx's statement cache on PostgreSQL,
// interpolateParams on MySQL).
//
// Single rows are read with QueryStmt.All, not QueryStmt.One: in bob
// v0.30.0 One never closes its rows, so each call would keep a connection
// of the pool busy for good (and on SQLite hold the database's lock).
type bobRunner struct {
	e        *env
	db       bob.DB
	insMulti func(ms ...*Model) bob.Query
	insKey   bob.QueryStmt[*Model, int64, []int64] // RETURNING id
	insExec  bob.Stmt[*Model]                      // MySQL: the last-insert id
	updQ     bob.Stmt[*Model]
	readQ    bob.QueryStmt[int64, Model, []Model]
	sliceQ   bob.QueryStmt[int64, Model, []Model] // LIMIT bound
	sliceN   func(n int) bob.Query                // LIMIT n written in (MySQL)
	sliceByN map[int]bob.QueryStmt[int64, Model, []Model]
}

var modelMapper = scan.StructMapper[Model]()

var selectColNames = []any{"id", "name", "title", "fax", "web", "age", "flag", "counter", "score", "created_at"}

// namedCols is one named argument per inserted column, named as the
// fields' db tags so that bob binds them from a *Model.
func namedCols() []bob.Expression {
	out := make([]bob.Expression, len(modelCols))
	for i, c := range modelCols {
		out[i] = bob.Named(c)
	}
	return out
}

func newBob(e *env) (*bobRunner, error) {
	ctx := context.Background()
	r := &bobRunner{e: e, db: bob.NewDB(e.sqlDB)}
	var ins, upd, read, slice bob.Query
	switch e.name {
	case "postgres":
		r.insMulti = func(ms ...*Model) bob.Query {
			mods := []bob.Mod[*psqlInsert]{pgim.Into("models", modelCols...), pgim.Returning("id")}
			for _, m := range ms {
				mods = append(mods, pgim.Values(psql.Arg(m.Name), psql.Arg(m.Title), psql.Arg(m.Fax), psql.Arg(m.Web),
					psql.Arg(m.Age), psql.Arg(m.Flag), psql.Arg(m.Counter), psql.Arg(m.Score), psql.Arg(m.CreatedAt)))
			}
			return psql.Insert(mods...)
		}
		ins = psql.Insert(pgim.Into("models", modelCols...), pgim.Values(namedCols()...), pgim.Returning("id"))
		mods := []bob.Mod[*pgdialect.UpdateQuery]{pgum.Table("models")}
		for _, c := range modelCols {
			mods = append(mods, pgum.SetCol(c).To(bob.Named(c)))
		}
		upd = psql.Update(append(mods, pgum.Where(psql.Quote("id").EQ(bob.Named("id"))))...)
		read = psql.Select(pgsm.Columns(selectColNames...), pgsm.From("models"), pgsm.Where(psql.Quote("id").EQ(bob.Named("id"))))
		slice = psql.Select(pgsm.Columns(selectColNames...), pgsm.From("models"), pgsm.Where(psql.Quote("id").GT(psql.Arg(0))),
			pgsm.OrderBy("id"), pgsm.Limit(bob.Named("limit")))
	case "mysql":
		r.insMulti = func(ms ...*Model) bob.Query {
			mods := []bob.Mod[*mysqlInsert]{myim.Into("models", modelCols...)}
			for _, m := range ms {
				mods = append(mods, myim.Values(mysql.Arg(m.Name), mysql.Arg(m.Title), mysql.Arg(m.Fax), mysql.Arg(m.Web),
					mysql.Arg(m.Age), mysql.Arg(m.Flag), mysql.Arg(m.Counter), mysql.Arg(m.Score), mysql.Arg(m.CreatedAt)))
			}
			return mysql.Insert(mods...)
		}
		ins = mysql.Insert(myim.Into("models", modelCols...), myim.Values(namedCols()...))
		mods := []bob.Mod[*mydialect.UpdateQuery]{myum.Table("models")}
		for _, c := range modelCols {
			mods = append(mods, myum.SetCol(c).To(bob.Named(c)))
		}
		upd = mysql.Update(append(mods, myum.Where(mysql.Quote("id").EQ(bob.Named("id"))))...)
		read = mysql.Select(mysm.Columns(selectColNames...), mysm.From("models"), mysm.Where(mysql.Quote("id").EQ(bob.Named("id"))))
		// bob's MySQL LIMIT takes a number, not an argument: one
		// statement per LIMIT, prepared when first used.
		r.sliceN = func(n int) bob.Query {
			return mysql.Select(mysm.Columns(selectColNames...), mysm.From("models"), mysm.Where(mysql.Quote("id").GT(mysql.Arg(0))),
				mysm.OrderBy("id"), mysm.Limit(int64(n)))
		}
	default:
		r.insMulti = func(ms ...*Model) bob.Query {
			mods := []bob.Mod[*sqliteInsert]{ltim.Into("models", modelCols...), ltim.Returning("id")}
			for _, m := range ms {
				mods = append(mods, ltim.Values(sqlite.Arg(m.Name), sqlite.Arg(m.Title), sqlite.Arg(m.Fax), sqlite.Arg(m.Web),
					sqlite.Arg(m.Age), sqlite.Arg(m.Flag), sqlite.Arg(m.Counter), sqlite.Arg(m.Score), sqlite.Arg(m.CreatedAt)))
			}
			return sqlite.Insert(mods...)
		}
		ins = sqlite.Insert(ltim.Into("models", modelCols...), ltim.Values(namedCols()...), ltim.Returning("id"))
		mods := []bob.Mod[*ltdialect.UpdateQuery]{ltum.Table("models")}
		for _, c := range modelCols {
			mods = append(mods, ltum.SetCol(c).To(bob.Named(c)))
		}
		upd = sqlite.Update(append(mods, ltum.Where(sqlite.Quote("id").EQ(bob.Named("id"))))...)
		read = sqlite.Select(ltsm.Columns(selectColNames...), ltsm.From("models"), ltsm.Where(sqlite.Quote("id").EQ(bob.Named("id"))))
		slice = sqlite.Select(ltsm.Columns(selectColNames...), ltsm.From("models"), ltsm.Where(sqlite.Quote("id").GT(sqlite.Arg(0))),
			ltsm.OrderBy("id"), ltsm.Limit(bob.Named("limit")))
	}
	var err error
	if e.returning() {
		r.insKey, err = bob.PrepareQuery[*Model, bob.StdPrepared](ctx, r.db, ins, scan.SingleColumnMapper[int64])
	} else {
		r.insExec, err = bob.Prepare[*Model, bob.StdPrepared](ctx, r.db, ins)
	}
	if err != nil {
		return nil, err
	}
	if r.updQ, err = bob.Prepare[*Model, bob.StdPrepared](ctx, r.db, upd); err != nil {
		return nil, err
	}
	if r.readQ, err = bob.PrepareQuery[int64, bob.StdPrepared](ctx, r.db, read, modelMapper); err != nil {
		return nil, err
	}
	if slice != nil {
		if r.sliceQ, err = bob.PrepareQuery[int64, bob.StdPrepared](ctx, r.db, slice, modelMapper); err != nil {
			return nil, err
		}
	}
	return r, nil
}

func (r *bobRunner) insert(ctx context.Context, m *Model) error {
	if !r.e.returning() {
		res, err := r.insExec.Exec(ctx, m)
		if err == nil {
			m.ID, err = res.LastInsertId()
		}
		return err
	}
	ids, err := r.insKey.All(ctx, m)
	if err == nil && len(ids) == 1 {
		m.ID = ids[0]
	}
	return err
}

func (r *bobRunner) insertMulti(ctx context.Context, ms []*Model) error {
	q := r.insMulti(ms...)
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

func (r *bobRunner) update(ctx context.Context, m *Model) error {
	_, err := r.updQ.Exec(ctx, m)
	return err
}

func (r *bobRunner) read(ctx context.Context, id int64) (Model, error) {
	ms, err := r.readQ.All(ctx, id)
	if err != nil || len(ms) == 0 {
		return Model{}, err
	}
	return ms[0], nil
}

func (r *bobRunner) readSlice(ctx context.Context, n int) ([]Model, error) {
	if r.sliceN == nil {
		return r.sliceQ.All(ctx, int64(n))
	}
	st, ok := r.sliceByN[n]
	if !ok {
		var err error
		if st, err = bob.PrepareQuery[int64, bob.StdPrepared](ctx, r.db, r.sliceN(n), modelMapper); err != nil {
			return nil, err
		}
		if r.sliceByN == nil {
			r.sliceByN = map[int]bob.QueryStmt[int64, Model, []Model]{}
		}
		r.sliceByN[n] = st
	}
	return st.All(ctx, 0)
}
