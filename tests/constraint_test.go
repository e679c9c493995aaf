package tests

import (
	"database/sql"
	"errors"
	"strings"
	"testing"

	"github.com/go-sql-driver/mysql"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/matryer/is"
	"modernc.org/sqlite"

	"github.com/wrensql/wren"
	"github.com/wrensql/wren/dialect"
)

// constraintSchema makes a parent table with a unique, a NOT NULL and a
// CHECK constraint, and a child table with a foreign key to it; the same
// text runs on all three databases.
func constraintSchema(t *testing.T, db *wren.DB) {
	mustExec(t, db, `CREATE TABLE cparent (id INTEGER PRIMARY KEY, name VARCHAR(50) NOT NULL, qty INTEGER,
		CONSTRAINT cparent_name_key UNIQUE (name), CONSTRAINT cparent_qty_pos CHECK (qty > 0))`)
	mustExec(t, db, `CREATE TABLE cchild (id INTEGER PRIMARY KEY, parent_id INTEGER NOT NULL,
		CONSTRAINT cchild_parent_fk FOREIGN KEY (parent_id) REFERENCES cparent (id))`)
	mustExec(t, db, `INSERT INTO cparent (id, name, qty) VALUES (1, 'huey', 1)`)
	mustExec(t, db, `INSERT INTO cchild (id, parent_id) VALUES (1, 1)`)
}

func TestConstraintErrors(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *wren.DB) {
		is := is.New(t)
		ctx := ctxT(t)
		constraintSchema(t, db)
		d := db.Dialect()
		pg, my, lite := d == dialect.Postgres, d == dialect.MySQL || d == dialect.MariaDB, d == dialect.SQLite
		cases := []struct {
			name                      string
			sql                       string
			kind                      error
			constraint, table, column string
		}{
			{"unique", `INSERT INTO cparent (id, name, qty) VALUES (2, 'huey', 1)`, wren.ErrUniqueViolation,
				pick(pg || my, "cparent_name_key"), pick(pg || lite, "cparent"), pick(pg || lite, "name")},
			{"primary key", `INSERT INTO cparent (id, name, qty) VALUES (1, 'mickey', 1)`, wren.ErrUniqueViolation,
				pick(pg, "cparent_pkey") + pick(my, "PRIMARY"), pick(pg || lite, "cparent"), pick(pg || lite, "id")},
			{"not null", `INSERT INTO cparent (id, name, qty) VALUES (2, NULL, 1)`, wren.ErrNotNullViolation,
				"", pick(pg || lite, "cparent"), "name"},
			{"check", `INSERT INTO cparent (id, name, qty) VALUES (2, 'zaizee', 0)`, wren.ErrCheckViolation,
				"cparent_qty_pos", pick(pg || d == dialect.MariaDB, "cparent"), ""},
			{"foreign key, child", `INSERT INTO cchild (id, parent_id) VALUES (2, 99)`, wren.ErrForeignKeyViolation,
				pick(pg || my, "cchild_parent_fk"), pick(pg || my, "cchild"), pick(pg || my, "parent_id")},
			{"foreign key, parent", `DELETE FROM cparent WHERE id = 1`, wren.ErrForeignKeyViolation,
				pick(pg || my, "cchild_parent_fk"), pick(pg || my, "cchild"), pick(my, "parent_id")},
		}
		kinds := []error{wren.ErrUniqueViolation, wren.ErrForeignKeyViolation, wren.ErrNotNullViolation, wren.ErrCheckViolation}
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				is := is.New(t)
				_, err := wren.Exec(ctx, db, wren.RawStmt(c.sql))
				is.True(err != nil)
				for _, k := range kinds {
					is.Equal(errors.Is(err, k), k == c.kind) // exactly one kind matches
				}
				var ce *wren.ConstraintError
				is.True(errors.As(err, &ce))
				is.Equal(ce.Constraint, c.constraint)
				is.Equal(ce.Table, c.table)
				is.Equal(ce.Column, c.column)
				var qe *wren.QueryError
				is.True(errors.As(err, &qe))
				is.Equal(qe.Op, "exec")
				is.Equal(qe.SQL, c.sql)
				is.Equal(qe.Dialect, d)
				is.True(strings.Contains(err.Error(), "wren: exec on "))
				// The driver's error stays reachable.
				var pe *pgconn.PgError
				var me *mysql.MySQLError
				var se *sqlite.Error
				is.Equal(errors.As(err, &pe), pg)
				is.Equal(errors.As(err, &me), my)
				is.Equal(errors.As(err, &se), lite)
			})
		}
		// Any other error is not a constraint error.
		_, err := wren.Exec(ctx, db, wren.RawStmt(`INSERT INTO no_such_table (id) VALUES (1)`))
		var ce *wren.ConstraintError
		is.True(err != nil && !errors.As(err, &ce))
		var qe *wren.QueryError
		is.True(errors.As(err, &qe))
		is.True(!errors.Is(err, sql.ErrNoRows))
	})
}

// pick returns s when cond holds, else "".
func pick(cond bool, s string) string {
	if cond {
		return s
	}
	return ""
}
