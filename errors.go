package wren

import (
	"errors"
	"fmt"
)

// ErrNoRows is returned (wrapped) by One when the query returns no row.
var ErrNoRows = errors.New("wren: no rows in result set")

func errorf(format string, a ...any) error { return fmt.Errorf(format, a...) }
