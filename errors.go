package wren

import (
	"context"
	"errors"
	"fmt"
)

// ErrNoRows is returned (wrapped) by One when the query returns no row.
var ErrNoRows = errors.New("wren: no rows in result set")

func errorf(format string, a ...any) error { return fmt.Errorf(format, a...) }

// stmtError says which statement failed, on which database, and why,
// wrapping the driver's error — and the context's when it ended, so that
// errors.Is(err, context.DeadlineExceeded) holds however the driver put it
// (SQLite reports an interrupted statement, MySQL a closed connection).
func stmtError(ctx context.Context, what string, db Querier, text string, err error) error {
	return fmt.Errorf("wren: %s on %s (%s): %w", what, db.Dialect(), abbrev(text), withCause(ctx, err))
}

// withCause adds ctx's error to err when ctx has ended and err does not say
// so already.
func withCause(ctx context.Context, err error) error {
	if ce := ctx.Err(); ce != nil && !errors.Is(err, ce) {
		return fmt.Errorf("%w (%w)", err, ce)
	}
	return err
}

// abbrev shortens a statement's text for an error message.
func abbrev(text string) string {
	const max = 80
	if len(text) <= max {
		return text
	}
	cut := max
	for cut > 0 && text[cut]&0xC0 == 0x80 { // do not split a UTF-8 sequence
		cut--
	}
	return text[:cut] + "…"
}
