package migrate

import (
	"fmt"
	"slices"
	"strings"

	"github.com/wrensql/wren"
)

// rebuildTable renders SQLite's procedure for a change ALTER TABLE cannot
// make (https://www.sqlite.org/lang_altertable.html#otheralter): create
// the table as it should be under a temporary name, copy the columns both
// have, drop the old table, rename the new one, and create its indexes
// again. rename maps new column names to old ones for the copy (nil: the
// same names). Run executes it with foreign key enforcement off and checks
// the keys (PRAGMA foreign_key_check) before it commits.
//
// Consecutive rebuilds of one table, with nothing rendered in between,
// become one: the rows are copied once.
func (p *planner) rebuildTable(old, next *wren.TableSchema, rename map[string]string) error {
	if r := p.lastRebuild; p.merge && r != nil && r.table == old.Name && r.end == len(p.out) && rename == nil {
		p.out = p.out[:r.start]
		from := r.before
		p.lastRebuild = nil
		if err := p.rebuildTable(&from, next, nil); err != nil {
			return err
		}
		p.lastRebuild.before = r.before
		*old = *next
		return nil
	}
	start := len(p.out)
	before := cloneTable(*old)
	tmp := "wren_new_" + next.Name
	if p.tables[tmp] != nil {
		return fmt.Errorf("table %s, which the rebuild of %s needs, exists", tmp, next.Name)
	}
	var defs []string
	for _, c := range next.Columns {
		defs = append(defs, p.colDef(c))
	}
	inlinePK := slices.ContainsFunc(next.Columns, func(c wren.ColumnSchema) bool { return c.Auto })
	if len(next.PrimaryKey) > 0 && !inlinePK {
		defs = append(defs, "PRIMARY KEY ("+p.ids(next.PrimaryKey)+")")
	}
	for _, ix := range next.Indexes {
		if ix.Constraint {
			defs = append(defs, "UNIQUE ("+p.ids(ix.Columns)+")")
		}
	}
	for _, fk := range next.ForeignKeys {
		defs = append(defs, fkClause(p, fk))
	}
	p.emit("CREATE TABLE %s (%s)", p.id(tmp), strings.Join(defs, ", "))
	var to, from []string
	for _, c := range next.Columns {
		src := c.Name
		if rename[c.Name] != "" {
			src = rename[c.Name]
		}
		if _, err := p.column(old, src); err == nil {
			to = append(to, p.id(c.Name))
			from = append(from, p.id(src))
		}
	}
	if len(to) > 0 {
		p.emit("INSERT INTO %s (%s) SELECT %s FROM %s", p.id(tmp), strings.Join(to, ", "), strings.Join(from, ", "), p.id(old.Name))
	}
	p.emit("DROP TABLE %s", p.id(old.Name))
	p.emit("ALTER TABLE %s RENAME TO %s", p.id(tmp), p.id(next.Name))
	for _, ix := range next.Indexes {
		if !ix.Constraint {
			if err := p.createIndex(next, ix); err != nil {
				return err
			}
		}
	}
	p.lastRebuild = &rebuilt{table: next.Name, start: start, end: len(p.out), before: before}
	*old = *next
	return nil
}

// rebuilt is the last table rebuild rendered: its statements are
// p.out[start:end], and before is the table as it was.
type rebuilt struct {
	table      string
	start, end int
	before     wren.TableSchema
}
