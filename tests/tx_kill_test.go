package tests

import (
	"testing"
	"time"

	"github.com/matryer/is"

	"github.com/wrensql/wren"
	"github.com/wrensql/wren/dialect"
)

// TestBackendKilledFromAnotherConnection ends a transaction's server session
// from a second connection, as an administrator or a failover would: the
// transaction's next statement and its Commit fail, nothing it wrote is kept,
// committed rows survive, and the pool hands out working connections again.
func TestBackendKilledFromAnotherConnection(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *wren.DB) {
		is := is.New(t)
		ctx := ctxT(t)
		var idQuery, killQuery string
		switch {
		case db.Dialect() == dialect.Postgres:
			idQuery, killQuery = "SELECT pg_backend_pid()", "SELECT pg_terminate_backend(?)"
		case db.Dialect().IsMySQLFamily():
			idQuery, killQuery = "SELECT CONNECTION_ID()", "KILL CONNECTION ?"
		default:
			t.Skip("SQLite is embedded: there is no server session to end")
		}
		schemaOnly(t, db)
		is.NoErr(addUser(ctx, db, "committed"))

		tx, err := db.Begin(ctx)
		is.NoErr(err)
		defer tx.Rollback(ctx)
		is.NoErr(addUser(ctx, tx, "lost"))
		id, err := wren.One[int64](ctx, tx, wren.RawStmt(idQuery))
		is.NoErr(err)
		_, err = wren.Exec(ctx, db, wren.RawStmt(killQuery, id)) // from another pooled connection
		is.NoErr(err)
		time.Sleep(100 * time.Millisecond) // let the server finish closing the session
		err = addUser(ctx, tx, "after")
		if err == nil {
			err = tx.Commit(ctx)
		}
		is.True(err != nil) // the broken transaction reports it

		names, err := wren.All[string](ctx, db, wren.Select(U.Username).From(U))
		is.NoErr(err)
		is.Equal(names, []string{"committed"})
		is.NoErr(addUser(ctx, db, "later")) // the pool still works
		is.Equal(countUsers(t, db), int64(2))
	})
}
