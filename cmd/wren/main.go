// Command wren works with a live database's schema for the wren library.
//
//	wren gen -dialect postgres -dsn postgres://… -out models/tables.go -package models
//
// gen reads the tables of the database's current schema (PostgreSQL's
// search_path, MySQL's database, SQLite's main database) and writes one
// gofmt'ed Go file with a wren descriptor, its variable and a row struct
// per table. Run it again after the schema changes: the same schema gives
// the same file, and the file is not rewritten when nothing changed.
// What the declarations cannot say is printed on stderr and written as a
// comment in the file.
//
// Flags of gen:
//
//	-dialect         postgres, mysql or sqlite (required)
//	-dsn             the data source name, as wren.Open takes it (required)
//	-out             the file to write; standard output when empty
//	-package         the package clause (default: the -out directory's name, or models)
//	-tables          comma-separated globs of tables to read (default: all)
//	-exclude         comma-separated globs of tables to leave out
//	-exclude-columns comma-separated table.column globs of columns to leave out
package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/wrensql/wren"
	"github.com/wrensql/wren/schema"
)

func main() {
	if err := run(os.Args[1:], os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "wren:", err)
		os.Exit(1)
	}
}

const usage = `usage: wren gen -dialect postgres|mysql|sqlite -dsn DSN [-out FILE] [-package NAME]
                [-tables GLOBS] [-exclude GLOBS] [-exclude-columns TABLE.COLUMN GLOBS]`

func run(args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 || args[0] != "gen" {
		return errors.New(usage)
	}
	fs := flag.NewFlagSet("wren gen", flag.ContinueOnError)
	fs.SetOutput(stderr)
	dialectName := fs.String("dialect", "", "postgres, mysql or sqlite")
	dsn := fs.String("dsn", "", "data source name")
	out := fs.String("out", "", "file to write (standard output when empty)")
	pkg := fs.String("package", "", "package name")
	tables := fs.String("tables", "", "comma-separated table globs to read")
	exclude := fs.String("exclude", "", "comma-separated table globs to leave out")
	excludeCols := fs.String("exclude-columns", "", "comma-separated table.column globs to leave out")
	timeout := fs.Duration("timeout", time.Minute, "how long reading the catalog may take")
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	switch *dialectName {
	case "postgres", "mysql", "sqlite":
	case "":
		return fmt.Errorf("gen: -dialect is required (postgres, mysql or sqlite)\n%s", usage)
	default:
		return fmt.Errorf("gen: unknown -dialect %q (want postgres, mysql or sqlite)", *dialectName)
	}
	if *dsn == "" {
		return fmt.Errorf("gen: -dsn is required\n%s", usage)
	}
	if *pkg == "" {
		*pkg = "models"
		if *out != "" {
			if abs, err := filepath.Abs(*out); err == nil {
				*pkg = strings.ReplaceAll(filepath.Base(filepath.Dir(abs)), "-", "_")
			}
		}
	}
	ctx, cancel := context.WithTimeout(context.Background(), *timeout)
	defer cancel()
	db, err := wren.Open(ctx, *dialectName, *dsn)
	if err != nil {
		return fmt.Errorf("gen: %w", err)
	}
	defer db.Close()
	f := schema.Filter{Tables: globs(*tables), ExcludeTables: globs(*exclude), ExcludeColumns: globs(*excludeCols)}
	live, err := schema.Inspect(ctx, db, f)
	if err != nil {
		return fmt.Errorf("gen: %w", err)
	}
	src, notes, err := schema.Generate(live, schema.GenOptions{Package: *pkg})
	if err != nil {
		return fmt.Errorf("gen: %w", err)
	}
	for _, n := range notes {
		fmt.Fprintln(stderr, "wren gen: note:", n)
	}
	if *out == "" {
		_, err = stdout.Write(src)
		return err
	}
	if old, err := os.ReadFile(*out); err == nil && bytes.Equal(old, src) {
		return nil // unchanged: leave the file (and its modification time) alone
	}
	return os.WriteFile(*out, src, 0o644)
}

func globs(s string) []string {
	var out []string
	for _, p := range strings.Split(s, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}
