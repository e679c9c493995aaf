package wrenotel_test

import (
	"context"
	"errors"
	"os"
	"testing"
	"time"

	"github.com/matryer/is"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"
	"go.opentelemetry.io/otel/trace"

	"github.com/wrensql/wren"
	"github.com/wrensql/wren/wrenotel"
)

// attrs returns a span's attributes by key.
func attrs(s tracetest.SpanStub) map[attribute.Key]attribute.Value {
	m := map[attribute.Key]attribute.Value{}
	for _, kv := range s.Attributes {
		m[kv.Key] = kv.Value
	}
	return m
}

// open opens driver's database: SQLite in memory, the servers from
// WREN_POSTGRES_DSN and WREN_MYSQL_DSN (skipped without them, unless CI is
// set).
func open(t *testing.T, driver string) *wren.DB {
	t.Helper()
	ctx := context.Background()
	dsn := ":memory:"
	if env := map[string]string{"postgres": "WREN_POSTGRES_DSN", "mysql": "WREN_MYSQL_DSN"}[driver]; env != "" {
		if dsn = os.Getenv(env); dsn == "" {
			if os.Getenv("CI") != "" {
				t.Fatalf("CI is set but %s is empty", env)
			}
			t.Skipf("%s not set: set it to run the %s tests", env, driver)
		}
	}
	db, err := wren.Open(ctx, driver, dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func TestSpans(t *testing.T) {
	for _, c := range []struct {
		driver, system, badCode string
	}{
		{"sqlite", "sqlite", "1"},           // SQLITE_ERROR
		{"postgres", "postgresql", "42P01"}, // undefined_table
		{"mysql", "", "1146"},               // ER_NO_SUCH_TABLE (system: mysql or mariadb)
	} {
		t.Run(c.driver, func(t *testing.T) {
			is := is.New(t)
			ctx := context.Background()
			db := open(t, c.driver)
			exp := tracetest.NewInMemoryExporter()
			tp := sdktrace.NewTracerProvider(sdktrace.WithSyncer(exp))
			defer tp.Shutdown(ctx)
			db.SetHook(wrenotel.NewHook(wrenotel.WithTracerProvider(tp), wrenotel.WithAttributes(attribute.String("db.namespace", "test"))))
			system := c.system
			if system == "" {
				system = db.Dialect().Name()
			}

			// A query under a parent span: a child client span with the
			// semantic-convention attributes; the values are not recorded.
			parentCtx, parent := tp.Tracer("test").Start(ctx, "parent")
			q := wren.RawStmt("SELECT 1 + ? UNION ALL SELECT 5", 41)
			n, err := wren.All[int64](parentCtx, db, q)
			is.NoErr(err)
			is.Equal(len(n), 2)
			parent.End()
			spans := exp.GetSpans()
			is.Equal(len(spans), 2)
			s := spans[0]
			is.Equal(s.Name, "SELECT")
			is.Equal(s.SpanKind, trace.SpanKindClient)
			is.Equal(s.Parent.SpanID(), parent.SpanContext().SpanID())
			a := attrs(s)
			is.Equal(a["db.system.name"].AsString(), system)
			is.Equal(a["db.operation.name"].AsString(), "SELECT")
			text, _, err := q.SQL(db.Dialect())
			is.NoErr(err)
			is.Equal(a["db.query.text"].AsString(), text)
			is.Equal(a["db.response.returned_rows"].AsInt64(), int64(2))
			is.Equal(a["db.namespace"].AsString(), "test")
			for _, kv := range s.Attributes {
				is.True(kv.Value.Emit() != "41") // no argument values
			}
			is.Equal(s.Status.Code, codes.Unset)
			is.True(!s.EndTime.Before(s.StartTime))
			exp.Reset()

			// A failed statement: status Error, the driver's code.
			_, err = wren.Exec(ctx, db, wren.RawStmt("DELETE FROM wrenotel_missing.t"))
			is.True(err != nil)
			spans = exp.GetSpans()
			is.Equal(len(spans), 1)
			s = spans[0]
			is.Equal(s.Name, "DELETE")
			is.Equal(s.Status.Code, codes.Error)
			a = attrs(s)
			is.Equal(a["db.response.status_code"].AsString(), c.badCode)
			is.Equal(a["error.type"].AsString(), c.badCode)
			is.Equal(len(s.Events), 1) // the recorded error
			exp.Reset()

			// In a transaction; without the query text; a context that
			// ran out is the error type.
			db.SetHook(wrenotel.NewHook(wrenotel.WithTracerProvider(tp), wrenotel.WithoutQueryText()))
			is.NoErr(db.Atomic(ctx, func(tx *wren.Tx) error {
				_, err := wren.One[int64](ctx, tx, wren.RawStmt("SELECT 1"))
				return err
			}))
			spans = exp.GetSpans()
			is.Equal(len(spans), 1)
			a = attrs(spans[0])
			is.Equal(a["wren.in_tx"].AsBool(), true)
			_, hasText := a["db.query.text"]
			is.True(!hasText)
			exp.Reset()
			done, cancel := context.WithTimeout(ctx, time.Nanosecond)
			defer cancel()
			<-done.Done()
			_, err = wren.One[int64](done, db, wren.RawStmt("SELECT 1"))
			is.True(errors.Is(err, context.DeadlineExceeded))
			spans = exp.GetSpans()
			is.Equal(len(spans), 1)
			is.Equal(spans[0].Status.Code, codes.Error)
		})
	}
}
