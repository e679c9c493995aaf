package schema

import (
	"context"
	"fmt"
	"strings"

	"github.com/wrensql/wren"
)

// pgReader reads PostgreSQL's catalog for current_schema().
type pgReader struct{}

const pgTablesSQL = `SELECT c.relname::text AS table_name FROM pg_class c
JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p') ORDER BY c.relname`

const pgColumnsSQL = `SELECT c.relname::text AS table_name, a.attname::text AS column_name,
format_type(a.atttypid, a.atttypmod) AS data_type, a.attnotnull AS not_null,
COALESCE(pg_get_expr(d.adbin, d.adrelid), '') AS dflt, d.adbin IS NOT NULL AS has_default,
a.attidentity::text <> '' AS ident, a.attgenerated::text <> '' AS generated
FROM pg_class c
JOIN pg_namespace n ON n.oid = c.relnamespace
JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
LEFT JOIN pg_attrdef d ON d.adrelid = c.oid AND d.adnum = a.attnum
WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p')
ORDER BY c.relname, a.attnum`

const pgIndexesSQL = `SELECT t.relname::text AS table_name, i.relname::text AS index_name,
ix.indisunique AS is_unique, ix.indisprimary AS is_primary,
COALESCE(pg_get_expr(ix.indpred, ix.indrelid), '') AS pred,
EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = ix.indexrelid AND k.contype = 'u') AS is_constraint,
0 = ANY (ix.indkey::int2[]) AS has_expr,
EXISTS (SELECT 1 FROM unnest(ix.indoption::int2[]) o WHERE o <> 0) AS has_options,
COALESCE(array_to_string(ARRAY(SELECT a.attname::text FROM unnest(ix.indkey::int2[]) WITH ORDINALITY u(k, o)
  JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = u.k ORDER BY u.o), chr(31)), '') AS cols,
am.amname::text AS method
FROM pg_index ix
JOIN pg_class t ON t.oid = ix.indrelid
JOIN pg_class i ON i.oid = ix.indexrelid
JOIN pg_am am ON am.oid = i.relam
JOIN pg_namespace n ON n.oid = t.relnamespace
WHERE n.nspname = current_schema()
ORDER BY t.relname, i.relname`

const pgForeignKeysSQL = `SELECT c.conname::text AS name, t.relname::text AS table_name, rt.relname::text AS ref_table,
array_to_string(ARRAY(SELECT a.attname::text FROM unnest(c.conkey) WITH ORDINALITY u(k, o)
  JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = u.k ORDER BY u.o), chr(31)) AS cols,
array_to_string(ARRAY(SELECT a.attname::text FROM unnest(c.confkey) WITH ORDINALITY u(k, o)
  JOIN pg_attribute a ON a.attrelid = c.confrelid AND a.attnum = u.k ORDER BY u.o), chr(31)) AS ref_cols,
c.confdeltype::text AS on_delete, c.confupdtype::text AS on_update
FROM pg_constraint c
JOIN pg_class t ON t.oid = c.conrelid
JOIN pg_class rt ON rt.oid = c.confrelid
JOIN pg_namespace n ON n.oid = t.relnamespace
WHERE c.contype = 'f' AND n.nspname = current_schema()
ORDER BY t.relname, c.conname`

var pgActions = map[string]string{"a": "", "r": "RESTRICT", "c": "CASCADE", "n": "SET NULL", "d": "SET DEFAULT"}

func (pgReader) read(ctx context.Context, db wren.Querier, out *Database) ([]wren.TableSchema, error) {
	var set tableSet
	type tableRow struct{ TableName string }
	tables, err := wren.All[tableRow](ctx, db, wren.RawStmt(pgTablesSQL))
	if err != nil {
		return nil, fmt.Errorf("reading tables: %w", err)
	}
	for _, t := range tables {
		set.get(t.TableName)
	}
	type colRow struct {
		TableName, ColumnName, DataType string
		NotNull                         bool
		Dflt                            string
		HasDefault, Ident, Generated    bool
	}
	cols, err := wren.All[colRow](ctx, db, wren.RawStmt(pgColumnsSQL))
	if err != nil {
		return nil, fmt.Errorf("reading columns: %w", err)
	}
	for _, c := range cols {
		t := set.get(c.TableName)
		cs := wren.ColumnSchema{Name: c.ColumnName, Type: c.DataType, Nullable: !c.NotNull, Auto: c.Ident}
		switch {
		case c.Generated:
			out.Skipped = append(out.Skipped, fmt.Sprintf("table %s: column %s is generated (%s): wren declares it as a plain column", c.TableName, c.ColumnName, c.Dflt))
		case c.HasDefault && strings.HasPrefix(c.Dflt, "nextval("):
			cs.Auto = true // serial
		case c.HasDefault:
			cs.Default, cs.HasDefault = pgDefault(c.Dflt), true
		}
		t.Columns = append(t.Columns, cs)
	}
	type indexRow struct {
		TableName, IndexName              string
		IsUnique, IsPrimary               bool
		Pred                              string
		IsConstraint, HasExpr, HasOptions bool
		Cols, Method                      string
	}
	ixs, err := wren.All[indexRow](ctx, db, wren.RawStmt(pgIndexesSQL))
	if err != nil {
		return nil, fmt.Errorf("reading indexes: %w", err)
	}
	for _, ix := range ixs {
		t := set.get(ix.TableName)
		switch {
		case ix.IsPrimary:
			t.PrimaryKey = splitNames(ix.Cols)
			continue
		case ix.HasExpr:
			out.Skipped = append(out.Skipped, fmt.Sprintf("table %s: index %s is on an expression, which wren cannot declare", ix.TableName, ix.IndexName))
			continue
		case ix.HasOptions:
			out.Skipped = append(out.Skipped, fmt.Sprintf("table %s: index %s sorts a column descending or with NULLS FIRST, which wren cannot declare", ix.TableName, ix.IndexName))
			continue
		case ix.Method != "btree":
			out.Skipped = append(out.Skipped, fmt.Sprintf("table %s: index %s uses %s, which wren cannot declare (only btree)", ix.TableName, ix.IndexName, ix.Method))
			continue
		}
		t.Indexes = append(t.Indexes, wren.IndexSchema{Name: ix.IndexName, Columns: splitNames(ix.Cols),
			Unique: ix.IsUnique, Constraint: ix.IsConstraint, Where: stripParens(ix.Pred)})
	}
	type fkRow struct {
		Name, TableName, RefTable, Cols, RefCols, OnDelete, OnUpdate string
	}
	fks, err := wren.All[fkRow](ctx, db, wren.RawStmt(pgForeignKeysSQL))
	if err != nil {
		return nil, fmt.Errorf("reading foreign keys: %w", err)
	}
	for _, fk := range fks {
		t := set.get(fk.TableName)
		t.ForeignKeys = append(t.ForeignKeys, wren.ForeignKeySchema{Name: fk.Name, Columns: splitNames(fk.Cols),
			RefTable: fk.RefTable, RefColumns: splitNames(fk.RefCols), OnDelete: pgActions[fk.OnDelete], OnUpdate: pgActions[fk.OnUpdate]})
	}
	return set.list(), nil
}

// pgDefault is a default as pg_get_expr writes it, without the casts
// PostgreSQL adds to literals ('x'::text, '0'::numeric).
func pgDefault(s string) string {
	if strings.HasPrefix(s, "'") {
		if end := strings.LastIndex(s, "'::"); end > 0 && !strings.ContainsAny(s[end+3:], "'()") {
			return s[:end+1]
		}
	}
	return s
}

// stripParens removes parentheses around the whole of s.
func stripParens(s string) string {
	for len(s) >= 2 && s[0] == '(' && s[len(s)-1] == ')' && balanced(s[1:len(s)-1]) {
		s = s[1 : len(s)-1]
	}
	return s
}

// balanced reports whether s's parentheses (outside quotes) match.
func balanced(s string) bool {
	depth := 0
	quote := byte(0)
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case quote != 0:
			if c == quote {
				quote = 0
			}
		case c == '\'' || c == '"':
			quote = c
		case c == '(':
			depth++
		case c == ')':
			depth--
			if depth < 0 {
				return false
			}
		}
	}
	return depth == 0
}
