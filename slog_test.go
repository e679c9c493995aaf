package wren_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/matryer/is"

	"github.com/wrensql/wren"
)

// logLines decodes a JSON handler's output.
func logLines(t *testing.T, buf *bytes.Buffer) []map[string]any {
	t.Helper()
	var out []map[string]any
	for _, line := range strings.Split(strings.TrimSpace(buf.String()), "\n") {
		if line == "" {
			continue
		}
		m := map[string]any{}
		if err := json.Unmarshal([]byte(line), &m); err != nil {
			t.Fatal(err)
		}
		out = append(out, m)
	}
	buf.Reset()
	return out
}

func TestSlogHook(t *testing.T) {
	is := is.New(t)
	ctx := context.Background()
	db, err := wren.Open(ctx, "sqlite", ":memory:")
	is.NoErr(err)
	defer db.Close()
	var buf bytes.Buffer
	logger := slog.New(slog.NewJSONHandler(&buf, &slog.HandlerOptions{Level: slog.LevelDebug}))
	_, err = wren.Exec(ctx, db, wren.RawStmt("CREATE TABLE secrets (id INTEGER PRIMARY KEY, token TEXT UNIQUE)"))
	is.NoErr(err)

	// Default: debug, arguments redacted (only their number).
	db.SetHook(wren.SlogHook(logger, wren.SlogOptions{}))
	_, err = wren.Exec(ctx, db, wren.RawStmt("INSERT INTO secrets (id, token) VALUES (?, ?)", 1, "hunter2"))
	is.NoErr(err)
	lines := logLines(t, &buf)
	is.Equal(len(lines), 1)
	l := lines[0]
	is.Equal(l["level"], "DEBUG")
	is.Equal(l["msg"], "wren: query")
	is.Equal(l["op"], "exec")
	is.Equal(l["sql"], "INSERT INTO secrets (id, token) VALUES (?, ?)")
	is.Equal(l["dialect"], "sqlite")
	is.Equal(l["in_tx"], false)
	is.Equal(l["rows"], 1.0)
	is.Equal(l["arg_count"], 2.0)
	_, hasArgs := l["args"]
	is.True(!hasArgs)
	is.True(!strings.Contains(buf.String(), "hunter2"))

	// A failure: error level, with the error; a level the logger does not
	// enable logs nothing.
	db.SetHook(wren.SlogHook(logger, wren.SlogOptions{Level: slog.LevelDebug - 4}))
	_, err = wren.Exec(ctx, db, wren.RawStmt("INSERT INTO secrets (id, token) VALUES (?, ?)", 2, "hunter2"))
	is.True(errors.Is(err, wren.ErrUniqueViolation))
	_, err = wren.One[int64](ctx, db, wren.RawStmt("SELECT id FROM secrets"))
	is.NoErr(err)
	lines = logLines(t, &buf)
	is.Equal(len(lines), 1)
	is.Equal(lines[0]["level"], "ERROR")
	is.Equal(lines[0]["msg"], "wren: query failed")
	is.True(strings.Contains(lines[0]["error"].(string), "UNIQUE constraint failed: secrets.token"))

	// Slow queries, at their own level; arguments when asked for.
	db.SetHook(wren.SlogHook(logger, wren.SlogOptions{SlowThreshold: time.Nanosecond, SlowLevel: slog.LevelInfo, LogArgs: true}))
	_, err = wren.All[int64](ctx, db, wren.RawStmt("SELECT id FROM secrets WHERE token = ?", "hunter2"))
	is.NoErr(err)
	lines = logLines(t, &buf)
	is.Equal(len(lines), 1)
	is.Equal(lines[0]["level"], "INFO")
	is.Equal(lines[0]["msg"], "wren: slow query")
	is.Equal(lines[0]["op"], "query")
	is.Equal(lines[0]["args"], []any{"hunter2"})
}

// SlogHook logs every statement once it has finished; arguments are left
// out unless LogArgs is set.
func ExampleSlogHook() {
	ctx := context.Background()
	db, err := wren.Open(ctx, "sqlite", ":memory:")
	if err != nil {
		panic(err)
	}
	defer db.Close()
	logger := slog.New(slog.NewTextHandler(os.Stdout, &slog.HandlerOptions{
		Level: slog.LevelDebug,
		ReplaceAttr: func(_ []string, a slog.Attr) slog.Attr {
			if a.Key == slog.TimeKey || a.Key == "duration" { // for a stable output
				return slog.Attr{}
			}
			return a
		},
	}))
	db.SetHook(wren.SlogHook(logger, wren.SlogOptions{SlowThreshold: 500 * time.Millisecond}))
	if _, err := wren.One[int64](ctx, db, wren.RawStmt("SELECT ? + 1", 41)); err != nil {
		panic(err)
	}
	// Output:
	// level=DEBUG msg="wren: query" op=query sql="SELECT ? + 1" dialect=sqlite in_tx=false rows=1 arg_count=1
}
