package tests

import (
	"database/sql"
	"strings"
	"testing"

	"github.com/matryer/is"

	"github.com/wrensql/wren"
)

// Cents is a number type of its own, scanned like int64.
type Cents int64

// numberRow has int64 and float64 fields, of those types and of types
// defined on them, beside a sql.Scanner that keeps its own Scan.
type numberRow struct {
	I     int64
	F     float64
	C     Cents
	FromT int64   // from text
	FromD float64 // from DECIMAL / NUMERIC
	FromI float64 // from an integer
	N     int
	M     int32
	None  sql.NullInt64
}

// TestScanNumbers: int64 and float64 fields read the same values, whatever
// form the driver hands them in — on MySQL and SQLite through wren's own
// number scanner (database/sql would use reflection), on PostgreSQL through
// pgx — and a NULL for a plain number is an error naming the column.
func TestScanNumbers(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *wren.DB) {
		is := is.New(t)
		ctx := ctxT(t)
		text, dec, unsigned := "CAST('42' AS TEXT)", "CAST(2.25 AS NUMERIC(6,2))", "CAST(9 AS BIGINT)"
		switch db.Dialect().Name() {
		case "mysql", "mariadb":
			text, dec, unsigned = "CAST('42' AS CHAR)", "CAST(2.25 AS DECIMAL(6,2))", "CAST(9 AS UNSIGNED)"
		case "sqlite":
			dec = "2.25"
		}
		if db.Dialect().Name() == "postgres" {
			text = "CAST('42' AS BIGINT)" // pgx refuses text for an int64, as it should
		}
		q := "SELECT CAST(-7 AS BIGINT) AS i, 0.5 AS f, " + unsigned + " AS c, " + text + " AS from_t, " +
			dec + " AS from_d, CAST(3 AS BIGINT) AS from_i, NULL AS none, CAST(-1 AS BIGINT) AS n, CAST(2147483647 AS BIGINT) AS m"
		if db.Dialect().IsMySQLFamily() {
			q = strings.ReplaceAll(q, "AS BIGINT)", "AS SIGNED)")
		}
		if db.Dialect().Name() == "postgres" {
			q = strings.Replace(q, "0.5", "CAST(0.5 AS DOUBLE PRECISION)", 1)
			q = strings.Replace(q, "CAST(3 AS BIGINT) AS from_i", "CAST(3 AS DOUBLE PRECISION) AS from_i", 1)
			q = strings.Replace(q, "NULL AS none", "CAST(NULL AS BIGINT) AS none", 1)
		}
		for i := 0; i < 2; i++ { // the second through the cached plan and a reused row
			got, err := wren.All[numberRow](ctx, db, wren.RawStmt(q))
			is.NoErr(err)
			is.Equal(got, []numberRow{{I: -7, F: 0.5, C: 9, FromT: 42, FromD: 2.25, FromI: 3, N: -1, M: 2147483647}})
		}
		n, err := wren.One[int64](ctx, db, wren.RawStmt("SELECT -5 AS n"))
		is.NoErr(err)
		is.Equal(n, int64(-5))

		// NULL into a plain number: the error database/sql gives.
		type one struct{ N int64 }
		nullQ := "SELECT NULL AS n"
		if db.Dialect().Name() == "postgres" {
			nullQ = "SELECT CAST(NULL AS BIGINT) AS n"
		}
		_, err = wren.One[one](ctx, db, wren.RawStmt(nullQ))
		is.True(err != nil)
		is.True(strings.Contains(err.Error(), "NULL")) // names what was wrong
		is.True(strings.Contains(err.Error(), "n"))
		t.Log(err)

		// A number out of an int32's range is refused, not cut.
		type small struct{ M int32 }
		_, err = wren.One[small](ctx, db, wren.RawStmt("SELECT 2147483648 AS m"))
		is.True(err != nil)
		t.Log(err)

		// Text that is no number is refused, not read as zero.
		if db.Dialect().Name() != "postgres" {
			_, err = wren.One[one](ctx, db, wren.RawStmt("SELECT 'x1' AS n"))
			is.True(err != nil)
			t.Log(err)
		}
	})
}
