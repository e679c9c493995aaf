package schema

import (
	"context"
	"fmt"
	"regexp"
	"strings"

	"github.com/wrensql/wren"
)

// sqliteReader reads SQLite's sqlite_schema and table pragmas for the main
// database.
type sqliteReader struct{}

var autoincrement = regexp.MustCompile(`(?i)\bAUTOINCREMENT\b`)

// whereClause finds the WHERE of a CREATE INDEX statement (outside quotes).
var whereClause = regexp.MustCompile(`(?is)\)\s*WHERE\s+(.*)$`)

func (sqliteReader) read(ctx context.Context, db wren.Querier, out *Database) ([]wren.TableSchema, error) {
	var set tableSet
	type tableRow struct{ Name, SQL string }
	tables, err := wren.All[tableRow](ctx, db, wren.RawStmt(`SELECT name, COALESCE(sql, '') AS sql FROM sqlite_master
WHERE type = 'table' AND name NOT LIKE 'sqlite\_%' ESCAPE '\' ORDER BY name`))
	if err != nil {
		return nil, fmt.Errorf("reading tables: %w", err)
	}
	for _, tr := range tables {
		t := set.get(tr.Name)
		auto := autoincrement.MatchString(tr.SQL)
		type colRow struct {
			Name, Type string
			NotNull    int64
			Dflt       *string
			PK         int64
			Hidden     int64
		}
		cols, err := wren.All[colRow](ctx, db, wren.RawStmt(`SELECT name, type, "notnull" AS not_null, dflt_value AS dflt, pk, hidden
FROM pragma_table_xinfo(?) ORDER BY cid`, tr.Name))
		if err != nil {
			return nil, fmt.Errorf("reading columns of %s: %w", tr.Name, err)
		}
		pk := map[int64]string{}
		for _, c := range cols {
			if c.Hidden != 0 {
				out.Skipped = append(out.Skipped, fmt.Sprintf("table %s: column %s is generated: wren declares it as a plain column", tr.Name, c.Name))
			}
			cs := wren.ColumnSchema{Name: c.Name, Type: c.Type, Nullable: c.NotNull == 0}
			if c.Dflt != nil {
				cs.Default, cs.HasDefault = *c.Dflt, true
			}
			if c.PK > 0 {
				pk[c.PK] = c.Name
			}
			t.Columns = append(t.Columns, cs)
		}
		for i := int64(1); i <= int64(len(pk)); i++ {
			t.PrimaryKey = append(t.PrimaryKey, pk[i])
		}
		// INTEGER PRIMARY KEY is the rowid: never NULL, and with
		// AUTOINCREMENT generated as wren's auto keys are.
		if len(t.PrimaryKey) == 1 {
			for i := range t.Columns {
				c := &t.Columns[i]
				if c.Name == t.PrimaryKey[0] && strings.EqualFold(c.Type, "INTEGER") {
					c.Nullable = false
					c.Auto = auto
				}
			}
		}
		type indexRow struct {
			Name    string
			Unique  int64
			Origin  string
			Partial int64
		}
		ixs, err := wren.All[indexRow](ctx, db, wren.RawStmt(`SELECT name, "unique" AS "unique", origin, partial FROM pragma_index_list(?) ORDER BY name`, tr.Name))
		if err != nil {
			return nil, fmt.Errorf("reading indexes of %s: %w", tr.Name, err)
		}
		for _, ix := range ixs {
			if ix.Origin == "pk" {
				continue
			}
			type infoRow struct {
				CID  int64
				Name *string
				Desc int64
			}
			info, err := wren.All[infoRow](ctx, db, wren.RawStmt(`SELECT cid, name, "desc" AS "desc" FROM pragma_index_xinfo(?) WHERE key ORDER BY seqno`, ix.Name))
			if err != nil {
				return nil, fmt.Errorf("reading index %s: %w", ix.Name, err)
			}
			is := wren.IndexSchema{Name: ix.Name, Unique: ix.Unique != 0, Constraint: ix.Origin == "u"}
			why := ""
			for _, c := range info {
				switch {
				case c.Name == nil:
					why = "is on an expression"
				case c.Desc != 0:
					why = "sorts a column descending"
				default:
					is.Columns = append(is.Columns, *c.Name)
				}
			}
			if why != "" {
				out.Skipped = append(out.Skipped, fmt.Sprintf("table %s: index %s %s, which wren cannot declare", tr.Name, ix.Name, why))
				continue
			}
			if ix.Partial != 0 {
				var sqlText []string
				sqlText, err = wren.All[string](ctx, db, wren.RawStmt(`SELECT sql FROM sqlite_master WHERE type = 'index' AND name = ?`, ix.Name))
				if err != nil {
					return nil, fmt.Errorf("reading index %s: %w", ix.Name, err)
				}
				if len(sqlText) == 1 {
					if m := whereClause.FindStringSubmatch(sqlText[0]); m != nil {
						is.Where = strings.TrimSpace(m[1])
					}
				}
			}
			t.Indexes = append(t.Indexes, is)
		}
		type fkRow struct {
			ID, Seq            int64
			Table, From        string
			To                 *string
			OnUpdate, OnDelete string
		}
		fks, err := wren.All[fkRow](ctx, db, wren.RawStmt(`SELECT id, seq, "table", "from", "to", on_update, on_delete FROM pragma_foreign_key_list(?) ORDER BY id, seq`, tr.Name))
		if err != nil {
			return nil, fmt.Errorf("reading foreign keys of %s: %w", tr.Name, err)
		}
		lastID := int64(-1)
		for _, fk := range fks {
			to := ""
			if fk.To != nil {
				to = *fk.To
			}
			if fk.ID == lastID {
				last := &t.ForeignKeys[len(t.ForeignKeys)-1]
				last.Columns = append(last.Columns, fk.From)
				last.RefColumns = append(last.RefColumns, to)
				continue
			}
			lastID = fk.ID
			t.ForeignKeys = append(t.ForeignKeys, wren.ForeignKeySchema{Columns: []string{fk.From}, RefTable: fk.Table,
				RefColumns: []string{to}, OnDelete: fkAction(fk.OnDelete), OnUpdate: fkAction(fk.OnUpdate)})
		}
	}
	// A foreign key without columns references the primary key.
	for _, t := range set.byName {
		for i := range t.ForeignKeys {
			fk := &t.ForeignKeys[i]
			if ref := set.byName[fk.RefTable]; ref != nil && len(fk.RefColumns) == len(ref.PrimaryKey) {
				for j, c := range fk.RefColumns {
					if c == "" {
						fk.RefColumns[j] = ref.PrimaryKey[j]
					}
				}
			}
		}
	}
	return set.list(), nil
}
