package tests

import (
	"database/sql"
	"fmt"
	"sync"
	"testing"

	"github.com/go-sql-driver/mysql"
	"github.com/matryer/is"

	"github.com/wrensql/wren"
)

// TestServerRefusesToPrepare runs on a private MariaDB whose server-wide
// max_prepared_stmt_count is 40 (.ci/mariadb-limited.sh, on port 3307):
// eight connections that each want more statements than that must still
// get every answer — the cache gives statements back and, when the server
// still refuses, the statement runs unprepared.
func TestServerRefusesToPrepare(t *testing.T) {
	t.Parallel()
	dsn := needServer(t, "WREN_MYSQL_LIMITED_DSN", "MariaDB with a low max_prepared_stmt_count (.ci/mariadb-limited.sh)")
	is := is.New(t)
	ctx := ctxT(t)
	admin, err := sql.Open("mysql", dsn)
	is.NoErr(err)
	defer admin.Close()
	name := randName()
	_, err = admin.ExecContext(ctx, "CREATE DATABASE "+name)
	is.NoErr(err)
	defer admin.Exec("DROP DATABASE " + name)
	cfg, err := mysql.ParseDSN(dsn)
	is.NoErr(err)
	cfg.DBName = name
	db, err := wren.Open(ctx, "mysql", cfg.FormatDSN())
	is.NoErr(err)
	defer db.Close()
	db.SetMaxOpenConns(8)
	for hname, h := range map[string]*wren.DB{"Open": db, "OpenDB": wren.OpenDB(db.SQLDB(), db.Dialect())} {
		t.Run(hname, func(t *testing.T) {
			var wg sync.WaitGroup
			errs := make(chan error, 8*60)
			for g := range 8 {
				wg.Add(1)
				go func() {
					defer wg.Done()
					for i := range 60 {
						got, err := wren.One[int64](ctx, h, wren.RawStmt(fmt.Sprintf("SELECT ? + %d", i), int64(g)))
						if err == nil && got != int64(g+i) {
							err = fmt.Errorf("SELECT %d + %d gave %d", g, i, got)
						}
						errs <- err
					}
				}()
			}
			wg.Wait()
			close(errs)
			failed := 0
			for err := range errs {
				if err != nil {
					failed++
					if failed < 4 {
						t.Log(err)
					}
				}
			}
			if failed > 0 {
				t.Fatalf("%d of %d statements failed", failed, 8*60)
			}
		})
	}
}
