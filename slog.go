package wren

import (
	"context"
	"log/slog"
	"time"
)

// SlogOptions configure [SlogHook].
type SlogOptions struct {
	// Level is the level of a statement that succeeded in time; nil means
	// slog.LevelDebug.
	Level slog.Leveler
	// SlowThreshold makes a statement that took at least this long a slow
	// one, logged at SlowLevel; 0 means none is.
	SlowThreshold time.Duration
	// SlowLevel is the level of a slow statement; nil means slog.LevelWarn.
	SlowLevel slog.Leveler
	// ErrorLevel is the level of a statement that failed; nil means
	// slog.LevelError.
	ErrorLevel slog.Leveler
	// LogArgs adds the argument values ("args"). Without it only their
	// number is logged: values may be passwords, tokens or personal data.
	LogArgs bool
}

// SlogHook returns a [Hook] that logs each statement to logger (nil:
// slog.Default()) once it has finished, as the message "wren: query" —
// "wren: slow query" past the threshold, "wren: query failed" on error —
// with the attributes op, sql, dialect, in_tx, duration, rows, arg_count,
// args (with LogArgs only) and error. Nothing is formatted for a level the
// logger does not enable.
//
//	db.SetHook(wren.SlogHook(logger, wren.SlogOptions{SlowThreshold: 200 * time.Millisecond}))
func SlogHook(logger *slog.Logger, opts SlogOptions) Hook {
	if logger == nil {
		logger = slog.Default()
	}
	h := slogHook{log: logger, o: opts, level: slog.LevelDebug, slow: slog.LevelWarn, fail: slog.LevelError}
	if opts.Level != nil {
		h.level = opts.Level.Level()
	}
	if opts.SlowLevel != nil {
		h.slow = opts.SlowLevel.Level()
	}
	if opts.ErrorLevel != nil {
		h.fail = opts.ErrorLevel.Level()
	}
	return h
}

type slogHook struct {
	log               *slog.Logger
	o                 SlogOptions
	level, slow, fail slog.Level
}

func (h slogHook) BeforeQuery(ctx context.Context, e *QueryEvent) context.Context { return ctx }

func (h slogHook) AfterQuery(ctx context.Context, e *QueryEvent) {
	level, msg := h.level, "wren: query"
	switch {
	case e.Err != nil:
		level, msg = h.fail, "wren: query failed"
	case h.o.SlowThreshold > 0 && e.Duration >= h.o.SlowThreshold:
		level, msg = h.slow, "wren: slow query"
	}
	if !h.log.Enabled(ctx, level) {
		return
	}
	attrs := make([]slog.Attr, 0, 9)
	attrs = append(attrs,
		slog.String("op", e.Op),
		slog.String("sql", e.SQL),
		slog.String("dialect", e.Dialect.String()),
		slog.Bool("in_tx", e.InTx),
		slog.Duration("duration", e.Duration),
		slog.Int64("rows", e.Rows),
		slog.Int("arg_count", len(e.Args)))
	if h.o.LogArgs {
		attrs = append(attrs, slog.Any("args", e.Args))
	}
	if e.Err != nil {
		attrs = append(attrs, slog.Any("error", e.Err))
	}
	h.log.LogAttrs(ctx, level, msg, attrs...)
}
