package dialect

// WriteLimit reports whether UPDATE and DELETE take ORDER BY and LIMIT
// (MySQL, MariaDB). SQLite has them only when built with
// SQLITE_ENABLE_UPDATE_DELETE_LIMIT, which modernc.org/sqlite is not;
// PostgreSQL has none.
func (d *Dialect) WriteLimit() bool { return d.writeLimit }

// WriteWith reports whether a WITH clause may precede UPDATE and DELETE
// (PostgreSQL, SQLite, MySQL 8; MariaDB accepts WITH only in SELECT,
// subqueries included, and in INSERT … SELECT).
func (d *Dialect) WriteWith() bool { return d.writeWith }

// Replace returns the statement head that inserts a row after deleting any
// row it collides with on a unique key — "REPLACE INTO" on MySQL and
// MariaDB, "INSERT OR REPLACE INTO" on SQLite — or "" where there is none
// (PostgreSQL).
func (d *Dialect) Replace() string { return d.replace }

// LockOf reports whether a row lock can name the tables whose rows it locks
// (FOR UPDATE OF t): PostgreSQL and MySQL 8, not MariaDB.
func (d *Dialect) LockOf() bool { return d.lockOf }

// NoKeyUpdateLock reports whether SELECT … FOR NO KEY UPDATE exists
// (PostgreSQL only): a lock for update that does not block inserts of rows
// referring to the locked ones.
func (d *Dialect) NoKeyUpdateLock() bool { return d.noKeyUpdate }

// UpsertSelectWhere reports whether the SELECT of INSERT … SELECT … ON
// CONFLICT needs a WHERE clause (SQLite's parser would read the ON as a
// join's otherwise; wren writes WHERE 1 when the query has none).
func (d *Dialect) UpsertSelectWhere() bool { return d == SQLite }
