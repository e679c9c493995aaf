package wren_test

import (
	"reflect"
	"testing"
	"time"

	"github.com/wrensql/wren"
	"github.com/wrensql/wren/dialect"
	"github.com/wrensql/wren/internal/golden"
)

type arrayUser struct {
	ID        int64
	Username  string
	Email     *string
	Age       int64
	Score     float64
	Active    bool
	CreatedAt time.Time
}

// TestCreateArraysSQL: on PostgreSQL, Create of several rows sends one
// array per column, in a text that does not depend on the number of rows;
// MySQL and SQLite keep the multi-row VALUES form.
func TestCreateArraysSQL(t *testing.T) {
	ts := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	mail := "a@example.com"
	a := &arrayUser{Username: "a", Email: &mail, Age: 1, Score: 0.5, Active: true, CreatedAt: ts}
	b := &arrayUser{Username: "b", Age: 2, CreatedAt: ts}
	want := `INSERT INTO "users" ("username", "email", "age", "score", "active", "created_at") SELECT * FROM unnest(` +
		`CAST($1 AS TEXT[]), CAST($2 AS TEXT[]), CAST($3 AS BIGINT[]), CAST($4 AS DOUBLE PRECISION[]), CAST($5 AS BOOLEAN[]), CAST($6 AS TIMESTAMPTZ[])) RETURNING "id"`
	for _, rows := range [][]*arrayUser{{a, b}, {a, b, a, b, a}} {
		text, args, ok, err := wren.CreateArraysSQL(dialect.Postgres, golden.Users, rows...)
		if err != nil || !ok || text != want {
			t.Fatalf("%d rows: %v %v\n got: %s\nwant: %s", len(rows), ok, err, text, want)
		}
		if len(args) != 6 || len(args[0].([]string)) != len(rows) || !reflect.DeepEqual(args[1].([]*string)[:2], []*string{&mail, nil}) {
			t.Fatalf("%d rows: args %#v", len(rows), args)
		}
	}
	// Keys given: every column, and no RETURNING.
	text, _, _, err := wren.CreateArraysSQL(dialect.Postgres, golden.Users, &arrayUser{ID: 7, Username: "c", CreatedAt: ts}, &arrayUser{ID: 8, Username: "d", CreatedAt: ts})
	if err != nil || text != `INSERT INTO "users" ("id", "username", "email", "age", "score", "active", "created_at") SELECT * FROM unnest(`+
		`CAST($1 AS BIGINT[]), CAST($2 AS TEXT[]), CAST($3 AS TEXT[]), CAST($4 AS BIGINT[]), CAST($5 AS DOUBLE PRECISION[]), CAST($6 AS BOOLEAN[]), CAST($7 AS TIMESTAMPTZ[]))` {
		t.Fatalf("keys given: %v %s", err, text)
	}
	for _, d := range []*dialect.Dialect{dialect.MySQL, dialect.SQLite} {
		if _, _, ok, err := wren.CreateArraysSQL(d, golden.Users, a, b); ok || err != nil {
			t.Fatalf("%s: arrays %v, %v; want VALUES", d, ok, err)
		}
	}
	// A field type that pgx would encode differently one by one (here an
	// unsigned integer) keeps VALUES on PostgreSQL too.
	type unsignedAge struct {
		ID       int64
		Username string
		Age      uint32
	}
	if _, _, ok, _ := wren.CreateArraysSQL(dialect.Postgres, golden.Users, &unsignedAge{}, &unsignedAge{}); ok {
		t.Fatal("uint32 field sent as an array")
	}
}
