// Package wrenotel traces the statements wren runs with OpenTelemetry: one
// client span per statement, with the semantic-convention attributes for
// database clients (semconv v1.37: db.system.name, db.query.text,
// db.operation.name, db.response.returned_rows, db.response.status_code,
// error.type).
//
//	db.SetHook(wrenotel.NewHook())
//
// It is a module of its own, so that wren itself does not depend on
// OpenTelemetry.
//
// # Beside pgx's own tracer
//
// pgx has a tracer of its own (pgx.ConnConfig.Tracer, which packages such
// as otelpgx implement), which sees the wire: each query, prepare, batch
// and COPY, and the connection's acquisition. The wren hook sees the
// statement as wren ran it, on every database, with the rows read and
// the error classified. Both can be on: the hook starts its span before the
// statement reaches pgx and hands pgx the context with that span in it, so
// pgx's spans nest under wren's. To avoid two spans per statement, keep
// just one of them, or give pgx's tracer a span name that tells them
// apart. On MySQL and SQLite (database/sql), wren's span is the only one
// unless the driver is wrapped too.
package wrenotel

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/go-sql-driver/mysql"
	"github.com/jackc/pgx/v5/pgconn"
	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	semconv "go.opentelemetry.io/otel/semconv/v1.37.0"
	"go.opentelemetry.io/otel/trace"
	"modernc.org/sqlite"

	"github.com/wrensql/wren"
)

// ScopeName is the instrumentation scope of the spans.
const ScopeName = "github.com/wrensql/wren/wrenotel"

// Option configures NewHook.
type Option func(*config)

type config struct {
	tp        trace.TracerProvider
	attrs     []attribute.KeyValue
	noText    bool
	spanNamer func(*wren.QueryEvent) string
}

// WithTracerProvider makes the spans with tp instead of the global
// provider (otel.GetTracerProvider()).
func WithTracerProvider(tp trace.TracerProvider) Option {
	return func(c *config) { c.tp = tp }
}

// WithAttributes adds attributes to every span: the database's
// server.address and server.port, db.namespace (the database or schema).
func WithAttributes(attrs ...attribute.KeyValue) Option {
	return func(c *config) { c.attrs = append(c.attrs, attrs...) }
}

// WithoutQueryText leaves db.query.text out. wren's statements carry their
// values as parameters, never in the text, so the text is safe to record
// unless hand-written SQL (wren.Raw, wren.RawStmt) puts values in it.
func WithoutQueryText() Option {
	return func(c *config) { c.noText = true }
}

// WithSpanName names spans with f instead of the default, the operation
// name (SELECT, INSERT, …), or the database system when there is none.
func WithSpanName(f func(*wren.QueryEvent) string) Option {
	return func(c *config) { c.spanNamer = f }
}

// NewHook returns a wren.Hook that records a span of kind client for each
// statement, from just before it is sent until it returned (an exec) or
// its rows were closed (a query). A failed statement's span has status
// Error, the error recorded as an event, error.type and, where the driver
// gives one, db.response.status_code (PostgreSQL's SQLSTATE, MySQL's error
// number, SQLite's extended result code). Argument values are never
// recorded.
func NewHook(opts ...Option) wren.Hook {
	var c config
	for _, o := range opts {
		o(&c)
	}
	if c.tp == nil {
		c.tp = otel.GetTracerProvider()
	}
	return &hook{c: c, tracer: c.tp.Tracer(ScopeName)}
}

type hook struct {
	c      config
	tracer trace.Tracer
}

type spanKey struct{}

func (h *hook) BeforeQuery(ctx context.Context, e *wren.QueryEvent) context.Context {
	op := operation(e.SQL)
	name := op
	if h.c.spanNamer != nil {
		name = h.c.spanNamer(e)
	} else if name == "" {
		name = system(e).Value.AsString()
	}
	attrs := make([]attribute.KeyValue, 0, 4+len(h.c.attrs))
	attrs = append(attrs, system(e))
	if op != "" {
		attrs = append(attrs, semconv.DBOperationName(op))
	}
	if !h.c.noText {
		attrs = append(attrs, semconv.DBQueryText(e.SQL))
	}
	attrs = append(attrs, h.c.attrs...)
	ctx, _ = h.tracer.Start(ctx, name, trace.WithSpanKind(trace.SpanKindClient), trace.WithAttributes(attrs...))
	return ctx
}

func (h *hook) AfterQuery(ctx context.Context, e *wren.QueryEvent) {
	span := trace.SpanFromContext(ctx)
	if !span.IsRecording() {
		span.End()
		return
	}
	if e.Op == "query" {
		span.SetAttributes(semconv.DBResponseReturnedRows(int(e.Rows)))
	} else {
		span.SetAttributes(attribute.Int64("wren.rows_affected", e.Rows))
	}
	if e.InTx {
		span.SetAttributes(attribute.Bool("wren.in_tx", true))
	}
	if e.Err != nil {
		code := statusCode(e.Err)
		if code != "" {
			span.SetAttributes(semconv.DBResponseStatusCode(code))
		}
		span.SetAttributes(semconv.ErrorTypeKey.String(errorType(e.Err, code)))
		span.RecordError(e.Err)
		span.SetStatus(codes.Error, e.Err.Error())
	}
	span.End()
}

// system is db.system.name for the event's dialect.
func system(e *wren.QueryEvent) attribute.KeyValue {
	switch e.Dialect.Name() {
	case "postgres":
		return semconv.DBSystemNamePostgreSQL
	case "mysql":
		return semconv.DBSystemNameMySQL
	case "mariadb":
		return semconv.DBSystemNameMariaDB
	case "sqlite":
		return semconv.DBSystemNameSQLite
	}
	return semconv.DBSystemNameKey.String(e.Dialect.Name())
}

// operation is the statement's first keyword, upper-cased (WITH for a
// statement that starts with CTEs); "" when the text does not start with a
// word.
func operation(text string) string {
	text = strings.TrimLeft(text, " \t\r\n(")
	end := 0
	for end < len(text) && (text[end] >= 'a' && text[end] <= 'z' || text[end] >= 'A' && text[end] <= 'Z') {
		end++
	}
	return strings.ToUpper(text[:end])
}

// statusCode is the driver's code for err, or "".
func statusCode(err error) string {
	var pe *pgconn.PgError
	var me *mysql.MySQLError
	var se *sqlite.Error
	switch {
	case errors.As(err, &pe):
		return pe.Code
	case errors.As(err, &me):
		return strconv.Itoa(int(me.Number))
	case errors.As(err, &se):
		return strconv.Itoa(se.Code())
	}
	return ""
}

// errorType is error.type: the status code when there is one, the
// context's error, or the Go type of the innermost error.
func errorType(err error, code string) string {
	switch {
	case code != "":
		return code
	case errors.Is(err, context.DeadlineExceeded):
		return "context.DeadlineExceeded"
	case errors.Is(err, context.Canceled):
		return "context.Canceled"
	}
	for {
		next := errors.Unwrap(err)
		if next == nil {
			return fmt.Sprintf("%T", err)
		}
		err = next
	}
}
