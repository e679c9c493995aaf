package dialect

import (
	"database/sql"
	"fmt"
	"strconv"
)

// BeginSQL returns the statements that start a transaction with the given
// isolation level and access mode on a database/sql connection, in order.
//
// SQLite's write transactions begin IMMEDIATE: they take the write lock up
// front, so a transaction that reads and then writes waits for the lock
// (up to the busy timeout) instead of failing with SQLITE_BUSY halfway
// through, which a DEFERRED one does under concurrent writers. A read-only
// transaction begins DEFERRED and takes no write lock. SQLite transactions
// are serializable, which satisfies every isolation level asked for.
func (d *Dialect) BeginSQL(level sql.IsolationLevel, readOnly bool) ([]string, error) {
	switch {
	case d == SQLite:
		if readOnly {
			return []string{"BEGIN DEFERRED"}, nil
		}
		return []string{"BEGIN IMMEDIATE"}, nil
	case d.IsMySQLFamily():
		start := "START TRANSACTION"
		if readOnly {
			start += " READ ONLY"
		}
		if level == sql.LevelDefault {
			return []string{start}, nil
		}
		name, err := d.isolationName(level)
		if err != nil {
			return nil, err
		}
		return []string{"SET TRANSACTION ISOLATION LEVEL " + name, start}, nil
	}
	begin := "BEGIN"
	if level != sql.LevelDefault {
		name, err := d.isolationName(level)
		if err != nil {
			return nil, err
		}
		begin += " ISOLATION LEVEL " + name
	}
	if readOnly {
		begin += " READ ONLY"
	}
	return []string{begin}, nil
}

func (d *Dialect) isolationName(level sql.IsolationLevel) (string, error) {
	switch level {
	case sql.LevelReadUncommitted:
		return "READ UNCOMMITTED", nil
	case sql.LevelReadCommitted:
		return "READ COMMITTED", nil
	case sql.LevelRepeatableRead:
		return "REPEATABLE READ", nil
	case sql.LevelSerializable:
		return "SERIALIZABLE", nil
	case sql.LevelSnapshot:
		if d == Postgres { // PostgreSQL's REPEATABLE READ is snapshot isolation
			return "REPEATABLE READ", nil
		}
	}
	return "", fmt.Errorf("isolation level %v is not supported by %s", level, d.name)
}

// ConnIDSQL is the query that returns the server's id for the session it
// runs on, used to stop that session's statement from another connection;
// "" where a cancelled statement stops by itself (PostgreSQL, through pgx's
// cancel request; SQLite, which is embedded).
func (d *Dialect) ConnIDSQL() string {
	if d.IsMySQLFamily() {
		return "SELECT CONNECTION_ID()"
	}
	return ""
}

// KillSQL is the statement that ends server session id, with the
// statement running in it, sent from another connection when a context is
// cancelled: MySQL and MariaDB keep running a statement whose client went
// away. The whole session ends rather than only its statement (KILL
// QUERY), because the cancel may come before the statement has reached
// the server, which would then start it after KILL QUERY found nothing to
// stop; the client has given up on the connection in any case. The id is
// rendered as a number, never taken from user input.
func (d *Dialect) KillSQL(id int64) string {
	return "KILL CONNECTION " + strconv.FormatInt(id, 10)
}

// AutoIncKeysSQL is the query that returns, on the current session, the
// server's auto-increment lock mode and the step between keys (MySQL and
// MariaDB: innodb_autoinc_lock_mode and auto_increment_increment, which
// Galera manages and a session may change), as columns lock_mode and step.
func (d *Dialect) AutoIncKeysSQL() string {
	return "SELECT @@GLOBAL.innodb_autoinc_lock_mode AS lock_mode, @@SESSION.auto_increment_increment AS step"
}

// SteppedKeys reports whether an auto-increment lock mode read by
// AutoIncKeysSQL promises one multi-row INSERT stepped keys (first,
// first+step, …): 0 (traditional) and 1 (consecutive) do, 2 (interleaved)
// does not.
func (d *Dialect) SteppedKeys(lockMode int64) bool { return lockMode <= 1 }
