package bench

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	_ "github.com/jackc/pgx/v5/stdlib" // database/sql driver "pgx"

	"github.com/wrensql/wren"
)

// Model mirrors the model of the public go-orm-benchmarks suite, with two
// more columns (a float and a time) for ten columns of mixed types.
type Model struct {
	ID        int64     `db:"id" gorm:"primaryKey" bun:"id,pk,autoincrement"`
	Name      string    `db:"name" bun:"name"`
	Title     string    `db:"title" bun:"title"`
	Fax       string    `db:"fax" bun:"fax"`
	Web       string    `db:"web" bun:"web"`
	Age       int64     `db:"age" bun:"age"`
	Flag      bool      `db:"flag" bun:"flag"`
	Counter   int64     `db:"counter" bun:"counter"`
	Score     float64   `db:"score" bun:"score"`
	CreatedAt time.Time `db:"created_at" bun:"created_at"`

	_ struct{} `bun:"table:models"`
}

// TableName names the table for GORM.
func (Model) TableName() string { return "models" }

// ModelTable is the wren descriptor of models.
type ModelTable struct {
	wren.Table
	ID        wren.Column[int64] `wren:",pk"`
	Name      wren.Column[string]
	Title     wren.Column[string]
	Fax       wren.Column[string]
	Web       wren.Column[string]
	Age       wren.Column[int64]
	Flag      wren.Column[bool]
	Counter   wren.Column[int64]
	Score     wren.Column[float64]
	CreatedAt wren.Column[time.Time]
}

// Models is the wren descriptor.
var Models = wren.NewTable[ModelTable]("models")

const seedRows = 1000

// env is one database with every handle the contenders need.
type env struct {
	name  string        // postgres, mysql, sqlite
	sqlDB *sql.DB       // database/sql (pgx stdlib on PostgreSQL)
	pool  *pgxpool.Pool // native pgx, PostgreSQL only
	wdb   *wren.DB
}

// ph returns the n-th placeholder for the env's dialect.
func (e *env) ph(n int) string {
	if e.name == "postgres" {
		return "$" + strconv.Itoa(n)
	}
	return "?"
}

// returning reports whether hand-written inserts read keys with RETURNING.
func (e *env) returning() bool { return e.name != "mysql" }

var envs []*env

func newModel(i int) *Model {
	return &Model{Name: "name" + strconv.Itoa(i), Title: "title", Fax: "fax", Web: "http://example.com",
		Age: int64(20 + i%50), Flag: i%2 == 0, Counter: int64(i), Score: float64(i) / 3,
		CreatedAt: time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC).Add(time.Duration(i) * time.Second)}
}

func TestMain(m *testing.M) {
	ctx := context.Background()
	if err := setup(ctx); err != nil {
		fmt.Fprintln(os.Stderr, "bench setup:", err)
		os.Exit(1)
	}
	code := m.Run()
	for _, e := range envs {
		e.wdb.Close()
		e.sqlDB.Close()
		if e.pool != nil {
			e.pool.Close()
		}
	}
	os.Exit(code)
}

func getenv(k, def string) string {
	if v := os.Getenv(k); v != "" {
		return v
	}
	return def
}

// setup connects to the three databases and creates a fresh models table
// in each, with seedRows rows. WREN_BENCH_DATABASES (default
// "postgres,mysql,sqlite") chooses which run.
func setup(ctx context.Context) error {
	for _, name := range strings.Split(getenv("WREN_BENCH_DATABASES", "postgres,mysql,sqlite"), ",") {
		e := &env{name: name}
		var err error
		switch name {
		case "postgres":
			dsn := getenv("WREN_BENCH_POSTGRES_DSN", "postgres://postgres@127.0.0.1:5432/wren_bench?sslmode=disable")
			if e.pool, err = pgxpool.New(ctx, dsn); err != nil {
				return err
			}
			if e.sqlDB, err = sql.Open("pgx", dsn); err != nil {
				return err
			}
			e.wdb = wren.OpenPool(e.pool)
		case "mysql":
			dsn := getenv("WREN_BENCH_MYSQL_DSN", "root@tcp(127.0.0.1:3306)/wren_bench?parseTime=true")
			if e.wdb, err = wren.Open(ctx, "mysql", dsn); err != nil {
				return err
			}
			e.sqlDB = e.wdb.SQLDB()
		case "sqlite":
			dir, err := os.MkdirTemp("", "wren-bench")
			if err != nil {
				return err
			}
			if e.wdb, err = wren.Open(ctx, "sqlite", filepath.Join(dir, "bench.db")); err != nil {
				return err
			}
			e.sqlDB = e.wdb.SQLDB()
		default:
			return fmt.Errorf("unknown database %q", name)
		}
		e.sqlDB.SetMaxIdleConns(4)
		if err := e.wdb.Ping(ctx); err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
		if err := wren.DropTablesIfExists(ctx, e.wdb, Models); err != nil {
			return err
		}
		if err := wren.CreateTables(ctx, e.wdb, Models); err != nil {
			return err
		}
		var rows []*Model
		for i := 0; i < seedRows; i++ {
			rows = append(rows, newModel(i))
		}
		if err := wren.Create(ctx, e.wdb, Models, rows...); err != nil {
			return err
		}
		envs = append(envs, e)
	}
	return nil
}
