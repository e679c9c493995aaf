package bench

import (
	"context"
	"fmt"

	sq "github.com/Masterminds/squirrel"
	"github.com/jmoiron/sqlx"
	"github.com/uptrace/bun"
	"github.com/uptrace/bun/dialect/mysqldialect"
	"github.com/uptrace/bun/dialect/pgdialect"
	"github.com/uptrace/bun/dialect/sqlitedialect"
	"gorm.io/driver/mysql"
	"gorm.io/driver/postgres"
	"gorm.io/driver/sqlite"
	"gorm.io/gorm"
	"gorm.io/gorm/logger"

	"github.com/wrensql/wren"
)

// wrenRunner uses wren the way its README shows.
type wrenRunner struct{ e *env }

func (r wrenRunner) insert(ctx context.Context, m *Model) error {
	return wren.Create(ctx, r.e.wdb, Models, m)
}

func (r wrenRunner) insertMulti(ctx context.Context, ms []*Model) error {
	return wren.Create(ctx, r.e.wdb, Models, ms...)
}

func (r wrenRunner) update(ctx context.Context, m *Model) error {
	_, err := wren.Exec(ctx, r.e.wdb, wren.Update(Models).Set(
		wren.Set(Models.Name, m.Name), wren.Set(Models.Title, m.Title), wren.Set(Models.Fax, m.Fax),
		wren.Set(Models.Web, m.Web), wren.Set(Models.Age, m.Age), wren.Set(Models.Flag, m.Flag),
		wren.Set(Models.Counter, m.Counter), wren.Set(Models.Score, m.Score), wren.Set(Models.CreatedAt, m.CreatedAt),
	).Where(Models.ID.Eq(m.ID)))
	return err
}

func (r wrenRunner) read(ctx context.Context, id int64) (Model, error) {
	return wren.One[Model](ctx, r.e.wdb, wren.Select(Models).From(Models).Where(Models.ID.Eq(id)))
}

func (r wrenRunner) readSlice(ctx context.Context, n int) ([]Model, error) {
	return wren.All[Model](ctx, r.e.wdb, wren.Select(Models).From(Models).Where(Models.ID.Gt(0)).OrderBy(Models.ID).Limit(n))
}

// gormRunner uses GORM with prepared statements and no default transaction,
// as its performance guide recommends.
type gormRunner struct{ db *gorm.DB }

func newGorm(e *env) (*gormRunner, error) {
	var d gorm.Dialector
	switch e.name {
	case "postgres":
		d = postgres.New(postgres.Config{Conn: e.sqlDB})
	case "mysql":
		d = mysql.New(mysql.Config{Conn: e.sqlDB, SkipInitializeWithVersion: true})
	default:
		d = &sqlite.Dialector{Conn: e.sqlDB}
	}
	db, err := gorm.Open(d, &gorm.Config{SkipDefaultTransaction: true, PrepareStmt: true, Logger: logger.Discard})
	if err != nil {
		return nil, err
	}
	return &gormRunner{db: db}, nil
}

func (r *gormRunner) insert(ctx context.Context, m *Model) error {
	return r.db.WithContext(ctx).Create(m).Error
}

func (r *gormRunner) insertMulti(ctx context.Context, ms []*Model) error {
	return r.db.WithContext(ctx).Create(ms).Error
}

func (r *gormRunner) update(ctx context.Context, m *Model) error {
	return r.db.WithContext(ctx).Save(m).Error
}

func (r *gormRunner) read(ctx context.Context, id int64) (Model, error) {
	var m Model
	err := r.db.WithContext(ctx).Where("id = ?", id).Take(&m).Error
	return m, err
}

func (r *gormRunner) readSlice(ctx context.Context, n int) ([]Model, error) {
	var ms []Model
	err := r.db.WithContext(ctx).Where("id > ?", 0).Order("id").Limit(n).Find(&ms).Error
	return ms, err
}

// bunRunner uses bun's query builder on a pool of its own on PostgreSQL
// (pgx in the simple protocol, as bun's documentation recommends: bun
// writes values into the SQL text, so preparing its statements gains
// nothing), and on the shared pool elsewhere.
type bunRunner struct{ db *bun.DB }

func newBun(e *env) *bunRunner {
	switch e.name {
	case "postgres":
		return &bunRunner{bun.NewDB(e.bunDB, pgdialect.New())}
	case "mysql":
		return &bunRunner{bun.NewDB(e.bunDB, mysqldialect.New())}
	}
	return &bunRunner{bun.NewDB(e.bunDB, sqlitedialect.New())}
}

func (r *bunRunner) insert(ctx context.Context, m *Model) error {
	_, err := r.db.NewInsert().Model(m).Exec(ctx)
	return err
}

func (r *bunRunner) insertMulti(ctx context.Context, ms []*Model) error {
	_, err := r.db.NewInsert().Model(&ms).Exec(ctx)
	return err
}

func (r *bunRunner) update(ctx context.Context, m *Model) error {
	_, err := r.db.NewUpdate().Model(m).WherePK().Exec(ctx)
	return err
}

func (r *bunRunner) read(ctx context.Context, id int64) (Model, error) {
	var m Model
	err := r.db.NewSelect().Model(&m).Where("id = ?", id).Scan(ctx)
	return m, err
}

func (r *bunRunner) readSlice(ctx context.Context, n int) ([]Model, error) {
	var ms []Model
	err := r.db.NewSelect().Model(&ms).Where("id > ?", 0).Order("id").Limit(n).Scan(ctx)
	return ms, err
}

// sqlxRunner uses sqlx with prepared statements (its fast path) and struct
// scanning by db tags.
type sqlxRunner struct {
	e                                      *env
	stIns, stUpd, stRead, stSlice, stMulti *sqlx.Stmt
}

func newSqlx(e *env) (*sqlxRunner, error) {
	db := sqlx.NewDb(e.sqlDB, map[string]string{"postgres": "pgx", "mysql": "mysql", "sqlite": "sqlite"}[e.name])
	t := texts(e)
	r := &sqlxRunner{e: e}
	for _, p := range []struct {
		st   **sqlx.Stmt
		text string
	}{{&r.stIns, t.insert}, {&r.stUpd, t.update}, {&r.stRead, t.read}, {&r.stSlice, t.readSlice}, {&r.stMulti, t.multi}} {
		st, err := db.Preparex(p.text)
		if err != nil {
			return nil, err
		}
		*p.st = st
	}
	return r, nil
}

func (r *sqlxRunner) insert(ctx context.Context, m *Model) error {
	if r.e.returning() {
		return r.stIns.QueryRowxContext(ctx, args(m)...).Scan(&m.ID)
	}
	res, err := r.stIns.ExecContext(ctx, args(m)...)
	if err == nil {
		m.ID, err = res.LastInsertId()
	}
	return err
}

func (r *sqlxRunner) insertMulti(ctx context.Context, ms []*Model) error {
	a := multiArgs(ms)
	if !r.e.returning() {
		res, err := r.stMulti.ExecContext(ctx, a...)
		if err != nil {
			return err
		}
		first, err := res.LastInsertId()
		for i, m := range ms {
			m.ID = first + int64(i)
		}
		return err
	}
	var ids []int64
	if err := r.stMulti.SelectContext(ctx, &ids, a...); err != nil {
		return err
	}
	for i, m := range ms {
		m.ID = ids[i]
	}
	return nil
}

func (r *sqlxRunner) update(ctx context.Context, m *Model) error {
	_, err := r.stUpd.ExecContext(ctx, m.Name, m.Title, m.Fax, m.Web, m.Age, m.Flag, m.Counter, m.Score, m.CreatedAt, m.ID)
	return err
}

func (r *sqlxRunner) read(ctx context.Context, id int64) (Model, error) {
	var m Model
	err := r.stRead.GetContext(ctx, &m, id)
	return m, err
}

func (r *sqlxRunner) readSlice(ctx context.Context, n int) ([]Model, error) {
	var ms []Model
	err := r.stSlice.SelectContext(ctx, &ms, int64(0), int64(n))
	return ms, err
}

// squirrelRunner builds each statement with squirrel and runs it through
// squirrel's statement cache (sq.NewStmtCache over the *sql.DB: each
// statement text is prepared once), scanning by hand.
type squirrelRunner struct {
	e *env
	b sq.StatementBuilderType
}

func newSquirrel(e *env) *squirrelRunner {
	b := sq.StatementBuilder.RunWith(sq.NewStmtCache(e.sqlDB))
	if e.name == "postgres" {
		b = b.PlaceholderFormat(sq.Dollar)
	}
	return &squirrelRunner{e: e, b: b}
}

var modelCols = []string{"name", "title", "fax", "web", "age", "flag", "counter", "score", "created_at"}

func (r *squirrelRunner) insert(ctx context.Context, m *Model) error {
	q := r.b.Insert("models").Columns(modelCols...).Values(args(m)...)
	if r.e.returning() {
		return q.Suffix("RETURNING id").QueryRowContext(ctx).Scan(&m.ID)
	}
	res, err := q.ExecContext(ctx)
	if err == nil {
		m.ID, err = res.LastInsertId()
	}
	return err
}

func (r *squirrelRunner) insertMulti(ctx context.Context, ms []*Model) error {
	q := r.b.Insert("models").Columns(modelCols...)
	for _, m := range ms {
		q = q.Values(args(m)...)
	}
	if !r.e.returning() {
		res, err := q.ExecContext(ctx)
		if err != nil {
			return err
		}
		first, err := res.LastInsertId()
		for i, m := range ms {
			m.ID = first + int64(i)
		}
		return err
	}
	rows, err := q.Suffix("RETURNING id").QueryContext(ctx)
	if err != nil {
		return err
	}
	defer rows.Close()
	for i := 0; rows.Next(); i++ {
		if err := rows.Scan(&ms[i].ID); err != nil {
			return err
		}
	}
	return rows.Err()
}

func (r *squirrelRunner) update(ctx context.Context, m *Model) error {
	_, err := r.b.Update("models").SetMap(map[string]any{"name": m.Name, "title": m.Title, "fax": m.Fax,
		"web": m.Web, "age": m.Age, "flag": m.Flag, "counter": m.Counter, "score": m.Score, "created_at": m.CreatedAt}).
		Where(sq.Eq{"id": m.ID}).ExecContext(ctx)
	return err
}

func (r *squirrelRunner) read(ctx context.Context, id int64) (Model, error) {
	var m Model
	err := scanModel(r.b.Select("id", "name", "title", "fax", "web", "age", "flag", "counter", "score", "created_at").
		From("models").Where(sq.Eq{"id": id}).QueryRowContext(ctx), &m)
	return m, err
}

func (r *squirrelRunner) readSlice(ctx context.Context, n int) ([]Model, error) {
	rows, err := r.b.Select("id", "name", "title", "fax", "web", "age", "flag", "counter", "score", "created_at").
		From("models").Where(sq.Gt{"id": 0}).OrderBy("id").Limit(uint64(n)).QueryContext(ctx)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := make([]Model, 0, n)
	for rows.Next() {
		var m Model
		if err := scanModel(rows, &m); err != nil {
			return nil, err
		}
		out = append(out, m)
	}
	return out, rows.Err()
}

// contender is a named runner.
type contender struct {
	name string
	r    runner
}

// contenders lists, for one database, every contender of the workloads
// that all run: the baselines first. They are made once per database and
// kept, as an application keeps its prepared statements.
func (e *env) contenders() ([]contender, error) {
	if e.cs != nil {
		return e.cs, nil
	}
	raw, err := newRawSQL(e)
	if err != nil {
		return nil, fmt.Errorf("raw: %w", err)
	}
	cs := []contender{{"raw", raw}}
	if e.pool != nil {
		cs = append(cs, contender{"pgx", &rawPgx{e: e, t: texts(e), slice: sliceTexts{e: e}}})
	}
	g, err := newGorm(e)
	if err != nil {
		return nil, fmt.Errorf("gorm: %w", err)
	}
	sx, err := newSqlx(e)
	if err != nil {
		return nil, fmt.Errorf("sqlx: %w", err)
	}
	bb, err := newBob(e)
	if err != nil {
		return nil, fmt.Errorf("bob: %w", err)
	}
	cs = append(cs, contender{"wren", wrenRunner{e}}, contender{"gorm", g}, contender{"bun", newBun(e)},
		contender{"sqlx", sx}, contender{"squirrel", newSquirrel(e)}, contender{"bob", bb})
	e.cs = cs
	return cs, nil
}

// sliceContender is a named way of reading rows into a slice.
type sliceContender struct {
	name string
	r    sliceReader
}

// sliceContenders lists the readers of rows into a slice: the hand-written
// loops (append a scanned value; scan into the elements; on pgx also
// through reused destinations) and wren, and with all every other
// contender too.
func (e *env) sliceContenders(all bool) ([]sliceContender, error) {
	cs, err := e.contenders()
	if err != nil {
		return nil, err
	}
	var out []sliceContender
	for _, c := range cs {
		switch r := c.r.(type) {
		case *rawSQL:
			out = append(out, sliceContender{c.name, r}, sliceContender{"raw-elem", rawSQLElem{r}})
		case *rawPgx:
			out = append(out, sliceContender{c.name, r}, sliceContender{"pgx-elem", rawPgxElem{r}},
				sliceContender{"pgx-dest", rawPgxDest{r}})
		case wrenRunner:
			out = append(out, sliceContender{c.name, r})
		default:
			if all {
				out = append(out, sliceContender{c.name, r})
			}
		}
	}
	return out, nil
}
