package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestRun runs the whole example on SQLite, and on PostgreSQL and MySQL
// when WREN_POSTGRES_DSN / WREN_MYSQL_DSN are set (in a database of their
// own, since the example drops and creates its tables).
func TestRun(t *testing.T) {
	want := []string{
		"== user by username: {ID:1 Username:charlie}",
		"== user 'charles': not found = true",
		"== tweets by charlie and huey (IN a list): 4 tweets",
		"== tweets by users IN a subquery: 5 tweets",
		"== the same through a JOIN: 5 tweets",
		"== tweets published today: 3 tweets",
		"== page 3 of users (20 per page): 20 users, user38 … user57",
		"   huey     3",
		"== counter for /tweets/1 after 3 atomic updates: 3",
	}
	check := func(t *testing.T, driver, dsn string) {
		var out bytes.Buffer
		if err := run(context.Background(), &out, driver, dsn); err != nil {
			t.Fatalf("%v\n%s", err, out.String())
		}
		for _, w := range want {
			if !strings.Contains(out.String(), w) {
				t.Errorf("output lacks %q:\n%s", w, out.String())
			}
		}
	}
	t.Run("sqlite", func(t *testing.T) { check(t, "sqlite", filepath.Join(t.TempDir(), "t.db")) })
	if dsn := os.Getenv("WREN_TWITTER_POSTGRES_DSN"); dsn != "" {
		t.Run("postgres", func(t *testing.T) { check(t, "postgres", dsn) })
	}
	if dsn := os.Getenv("WREN_TWITTER_MYSQL_DSN"); dsn != "" {
		t.Run("mysql", func(t *testing.T) { check(t, "mysql", dsn) })
	}
}
