package wren

import (
	"context"
	"errors"
	"math/rand/v2"
	"strings"
	"time"

	"github.com/go-sql-driver/mysql"
	"github.com/jackc/pgx/v5/pgconn"
	"modernc.org/sqlite"
)

// IsRetryable reports whether err means "the transaction was rolled back;
// run it again": the server chose this transaction as the victim of a
// conflict, and nothing it did was kept. These are:
//
//	PostgreSQL   40001 serialization_failure, 40P01 deadlock_detected
//	MySQL/MariaDB 1213 ER_LOCK_DEADLOCK (also Galera's certification
//	             failure), 1205 ER_LOCK_WAIT_TIMEOUT
//	SQLite       SQLITE_BUSY (5) and SQLITE_LOCKED (6), with their
//	             extended codes (BUSY_SNAPSHOT, LOCKED_SHAREDCACHE, …)
//
// A lock wait timeout on MySQL/MariaDB undoes only the statement that
// waited, not the transaction; DB.Atomic rolls the whole transaction back
// before it runs it again. A context that ended, a lost connection, or any
// error whose transaction may have committed is never retryable.
func IsRetryable(err error) bool {
	if err == nil {
		return false
	}
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		return pe.Code == "40001" || pe.Code == "40P01"
	}
	var me *mysql.MySQLError
	if errors.As(err, &me) {
		return me.Number == 1213 || me.Number == 1205
	}
	var se *sqlite.Error
	if errors.As(err, &se) {
		code := se.Code() & 0xff
		return code == 5 || code == 6
	}
	return false
}

// endsTransaction reports whether err means the server has rolled back the
// whole transaction and left it, so that the session is back in autocommit
// mode: MySQL/MariaDB's 1213 (a deadlock, or a Galera certification
// conflict, which arrives on COMMIT or on the next statement of the
// transaction that lost). PostgreSQL keeps an aborted transaction open and
// refuses its statements itself.
func endsTransaction(err error) bool {
	var me *mysql.MySQLError
	return errors.As(err, &me) && me.Number == 1213
}

// RetryBackoff is how long DB.Atomic waits before attempt n+1 after
// attempt n failed: a random duration up to 5 ms × 2^(n-1), capped at
// 500 ms ("full jitter", so that transactions that collided do not collide
// again in step).
func RetryBackoff(n int) time.Duration {
	limit := 5 * time.Millisecond << min(max(n-1, 0), 7)
	limit = min(limit, 500*time.Millisecond)
	return time.Duration(rand.Int64N(int64(limit)) + 1)
}

// safeToRetry reports whether a pgx error proves the statement never
// reached the server (a pooled connection found dead before sending), so
// running it again on another connection cannot do anything twice.
func safeToRetry(err error) bool {
	return pgconn.SafeToRetry(err)
}

// beginRetryable reports whether a failed BEGIN may be tried again on
// another connection: the context is alive and the error came from the
// connection rather than from the server's judgement of the statement — a
// dead socket, or a session the server ended (SQLSTATE class 57P, MySQL
// 1927 "connection was killed"). SQLite's BUSY is not one of these: that
// is for DB.Atomic's MaxAttempts.
func beginRetryable(ctx context.Context, err error) bool {
	if ctx.Err() != nil {
		return false
	}
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		return strings.HasPrefix(pe.Code, "57P")
	}
	var me *mysql.MySQLError
	if errors.As(err, &me) {
		return me.Number == 1927 || me.Number == 1053
	}
	var se *sqlite.Error
	return !errors.As(err, &se)
}
