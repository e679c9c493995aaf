package dialect

import "fmt"

// NodeStateSQL is the query a cluster handle (wren.Cluster) runs on each of
// its servers to learn its state, as three columns:
//
//	writable  1 when the server takes writes: on PostgreSQL a server that
//	          is not in recovery (a hot standby is); on MySQL/MariaDB one
//	          whose read_only is off
//	ready     1 when it serves queries: always on PostgreSQL; on MariaDB
//	          with Galera (wsrep_on) only a node that is Synced and part of
//	          the primary component
//	lsn       PostgreSQL's WAL position as text: the insert position on a
//	          primary, the replayed position on a standby; "" elsewhere
//
// SQLite is one embedded file with nothing to route: it has no such query.
func (d *Dialect) NodeStateSQL() (string, error) {
	switch {
	case d == Postgres:
		return `SELECT CASE WHEN pg_is_in_recovery() THEN 0 ELSE 1 END AS writable, 1 AS ready,
	COALESCE(CASE WHEN pg_is_in_recovery() THEN pg_last_wal_replay_lsn() ELSE pg_current_wal_insert_lsn() END::text, '') AS lsn`, nil
	case d == MariaDB:
		return `SELECT CASE WHEN @@GLOBAL.read_only = 0 THEN 1 ELSE 0 END AS writable,
	CASE WHEN @@GLOBAL.wsrep_on = 0 THEN 1
	     WHEN (SELECT VARIABLE_VALUE FROM information_schema.GLOBAL_STATUS WHERE VARIABLE_NAME = 'WSREP_READY') = 'ON'
	      AND (SELECT VARIABLE_VALUE FROM information_schema.GLOBAL_STATUS WHERE VARIABLE_NAME = 'WSREP_LOCAL_STATE') = '4' THEN 1
	     ELSE 0 END AS ready,
	'' AS lsn`, nil
	case d.IsMySQLFamily():
		// MySQL has no wsrep variables (Galera for MySQL is a fork).
		return "SELECT CASE WHEN @@GLOBAL.read_only = 0 THEN 1 ELSE 0 END AS writable, 1 AS ready, '' AS lsn", nil
	}
	return "", fmt.Errorf("%s has no replicas or cluster nodes to route to", d.name)
}

// ReplayedSQL is the query that returns, on a PostgreSQL standby, the WAL
// position it has replayed (as text), for a read that must see a write
// made on the primary; "" on the other dialects.
func (d *Dialect) ReplayedSQL() string {
	if d == Postgres {
		return "SELECT COALESCE(pg_last_wal_replay_lsn()::text, '')"
	}
	return ""
}

// WritePositionSQL is the query that returns, on a PostgreSQL primary, the
// WAL insert position (as text): once a standby has replayed up to it, it
// has every transaction committed before the query ran. "" on the other
// dialects.
func (d *Dialect) WritePositionSQL() string {
	if d == Postgres {
		return "SELECT pg_current_wal_insert_lsn()::text"
	}
	return ""
}
