package migrate

import (
	"fmt"
	"strings"

	"github.com/wrensql/wren/dialect"
	"github.com/wrensql/wren/schema"
)

// DiffOptions configure [Diff].
type DiffOptions struct {
	// Drop also drops what the database has and the declarations do not
	// (extra columns, indexes and foreign keys). Off by default: dropping
	// a column loses its data, and a database often holds more than one
	// program declares.
	Drop bool
}

// Diff turns differences (from schema.Verify) into the operations that
// make the database match the declarations. What it cannot fix — a
// changed primary key or auto-increment, the extras when opts.Drop is off
// — is returned in notes, one sentence each, so that nothing is skipped
// in silence. Print the operations (or their statements from Render) for
// review; Diff runs nothing.
func Diff(diffs []schema.Difference, opts DiffOptions) (ops []Op, notes []string) {
	note := func(df schema.Difference, why string) {
		notes = append(notes, df.String()+": "+why)
	}
	// Foreign keys are dropped first and added last, so that the columns
	// and indexes they use can change in between.
	var drops, adds []Op
	for _, df := range diffs {
		switch df.Kind {
		case schema.MissingTable:
			ops = append(ops, CreateTable{Table: df.Decl})
		case schema.MissingColumn:
			ops = append(ops, AddColumn{Table: df.Table, Column: *df.DeclColumn})
			if !df.DeclColumn.Nullable && !df.DeclColumn.HasDefault {
				note(df, "a NOT NULL column without a default can only be added to an empty table; give it a default or backfill it in steps")
			}
		case schema.ExtraColumn:
			if opts.Drop {
				ops = append(ops, DropColumn{Table: df.Table, Column: df.Column})
			} else {
				note(df, "not dropped (DiffOptions.Drop)")
			}
		case schema.ColumnType:
			ops = append(ops, AlterType{Table: df.Table, Column: df.Column, Type: df.DeclColumn.Type})
		case schema.ColumnNullability:
			ops = append(ops, SetNullable{Table: df.Table, Column: df.Column, Nullable: df.DeclColumn.Nullable})
			if !df.DeclColumn.Nullable {
				note(df, "fails while any row holds NULL: update those rows first")
			}
		case schema.ColumnDefault:
			ops = append(ops, SetDefault{Table: df.Table, Column: df.Column, Default: df.DeclColumn.Default, Drop: !df.DeclColumn.HasDefault})
		case schema.ColumnAuto, schema.PrimaryKey:
			note(df, "not migrated automatically: write this change by hand")
		case schema.MissingIndex:
			ops = append(ops, AddIndex{Table: df.Table, Index: *df.DeclIndex})
		case schema.ExtraIndex:
			if opts.Drop {
				ops = append(ops, DropIndex{Table: df.Table, Name: df.LiveIndex.Name})
			} else {
				note(df, "not dropped (DiffOptions.Drop)")
			}
		case schema.IndexDefinition:
			ops = append(ops, DropIndex{Table: df.Table, Name: df.LiveIndex.Name}, AddIndex{Table: df.Table, Index: *df.DeclIndex})
		case schema.MissingForeignKey:
			adds = append(adds, AddForeignKey{Table: df.Table, Key: *df.DeclFK})
		case schema.ExtraForeignKey:
			if opts.Drop {
				drops = append(drops, DropForeignKey{Table: df.Table, Key: *df.LiveFK})
			} else {
				note(df, "not dropped (DiffOptions.Drop)")
			}
		case schema.ForeignKeyChange:
			drops = append(drops, DropForeignKey{Table: df.Table, Key: *df.LiveFK})
			adds = append(adds, AddForeignKey{Table: df.Table, Key: *df.DeclFK})
		default:
			note(df, fmt.Sprintf("unknown kind %q", df.Kind))
		}
	}
	return append(append(drops, ops...), adds...), notes
}

// Script renders ops for review, as Run would execute them: each op as a
// comment, then its statements, then the notes (from Diff), as one SQL
// text. Ops that SQLite makes with one merged table rebuild share their
// statements.
func Script(d *dialect.Dialect, live *schema.Database, ops []Op, notes []string) (string, error) {
	p, err := newPlanner(d, live)
	if err != nil {
		return "", err
	}
	p.merge = true
	type segment struct {
		comments []string
		start    int
	}
	var segs []segment
	for _, op := range ops {
		start := len(p.out)
		if err := op.render(p); err != nil {
			return "", fmt.Errorf("migrate: %s on %s: %w", op, d, err)
		}
		seg := segment{comments: []string{op.String()}, start: start}
		// A merged rebuild replaced the statements of the ops before it.
		if r := p.lastRebuild; r != nil && r.end == len(p.out) && r.start < start {
			for len(segs) > 0 && segs[len(segs)-1].start >= r.start {
				last := segs[len(segs)-1]
				segs = segs[:len(segs)-1]
				seg = segment{comments: append(last.comments, seg.comments...), start: last.start}
			}
		}
		segs = append(segs, seg)
	}
	var b strings.Builder
	for i, seg := range segs {
		end := len(p.out)
		if i+1 < len(segs) {
			end = segs[i+1].start
		}
		for _, c := range seg.comments {
			fmt.Fprintf(&b, "-- %s\n", c)
		}
		for _, s := range p.out[seg.start:end] {
			fmt.Fprintf(&b, "%s;\n", s)
		}
	}
	for _, n := range notes {
		fmt.Fprintf(&b, "-- NOTE: %s\n", n)
	}
	return b.String(), nil
}
