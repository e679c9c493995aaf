package bench

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/go-sql-driver/mysql"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/jackc/pgx/v5/stdlib" // also the database/sql driver "pgx"

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

// seedRows is the number of rows in models: enough for the largest read
// (10,000 rows) and for Update and Read to visit a different row each time.
const seedRows = 10000

// env is one database with every handle the contenders need.
type env struct {
	name string // postgres, mysql, sqlite
	// sqlDB is the plain database/sql pool of the hand-written code and the
	// peers: pgx's stdlib driver on PostgreSQL; go-sql-driver/mysql with
	// interpolateParams=true on MySQL (statements that are not prepared
	// cost one round trip instead of three; prepared ones are unaffected);
	// modernc.org/sqlite on SQLite (the pool wren.Open made).
	sqlDB *sql.DB
	// bunDB is bun's pool: on PostgreSQL pgx's stdlib driver in the simple
	// protocol, as bun's documentation recommends (bun writes the values
	// into the SQL text, so pgx's statement cache would prepare a new
	// statement for nearly every query); elsewhere sqlDB.
	bunDB *sql.DB
	pool  *pgxpool.Pool // native pgx, PostgreSQL only
	wdb   *wren.DB
	tmp   string      // SQLite's temporary directory
	cs    []contender // made once, by contenders
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

// durabilityOff reports whether WREN_BENCH_DURABILITY=off asked for
// PostgreSQL's synchronous_commit=off and SQLite's synchronous=OFF on every
// connection. MariaDB has no such per-session switch: its setting,
// innodb_flush_log_at_trx_commit, is global and the server is shared, so
// it is left as it is.
func durabilityOff() (bool, error) {
	switch v := os.Getenv("WREN_BENCH_DURABILITY"); v {
	case "", "on":
		return false, nil
	case "off":
		return true, nil
	default:
		return false, fmt.Errorf("WREN_BENCH_DURABILITY=%q: want on or off", v)
	}
}

// withParam adds key=value to a URL-style or keyword/value DSN.
func withParam(dsn, key, value string) string {
	if !strings.Contains(dsn, "://") {
		return dsn + " " + key + "=" + value
	}
	if strings.Contains(dsn, "?") {
		return dsn + "&" + key + "=" + value
	}
	return dsn + "?" + key + "=" + value
}

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
		if e.bunDB != e.sqlDB {
			e.bunDB.Close()
		}
		if e.tmp != "" {
			os.RemoveAll(e.tmp)
		}
		if e.pool != nil {
			e.pool.Close()
		}
	}
	os.Exit(code)
}

// inRoundOrder returns cs rotated by the round that run.sh gives in
// WREN_BENCH_ROUND (1, 2, …): round r starts with the r-th contender, so
// that none always runs first — right after its table is emptied, or after
// another size's or database's runs — or always last.
func inRoundOrder[T any](cs []T) []T {
	r, _ := strconv.Atoi(os.Getenv("WREN_BENCH_ROUND"))
	if len(cs) == 0 || r <= 1 {
		return cs
	}
	k := (r - 1) % len(cs)
	return append(slices.Clip(cs[k:]), cs[:k]...)
}

func getenv(k, def string) string {
	if v := os.Getenv(k); v != "" {
		return v
	}
	return def
}

// setup connects to the three databases and creates a fresh models table
// in each, with seedRows rows. WREN_BENCH_DATABASES (default
// "postgres,mysql,sqlite") chooses which run. It prints one line per
// database with its durability settings as they are in effect.
func setup(ctx context.Context) error {
	off, err := durabilityOff()
	if err != nil {
		return err
	}
	mode := "on"
	if off {
		mode = "off"
	}
	for _, name := range strings.Split(getenv("WREN_BENCH_DATABASES", "postgres,mysql,sqlite"), ",") {
		e := &env{name: name}
		var err error
		var settings string
		switch name {
		case "postgres":
			dsn := getenv("WREN_BENCH_POSTGRES_DSN", "postgres://postgres@127.0.0.1:5432/wren_bench?sslmode=disable")
			if off {
				// A runtime parameter in the DSN is set by every connection
				// of every pool at startup.
				dsn = withParam(dsn, "synchronous_commit", "off")
			}
			if e.pool, err = pgxpool.New(ctx, dsn); err != nil {
				return err
			}
			if e.sqlDB, err = sql.Open("pgx", dsn); err != nil {
				return err
			}
			cfg, err := pgx.ParseConfig(dsn)
			if err != nil {
				return err
			}
			cfg.DefaultQueryExecMode = pgx.QueryExecModeSimpleProtocol
			e.bunDB = stdlib.OpenDB(*cfg)
			e.wdb = wren.OpenPool(e.pool)
			for _, db := range []*sql.DB{e.sqlDB, e.bunDB} {
				var sc string
				if err := db.QueryRowContext(ctx, "SHOW synchronous_commit").Scan(&sc); err != nil {
					return err
				}
				if off != (sc == "off") {
					return fmt.Errorf("postgres: synchronous_commit is %s with WREN_BENCH_DURABILITY=%s", sc, mode)
				}
			}
			if err := e.pool.QueryRow(ctx, "SHOW synchronous_commit").Scan(&settings); err != nil {
				return err
			}
			settings = "synchronous_commit=" + settings
		case "mysql":
			dsn := getenv("WREN_BENCH_MYSQL_DSN", "root@tcp(127.0.0.1:3306)/wren_bench?parseTime=true")
			if off {
				// The shared server's flushing is global: durability off
				// runs on a server of its own where one is given (run.sh
				// starts one with mariadb-nosync.sh).
				dsn = getenv("WREN_BENCH_MYSQL_OFF_DSN", dsn)
			}
			if e.wdb, err = wren.Open(ctx, "mysql", dsn); err != nil {
				return err
			}
			cfg, err := mysql.ParseDSN(dsn)
			if err != nil {
				return err
			}
			cfg.ParseTime = true
			cfg.InterpolateParams = true
			conn, err := mysql.NewConnector(cfg)
			if err != nil {
				return err
			}
			e.sqlDB = sql.OpenDB(conn)
			var flush, lockMode int64
			if err := e.sqlDB.QueryRowContext(ctx, "SELECT @@innodb_flush_log_at_trx_commit, @@innodb_autoinc_lock_mode").Scan(&flush, &lockMode); err != nil {
				return err
			}
			if lockMode > 1 {
				// The hand-written multi-row inserts take their keys from
				// the last-insert id, which needs consecutive keys.
				return fmt.Errorf("mysql: innodb_autoinc_lock_mode=%d: the hand-written bulk inserts need 0 or 1", lockMode)
			}
			if off && flush != 0 {
				settings = fmt.Sprintf("innodb_flush_log_at_trx_commit=%d (global: not changed by this switch; WREN_BENCH_MYSQL_OFF_DSN names a server without it)", flush)
			} else {
				settings = fmt.Sprintf("innodb_flush_log_at_trx_commit=%d (%s)", flush, cfg.Addr)
			}
		case "sqlite":
			dir, err := os.MkdirTemp("", "wren-bench")
			if err != nil {
				return err
			}
			e.tmp = dir
			dsn := filepath.Join(dir, "bench.db")
			if off {
				dsn += "?_pragma=synchronous(OFF)" // on every connection the pool opens
			}
			if e.wdb, err = wren.Open(ctx, "sqlite", dsn); err != nil {
				return err
			}
			e.sqlDB = e.wdb.SQLDB()
			var sync int
			var journal string
			if err := e.sqlDB.QueryRowContext(ctx, "PRAGMA synchronous").Scan(&sync); err != nil {
				return err
			}
			if err := e.sqlDB.QueryRowContext(ctx, "PRAGMA journal_mode").Scan(&journal); err != nil {
				return err
			}
			if off != (sync == 0) {
				return fmt.Errorf("sqlite: synchronous is %d with WREN_BENCH_DURABILITY=%s", sync, mode)
			}
			settings = fmt.Sprintf("synchronous=%d (0 OFF, 2 FULL), journal_mode=%s", sync, journal)
		default:
			return fmt.Errorf("unknown database %q", name)
		}
		if e.bunDB == nil {
			e.bunDB = e.sqlDB
		}
		e.sqlDB.SetMaxIdleConns(4)
		e.bunDB.SetMaxIdleConns(4)
		if err := e.wdb.Ping(ctx); err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
		fmt.Printf("# durability %s: %s %s\n", mode, name, settings)
		if err := wren.DropTablesIfExists(ctx, e.wdb, Models); err != nil {
			return err
		}
		if err := wren.CreateTables(ctx, e.wdb, Models); err != nil {
			return err
		}
		rows := make([]*Model, seedRows)
		for i := range rows {
			rows[i] = newModel(i)
		}
		if err := wren.Create(ctx, e.wdb, Models, rows...); err != nil {
			return err
		}
		// Statistics now, as an application's tables have them: without
		// them PostgreSQL plans the reads for a table of unknown size (a
		// sort of a sequential scan for 1,000 rows) until autovacuum's
		// ANALYZE runs, at a moment of its own, during some contenders'
		// turns and not others'.
		analyze := map[string]string{"postgres": "ANALYZE models", "mysql": "ANALYZE TABLE models", "sqlite": "ANALYZE models"}[name]
		rs, err := e.sqlDB.QueryContext(ctx, analyze)
		if err != nil {
			return fmt.Errorf("%s: %s: %w", name, analyze, err)
		}
		rs.Close()
		envs = append(envs, e)
	}
	return nil
}
