package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/wrensql/wren"
)

// TestGenSQLite runs `wren gen` on a SQLite file: the file it writes
// declares the table, a second run leaves it untouched, and bad flags fail
// with a message naming the flag.
func TestGenSQLite(t *testing.T) {
	dir := t.TempDir()
	dbPath := filepath.Join(dir, "app.db")
	ctx := context.Background()
	db, err := wren.Open(ctx, "sqlite", dbPath)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{
		`CREATE TABLE users (id INTEGER PRIMARY KEY AUTOINCREMENT, user_name VARCHAR(40) NOT NULL, email TEXT UNIQUE, created_at DATETIME NOT NULL, meta JSON)`,
		`CREATE INDEX users_created ON users (created_at) WHERE email IS NOT NULL`,
		`CREATE TABLE audit (id INTEGER PRIMARY KEY, secret TEXT)`,
	} {
		if _, err := wren.Exec(ctx, db, wren.RawStmt(s)); err != nil {
			t.Fatal(err)
		}
	}
	db.Close()

	out := filepath.Join(dir, "models", "tables.go")
	if err := os.MkdirAll(filepath.Dir(out), 0o755); err != nil {
		t.Fatal(err)
	}
	var stdout, stderr bytes.Buffer
	args := []string{"gen", "-dialect", "sqlite", "-dsn", dbPath, "-out", out, "-exclude", "aud*"}
	if err := run(args, &stdout, &stderr); err != nil {
		t.Fatal(err)
	}
	src, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"package models",
		"type UsersTable struct",
		"UserName  wren.Column[string]     `wren:\",size=40\"`",
		"Email     wren.Column[*string]    `wren:\",unique\"`",
		"CreatedAt wren.Column[time.Time]",
		"// column meta: type JSON has no Go type in docs/types.md",
		"Meta      wren.Column[*string]    `wren:\",type=JSON\"`",
		`wren.Index("users_created", "created_at").Where("email IS NOT NULL")`,
		"type UsersRow struct",
	} {
		if !strings.Contains(squash(string(src)), squash(want)) {
			t.Errorf("generated file lacks %q:\n%s", want, src)
		}
	}
	if strings.Contains(string(src), "Audit") {
		t.Errorf("-exclude aud* did not leave out table audit:\n%s", src)
	}
	if !strings.Contains(stderr.String(), "note: table users: column meta: type JSON") {
		t.Errorf("stderr lacks the note on meta: %q", stderr.String())
	}
	st, _ := os.Stat(out)
	if err := run(args, &stdout, &stderr); err != nil {
		t.Fatal(err)
	}
	st2, _ := os.Stat(out)
	if !st2.ModTime().Equal(st.ModTime()) {
		t.Error("an unchanged schema rewrote the file")
	}

	// -exclude-columns leaves the column out, and says what used it.
	stdout.Reset()
	stderr.Reset()
	if err := run([]string{"gen", "-dialect", "sqlite", "-dsn", dbPath, "-tables", "users", "-exclude-columns", "users.email"}, &stdout, &stderr); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(stdout.String(), "Email") || !strings.Contains(stdout.String(), "package models") {
		t.Errorf("-exclude-columns users.email kept the column:\n%s", stdout.String())
	}
	if !strings.Contains(stderr.String(), "uses an excluded column") {
		t.Errorf("no note on the unique constraint of the excluded column: %q", stderr.String())
	}

	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"gen", "-dsn", dbPath}, "-dialect is required"},
		{[]string{"gen", "-dialect", "oracle", "-dsn", dbPath}, `unknown -dialect "oracle"`},
		{[]string{"gen", "-dialect", "sqlite"}, "-dsn is required"},
		{[]string{"gen", "-dialect", "sqlite", "-dsn", dbPath, "-exclude-columns", "meta"}, "must be table.column"},
		{[]string{"nope"}, "usage: wren gen"},
	} {
		err := run(c.args, &stdout, &stderr)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%v: err = %v, want %q", c.args, err, c.want)
		}
	}
}

// squash collapses runs of white space, so that gofmt's alignment does not
// matter to the comparison.
func squash(s string) string { return strings.Join(strings.Fields(s), " ") }
