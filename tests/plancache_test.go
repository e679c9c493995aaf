package tests

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/matryer/is"

	"github.com/wrensql/wren"
)

// serverName is the name openTestDB knows db's server by.
func serverName(db *wren.DB) string {
	if db.Dialect().IsMySQLFamily() {
		return "mysql"
	}
	return db.Dialect().Name()
}

type person struct {
	Name  string
	Email string
	Age   *int64
}

// TestPlanCacheFollowsColumns: a cached scan plan is used only for a result
// with the column names it was built from. The same SELECT * on two
// databases whose tables order their columns differently, and after ALTER
// TABLE ADD COLUMN, fills the right fields.
func TestPlanCacheFollowsColumns(t *testing.T) {
	forEachDB(t, func(t *testing.T, db1 *wren.DB) {
		is := is.New(t)
		ctx := ctxT(t)
		db2 := openTestDB(t, serverName(db1))
		mustExec(t, db1, "CREATE TABLE person (name VARCHAR(50) NOT NULL, email VARCHAR(50) NOT NULL)")
		mustExec(t, db2, "CREATE TABLE person (email VARCHAR(50) NOT NULL, name VARCHAR(50) NOT NULL)")
		mustExec(t, db1, "INSERT INTO person (name, email) VALUES ('bob', 'bob@b')")
		mustExec(t, db2, "INSERT INTO person (name, email) VALUES ('bob', 'bob@b')")
		q := wren.RawStmt("SELECT * FROM person")
		for i := 0; i < 3; i++ { // alternate: both column lists stay cached
			for _, db := range []*wren.DB{db1, db2} {
				p, err := wren.One[person](ctx, db, q)
				is.NoErr(err)
				is.Equal(p.Name, "bob")
				is.Equal(p.Email, "bob@b")
				is.Equal(p.Age, nil)
			}
		}

		// A column added under a cached plan: the next call sees it.
		mustExec(t, db1, "ALTER TABLE person ADD COLUMN age INTEGER")
		mustExec(t, db1, "UPDATE person SET age = 40")
		p, err := wren.One[person](ctx, db1, q)
		if err != nil && strings.Contains(err.Error(), "0A000") {
			// PostgreSQL refuses once a prepared statement whose result
			// changed ("cached plan must not change result type"), and pgx
			// then drops it from its statement cache: that is pgx's cache,
			// not the scan plans, and the next call prepares afresh.
			p, err = wren.One[person](ctx, db1, q)
		}
		is.NoErr(err)
		is.Equal(p.Name, "bob")
		is.True(p.Age != nil && *p.Age == 40)
		// And on a newly opened handle on the same database.
		p, err = wren.One[person](ctx, db2, q)
		is.NoErr(err)
		is.Equal(p.Email, "bob@b")
	})
}

// TestPlanCacheAfterCancel: a query cancelled while it runs caches no plan,
// so the same statement succeeds afterwards. (pgx reports no columns for a
// cancelled query; a plan built from them used to be cached and broke
// every later call of the statement.)
func TestPlanCacheAfterCancel(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *wren.DB) {
		is := is.New(t)
		ctx := ctxT(t)
		seed(t, db)
		var slow string
		var long, short any
		switch serverName(db) {
		case "postgres":
			slow = "SELECT u.id, u.username FROM users u, (SELECT pg_sleep(?)) s ORDER BY u.id"
			long, short = 5.0, 0.0
		case "mysql":
			slow = "SELECT id, username FROM users WHERE SLEEP(?) = 0 ORDER BY id"
			long, short = 1, 0
		default:
			slow = "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < ?) " +
				"SELECT id, username FROM users WHERE (SELECT COUNT(*) FROM c) > 0 ORDER BY id"
			long, short = 1_000_000_000, 1
		}
		type idName struct {
			ID       int64
			Username string
		}
		for i := 0; i < 2; i++ {
			cctx, cancel := context.WithTimeout(ctx, 300*time.Millisecond)
			_, err := wren.All[idName](cctx, db, wren.RawStmt(slow, long))
			cancel()
			is.True(err != nil)
			is.True(errors.Is(err, context.DeadlineExceeded) || errors.Is(err, context.Canceled))

			got, err := wren.All[idName](ctx, db, wren.RawStmt(slow, short))
			is.NoErr(err)
			is.Equal(len(got), 2)
			is.Equal(got[1].Username, "mickey")
		}
	})
}
