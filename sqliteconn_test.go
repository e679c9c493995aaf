package wren

import (
	"context"
	"database/sql/driver"
	"io"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/matryer/is"
)

// TestSQLiteEvictsBusyStatementAfterItsRows: a kept statement evicted while
// its rows are open is closed when they close, not before (closing it
// would finalize the statement under them).
func TestSQLiteEvictsBusyStatementAfterItsRows(t *testing.T) {
	is := is.New(t)
	ctx := context.Background()
	db, err := Open(ctx, "sqlite", filepath.Join(t.TempDir(), "evict.db"))
	is.NoErr(err)
	defer db.Close()
	c, err := db.SQLDB().Conn(ctx)
	is.NoErr(err)
	defer c.Close()
	is.NoErr(c.Raw(func(dc any) error {
		w := dc.(*sqliteConn)
		text := "WITH RECURSIVE c(x) AS (SELECT ? UNION ALL SELECT x + 1 FROM c WHERE x < 3) SELECT x FROM c"
		rs, err := w.QueryContext(ctx, text, []driver.NamedValue{{Ordinal: 1, Value: int64(1)}})
		is.NoErr(err)
		cs := w.stmts.get(text)
		is.True(cs != nil && cs.busy)
		w.stmts.evict(w.stmts.len()) // as 256 newer texts would
		is.True(cs.evicted)
		is.True(sqliteStmtText(cs.st) != 0) // not closed under its rows
		is.Equal(w.stmts.get(text), nil)
		v := make([]driver.Value, 1)
		var got []int64
		for {
			if err := rs.Next(v); err != nil {
				is.Equal(err, io.EOF)
				break
			}
			got = append(got, v[0].(int64))
		}
		is.Equal(got, []int64{1, 2, 3}) // read to the end after the eviction
		is.NoErr(rs.Close())
		is.True(!cs.busy)
		is.Equal(sqliteStmtText(cs.st), uint64(0)) // closed with its rows
		// The text is prepared and kept anew.
		rs, err = w.QueryContext(ctx, text, []driver.NamedValue{{Ordinal: 1, Value: int64(2)}})
		is.NoErr(err)
		is.NoErr(rs.Next(v))
		is.Equal(v[0], int64(2))
		is.NoErr(rs.Close())
		is.True(w.stmts.get(text) != nil && w.stmts.get(text) != cs)
		return nil
	}))
}

// sqliteStmtText reads modernc.org/sqlite's pointer to a statement's text,
// which its Close sets to 0 (the driver's statement has no other sign of
// being closed, and panics when run closed).
func sqliteStmtText(st driver.Stmt) uint64 {
	return reflect.ValueOf(st).Elem().FieldByName("psql").Uint()
}

// TestSQLiteKeeps: which statements a SQLite connection keeps prepared.
func TestSQLiteKeeps(t *testing.T) {
	is := is.New(t)
	arg := []driver.NamedValue{{Ordinal: 1, Value: int64(1)}}
	for text, want := range map[string]bool{
		`SELECT "id" FROM "t" ORDER BY "id" LIMIT 20`: true,
		"  select 1":                                  true,
		"(SELECT 1) UNION (SELECT 2)":                 true,
		`WITH c AS (SELECT 1) SELECT * FROM c`:        true,
		`INSERT INTO "t" DEFAULT VALUES`:              true,
		`UPDATE "t" SET "n" = "n" + 1`:                true,
		`DELETE FROM "t"`:                             true,
		"BEGIN IMMEDIATE":                             false,
		"SAVEPOINT sp1":                               false,
		`CREATE TABLE "t" ("id" INTEGER PRIMARY KEY)`: false,
		"PRAGMA foreign_keys":                         false,
		"SEL":                                         false,
	} {
		is.Equal(keeps(text, nil), want) // text
		is.True(keeps(text, arg))        // with arguments, always
	}
}

// TestSQLiteKeptRowsDescribeColumns: the rows of a kept statement pass the
// driver's column description on to sql.Rows.ColumnTypes.
func TestSQLiteKeptRowsDescribeColumns(t *testing.T) {
	is := is.New(t)
	ctx := context.Background()
	db, err := Open(ctx, "sqlite", filepath.Join(t.TempDir(), "types.db"))
	is.NoErr(err)
	defer db.Close()
	_, err = db.SQLDB().ExecContext(ctx, `CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT NOT NULL)`)
	is.NoErr(err)
	rs, err := db.SQLDB().QueryContext(ctx, `SELECT id, name FROM t WHERE id > ?`, 0)
	is.NoErr(err)
	defer rs.Close()
	types, err := rs.ColumnTypes()
	is.NoErr(err)
	is.Equal(types[0].DatabaseTypeName(), "INTEGER")
	is.Equal(types[1].DatabaseTypeName(), "TEXT")
	nullable, ok := types[1].Nullable()
	is.True(ok && nullable) // the driver's answer for every column; rows that hid it would give ok false
}
