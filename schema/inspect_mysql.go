package schema

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/wrensql/wren"
)

// myReader reads MySQL's and MariaDB's information_schema for DATABASE().
type myReader struct{}

const myTablesSQL = `SELECT TABLE_NAME AS table_name FROM information_schema.TABLES
WHERE TABLE_SCHEMA = DATABASE() AND TABLE_TYPE = 'BASE TABLE' ORDER BY TABLE_NAME`

const myColumnsSQL = `SELECT TABLE_NAME AS table_name, COLUMN_NAME AS column_name, COLUMN_TYPE AS data_type,
IS_NULLABLE AS nullable, COALESCE(COLUMN_DEFAULT, '') AS dflt, COLUMN_DEFAULT IS NOT NULL AS has_default,
EXTRA AS extra
FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() ORDER BY TABLE_NAME, ORDINAL_POSITION`

const myIndexesSQL = `SELECT TABLE_NAME AS table_name, INDEX_NAME AS index_name, NON_UNIQUE AS non_unique,
COALESCE(COLUMN_NAME, '') AS column_name, INDEX_TYPE AS index_type, SUB_PART IS NOT NULL AS prefix, COALESCE(COLLATION, 'A') AS collation
FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = DATABASE()
ORDER BY TABLE_NAME, INDEX_NAME, SEQ_IN_INDEX`

const myForeignKeysSQL = `SELECT k.CONSTRAINT_NAME AS name, k.TABLE_NAME AS table_name, k.COLUMN_NAME AS column_name,
k.REFERENCED_TABLE_NAME AS ref_table, k.REFERENCED_COLUMN_NAME AS ref_column,
r.DELETE_RULE AS on_delete, r.UPDATE_RULE AS on_update
FROM information_schema.KEY_COLUMN_USAGE k
JOIN information_schema.REFERENTIAL_CONSTRAINTS r
  ON r.CONSTRAINT_SCHEMA = k.CONSTRAINT_SCHEMA AND r.CONSTRAINT_NAME = k.CONSTRAINT_NAME AND r.TABLE_NAME = k.TABLE_NAME
WHERE k.TABLE_SCHEMA = DATABASE() AND k.REFERENCED_TABLE_NAME IS NOT NULL
ORDER BY k.TABLE_NAME, k.CONSTRAINT_NAME, k.ORDINAL_POSITION`

func (myReader) read(ctx context.Context, db wren.Querier, out *Database) ([]wren.TableSchema, error) {
	var set tableSet
	type tableRow struct{ TableName string }
	tables, err := wren.All[tableRow](ctx, db, wren.RawStmt(myTablesSQL))
	if err != nil {
		return nil, fmt.Errorf("reading tables: %w", err)
	}
	for _, t := range tables {
		set.get(t.TableName)
	}
	type colRow struct {
		TableName, ColumnName, DataType, Nullable, Dflt string
		HasDefault                                      int64
		Extra                                           string
	}
	cols, err := wren.All[colRow](ctx, db, wren.RawStmt(myColumnsSQL))
	if err != nil {
		return nil, fmt.Errorf("reading columns: %w", err)
	}
	for _, c := range cols {
		if set.byName[c.TableName] == nil {
			continue // a view's columns
		}
		t := set.get(c.TableName)
		extra := strings.ToLower(c.Extra)
		cs := wren.ColumnSchema{Name: c.ColumnName, Type: c.DataType, Nullable: c.Nullable == "YES",
			Auto: strings.Contains(extra, "auto_increment")}
		// MariaDB reports "NULL" for a nullable column without a default.
		if c.HasDefault != 0 && c.Dflt != "NULL" {
			cs.Default, cs.HasDefault = c.Dflt, true
		}
		if strings.Contains(extra, "generated") && !strings.Contains(extra, "default_generated") {
			out.Skipped = append(out.Skipped, fmt.Sprintf("table %s: column %s is generated: wren declares it as a plain column", c.TableName, c.ColumnName))
		}
		t.Columns = append(t.Columns, cs)
	}
	type indexRow struct {
		TableName, IndexName string
		NonUnique            int64
		ColumnName           string
		IndexType            string
		Prefix               int64
		Collation            string
	}
	ixs, err := wren.All[indexRow](ctx, db, wren.RawStmt(myIndexesSQL))
	if err != nil {
		return nil, fmt.Errorf("reading indexes: %w", err)
	}
	skip := map[[2]string]bool{}
	for _, ix := range ixs {
		t := set.get(ix.TableName)
		key := [2]string{ix.TableName, ix.IndexName}
		switch {
		case skip[key]:
			continue
		case ix.ColumnName == "" || ix.IndexType != "BTREE" || ix.Prefix != 0 || ix.Collation == "D":
			skip[key] = true
			why := "is on an expression"
			switch {
			case ix.IndexType != "BTREE":
				why = "is of type " + ix.IndexType
			case ix.Prefix != 0:
				why = "is on a column prefix"
			case ix.Collation == "D":
				why = "sorts a column descending"
			}
			out.Skipped = append(out.Skipped, fmt.Sprintf("table %s: index %s %s, which wren cannot declare", ix.TableName, ix.IndexName, why))
			removeIndex(t, ix.IndexName)
			continue
		case ix.IndexName == "PRIMARY":
			t.PrimaryKey = append(t.PrimaryKey, ix.ColumnName)
			continue
		}
		if n := len(t.Indexes); n > 0 && t.Indexes[n-1].Name == ix.IndexName {
			t.Indexes[n-1].Columns = append(t.Indexes[n-1].Columns, ix.ColumnName)
			continue
		}
		t.Indexes = append(t.Indexes, wren.IndexSchema{Name: ix.IndexName, Columns: []string{ix.ColumnName}, Unique: ix.NonUnique == 0})
	}
	type fkRow struct {
		Name, TableName, ColumnName, RefTable, RefColumn, OnDelete, OnUpdate string
	}
	fks, err := wren.All[fkRow](ctx, db, wren.RawStmt(myForeignKeysSQL))
	if err != nil {
		return nil, fmt.Errorf("reading foreign keys: %w", err)
	}
	for _, fk := range fks {
		t := set.get(fk.TableName)
		if n := len(t.ForeignKeys); n > 0 && t.ForeignKeys[n-1].Name == fk.Name {
			last := &t.ForeignKeys[n-1]
			last.Columns = append(last.Columns, fk.ColumnName)
			last.RefColumns = append(last.RefColumns, fk.RefColumn)
			continue
		}
		t.ForeignKeys = append(t.ForeignKeys, wren.ForeignKeySchema{Name: fk.Name, Columns: []string{fk.ColumnName},
			RefTable: fk.RefTable, RefColumns: []string{fk.RefColumn}, OnDelete: myAction(fk.OnDelete), OnUpdate: myAction(fk.OnUpdate)})
	}
	out2 := set.list()
	for i := range out2 {
		myIndexKinds(&out2[i])
	}
	return out2, nil
}

// myAction: InnoDB treats RESTRICT and NO ACTION alike, and reports
// RESTRICT for a key declared without an action.
func myAction(a string) string {
	a = fkAction(a)
	if a == "RESTRICT" {
		return ""
	}
	return a
}

// myIndexKinds settles what MySQL does not record: a unique index named
// like its first column is taken for a UNIQUE constraint of CREATE TABLE,
// and the index InnoDB adds for a foreign key without one (named like the
// key's first column or the constraint) is left out.
func myIndexKinds(t *wren.TableSchema) {
	var keep []wren.IndexSchema
	for _, ix := range t.Indexes {
		if ix.Unique && ix.Name == ix.Columns[0] {
			ix.Constraint = true
		}
		implicit := false
		for _, fk := range t.ForeignKeys {
			if !ix.Unique && slices.Equal(ix.Columns, fk.Columns) && (ix.Name == fk.Name || ix.Name == fk.Columns[0]) {
				implicit = true
			}
		}
		if !implicit {
			keep = append(keep, ix)
		}
	}
	t.Indexes = keep
}

func removeIndex(t *wren.TableSchema, name string) {
	for i, ix := range t.Indexes {
		if ix.Name == name {
			t.Indexes = append(t.Indexes[:i], t.Indexes[i+1:]...)
			return
		}
	}
}
