package wren

import (
	"strings"
	"testing"
)

func TestReadOnlySQL(t *testing.T) {
	for _, c := range []struct {
		text string
		read bool
	}{
		{`SELECT "t"."id" FROM "t" WHERE "t"."id" = $1`, true},
		{"SELECT `t`.`id` FROM `t` WHERE `t`.`id` = ?", true},
		{`  -- note
		/* x */ select 1`, true},
		{`WITH "c" AS (SELECT 1) SELECT * FROM "c"`, true},
		{`VALUES (1), (2)`, true},
		{`SHOW server_version`, true},
		{`SELECT "update", 'delete from x', "for" FROM "t"`, true},
		{`SELECT 'it''s' AS "a"`, true},
		{`SELECT 1e10, 0x1F, 3.5`, true},
		{`SELECT "t"."id" FROM "t" FOR UPDATE`, false},
		{`SELECT "t"."id" FROM "t" FOR NO KEY UPDATE SKIP LOCKED`, false},
		{`SELECT "t"."id" FROM "t" FOR SHARE`, false},
		{"SELECT `id` FROM `t` LOCK IN SHARE MODE", false},
		{`WITH "n" AS (INSERT INTO "t" ("a") VALUES ($1) RETURNING "id") SELECT * FROM "n"`, false},
		{`WITH "n" AS (delete from "t" RETURNING "id") SELECT * FROM "n"`, false},
		{`SELECT * INTO "copy" FROM "t"`, false},
		{`SELECT nextval('s')`, false},
		{`SELECT pg_advisory_lock(1)`, false},
		{`SELECT pg_try_advisory_xact_lock(1)`, false},
		{`SELECT GET_LOCK('x', 1)`, false},
		{`SELECT LAST_INSERT_ID()`, false},
		{`SELECT set_config('a.b', 'c', false)`, false},
		{`SELECT $$ drop $$`, false},
		{`SELECT 'a\' FOR UPDATE -- '`, false},
		{`SELECT 1 /* unterminated`, false},
		{`SELECT 'unterminated`, false},
		{`INSERT INTO "t" ("a") VALUES ($1)`, false},
		{`UPDATE "t" SET "a" = $1`, false},
		{`DELETE FROM "t"`, false},
		{`CREATE TABLE "t" ("a" int)`, false},
		{`BEGIN`, false},
		{``, false},
		{`-- only a comment`, false},
	} {
		if got := readOnlySQL(c.text); got != c.read {
			t.Errorf("readOnlySQL(%q) = %v, want %v", c.text, got, c.read)
		}
	}
}

func TestParseLSN(t *testing.T) {
	for _, c := range []struct {
		s    string
		want uint64
		ok   bool
	}{
		{"0/0", 0, true},
		{"16/B374D848", 0x16_B374D848, true},
		{"FFFFFFFF/FFFFFFFF", 1<<64 - 1, true},
		{"", 0, false},
		{"12", 0, false},
		{"x/1", 0, false},
	} {
		got, ok := parseLSN(c.s)
		if ok != c.ok || (ok && got != c.want) {
			t.Errorf("parseLSN(%q) = %x, %v; want %x, %v", c.s, got, ok, c.want, c.ok)
		}
	}
	if got := pageStart(3*walPage + 24); got != 3*walPage {
		t.Errorf("pageStart after a short page header = %d", got)
	}
	if got := pageStart(walSegment + 40); got != walSegment {
		t.Errorf("pageStart after a long page header = %d", got)
	}
	if got := pageStart(3*walPage + 40); got != 3*walPage+40 {
		t.Errorf("pageStart inside a page = %d", got)
	}
}

func TestNewClusterRefusesSQLite(t *testing.T) {
	ctx := t.Context()
	db, err := Open(ctx, "sqlite", ":memory:")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	_, err = NewCluster(ctx, db, ClusterOptions{})
	if err == nil || !strings.Contains(err.Error(), "sqlite") {
		t.Fatalf("NewCluster on SQLite: %v, want an error naming sqlite", err)
	}
	if _, err := NewCluster(ctx, nil, ClusterOptions{}); err == nil {
		t.Fatal("NewCluster with a nil primary: no error")
	}
}
