package wren

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/go-sql-driver/mysql"
	"github.com/jackc/pgx/v5/pgconn"
	"modernc.org/sqlite"

	"github.com/wrensql/wren/dialect"
)

// ErrNoRows is returned (wrapped) by One when the query returns no row.
var ErrNoRows = errors.New("wren: no rows in result set")

// The constraint violations, the same on every database:
//
//	if errors.Is(err, wren.ErrUniqueViolation) { … the name is taken … }
//
// The error that matches is a [*ConstraintError], which names the
// constraint, table and column where the driver reports them, and unwraps
// to the driver's own error (errors.As(err, &pgErr) keeps working).
var (
	// ErrUniqueViolation: a UNIQUE or PRIMARY KEY constraint.
	ErrUniqueViolation = errors.New("wren: unique constraint violated")
	// ErrForeignKeyViolation: a FOREIGN KEY constraint, either side.
	ErrForeignKeyViolation = errors.New("wren: foreign key constraint violated")
	// ErrNotNullViolation: NULL (or, on MySQL in strict mode, no value)
	// for a NOT NULL column.
	ErrNotNullViolation = errors.New("wren: not-null constraint violated")
	// ErrCheckViolation: a CHECK constraint.
	ErrCheckViolation = errors.New("wren: check constraint violated")
)

func errorf(format string, a ...any) error { return fmt.Errorf(format, a...) }

// QueryError is the error of a statement that failed on the database: the
// operation ("query" or "exec"), the dialect, the whole SQL text (the
// message shows its first 80 bytes), and the cause. It unwraps to the
// cause: the driver's error (or a [*ConstraintError] around it), and the
// context's error when the context ended, so errors.Is(err,
// context.DeadlineExceeded) holds however the driver put it. The arguments
// are not kept: they may be secrets.
type QueryError struct {
	Op      string
	Dialect *dialect.Dialect
	SQL     string
	Err     error
}

// Error says which statement failed, on which database, and why.
func (e *QueryError) Error() string {
	return fmt.Sprintf("wren: %s on %s (%s): %v", e.Op, e.Dialect, abbrev(e.SQL), e.Err)
}

// Unwrap returns the cause.
func (e *QueryError) Unwrap() error { return e.Err }

// stmtError says which statement failed, on which database, and why,
// wrapping the driver's error — and the context's when it ended (SQLite
// reports an interrupted statement, MySQL a closed connection).
func stmtError(ctx context.Context, what string, db Querier, text string, err error) error {
	return &QueryError{Op: what, Dialect: db.Dialect(), SQL: text, Err: withCause(ctx, constraintError(err))}
}

// ConstraintError is a constraint violation reported by the database. Kind
// is one of ErrUniqueViolation, ErrForeignKeyViolation, ErrNotNullViolation
// and ErrCheckViolation; errors.Is matches it, and errors.As reaches the
// driver's error in Err. The names are those the driver gives, empty when
// it gives none:
//
//	             Constraint  Table  Column
//	PostgreSQL   yes         yes    yes (unique, and a child's foreign key: from the detail)
//	MySQL        yes         FK     NOT NULL; FK
//	SQLite       CHECK       yes    yes (none for a foreign key)
//
// Column holds several names, joined by ", ", for a constraint on several
// columns. Values are never copied out of the driver's message.
type ConstraintError struct {
	Kind       error
	Constraint string
	Table      string
	Column     string
	Err        error
}

// Error is the driver's message.
func (e *ConstraintError) Error() string { return e.Err.Error() }

// Unwrap returns the kind and the driver's error.
func (e *ConstraintError) Unwrap() []error { return []error{e.Kind, e.Err} }

// constraintError wraps a driver's constraint violation in a
// *ConstraintError, and returns any other error as it is.
func constraintError(err error) error {
	var ce *ConstraintError
	if errors.As(err, &ce) {
		return err
	}
	var pe *pgconn.PgError
	var me *mysql.MySQLError
	var se *sqlite.Error
	switch {
	case errors.As(err, &pe):
		return pgConstraint(pe, err)
	case errors.As(err, &me):
		return mysqlConstraint(me, err)
	case errors.As(err, &se):
		return sqliteConstraint(se, err)
	}
	return err
}

func pgConstraint(pe *pgconn.PgError, err error) error {
	ce := &ConstraintError{Constraint: pe.ConstraintName, Table: pe.TableName, Column: pe.ColumnName, Err: err}
	switch pe.Code {
	case "23505":
		ce.Kind = ErrUniqueViolation
	case "23503":
		ce.Kind = ErrForeignKeyViolation
	case "23502":
		ce.Kind = ErrNotNullViolation
	case "23514":
		ce.Kind = ErrCheckViolation
	default:
		return err
	}
	if ce.Column == "" && !strings.Contains(pe.Detail, "is still referenced") {
		// "Key (a, b)=(1, 2) already exists." — the names, not the values.
		// (A row still referenced names the parent's key, not a column of
		// the table reported, which is the child: leave it out.)
		if rest, ok := strings.CutPrefix(pe.Detail, "Key ("); ok {
			if i := strings.Index(rest, ")=("); i > 0 {
				ce.Column = rest[:i]
			}
		}
	}
	return ce
}

func mysqlConstraint(me *mysql.MySQLError, err error) error {
	ce := &ConstraintError{Err: err}
	msg := me.Message
	switch me.Number {
	case 1062, 1586: // ER_DUP_ENTRY: Duplicate entry '…' for key 'name' (MySQL 8: 'table.name')
		ce.Kind = ErrUniqueViolation
		if i := strings.LastIndex(msg, " for key '"); i >= 0 {
			key := strings.TrimSuffix(msg[i+len(" for key '"):], "'")
			if t, k, ok := strings.Cut(key, "."); ok {
				ce.Table, key = t, k
			}
			ce.Constraint = key
		}
	case 1451, 1452, 1216, 1217: // (`db`.`child`, CONSTRAINT `fk` FOREIGN KEY (`col`) REFERENCES …)
		ce.Kind = ErrForeignKeyViolation
		if _, rest, ok := strings.Cut(msg, "fails ("); ok {
			if tbl, after, ok := strings.Cut(rest, ", CONSTRAINT "); ok {
				if _, t, ok := strings.Cut(tbl, "`.`"); ok {
					ce.Table = strings.Trim(t, "`")
				}
				ce.Constraint, after = backticked(after)
				if _, cols, ok := strings.Cut(after, "FOREIGN KEY ("); ok {
					if cols, _, ok = strings.Cut(cols, ")"); ok {
						ce.Column = strings.ReplaceAll(cols, "`", "")
					}
				}
			}
		}
	case 1048, 1364: // Column 'c' cannot be null; Field 'c' doesn't have a default value
		ce.Kind = ErrNotNullViolation
		if _, rest, ok := strings.Cut(msg, "'"); ok {
			ce.Column, _, _ = strings.Cut(rest, "'")
		}
	case 4025: // MariaDB: CONSTRAINT `c` failed for `db`.`t`
		ce.Kind = ErrCheckViolation
		var rest string
		ce.Constraint, rest = backticked(strings.TrimPrefix(msg, "CONSTRAINT "))
		if i := strings.LastIndex(rest, "`.`"); i >= 0 {
			ce.Table = strings.Trim(rest[i+3:], "`")
		}
	case 3819: // MySQL 8: Check constraint 'c' is violated.
		ce.Kind = ErrCheckViolation
		if _, rest, ok := strings.Cut(msg, "'"); ok {
			ce.Constraint, _, _ = strings.Cut(rest, "'")
		}
	default:
		return err
	}
	return ce
}

// backticked returns the `name` at the start of s (leading spaces allowed)
// and what follows it.
func backticked(s string) (string, string) {
	s = strings.TrimLeft(s, " ")
	if !strings.HasPrefix(s, "`") {
		return "", s
	}
	name, rest, _ := strings.Cut(s[1:], "`")
	return name, rest
}

// SQLite's extended result codes for constraints.
const (
	sqliteConstraintCheck      = 275
	sqliteConstraintForeignKey = 787
	sqliteConstraintNotNull    = 1299
	sqliteConstraintPrimaryKey = 1555
	sqliteConstraintUnique     = 2067
)

func sqliteConstraint(se *sqlite.Error, err error) error {
	ce := &ConstraintError{Err: err}
	switch se.Code() {
	case sqliteConstraintUnique, sqliteConstraintPrimaryKey:
		ce.Kind = ErrUniqueViolation
	case sqliteConstraintForeignKey:
		ce.Kind = ErrForeignKeyViolation
		return ce // "FOREIGN KEY constraint failed": no names
	case sqliteConstraintNotNull:
		ce.Kind = ErrNotNullViolation
	case sqliteConstraintCheck:
		ce.Kind = ErrCheckViolation
	default:
		return err
	}
	// "UNIQUE constraint failed: t.a, t.b", "CHECK constraint failed: name"
	msg := se.Error()
	i := strings.LastIndex(msg, "constraint failed: ")
	if i < 0 {
		return ce
	}
	what := msg[i+len("constraint failed: "):]
	if i := strings.LastIndex(what, " ("); i >= 0 { // the code modernc appends
		what = what[:i]
	}
	if ce.Kind == ErrCheckViolation {
		ce.Constraint = what
		return ce
	}
	var cols []string
	for _, tc := range strings.Split(what, ", ") {
		t, c, ok := strings.Cut(tc, ".")
		if !ok {
			return ce
		}
		ce.Table = t
		cols = append(cols, c)
	}
	ce.Column = strings.Join(cols, ", ")
	return ce
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
