#!/usr/bin/env bash
# Starts a private MariaDB on 127.0.0.1:${PORT:-3308} for the benchmark's
# durability-off runs: the shared server on 3306 flushes its log at every
# commit (innodb_flush_log_at_trx_commit=1), a global setting the benchmark
# must not change. This one is configured as the shared server is (the
# Debian package's defaults: utf8mb4, a 128 MiB buffer pool, no binary log,
# auto-increment lock mode 1) but for innodb_flush_log_at_trx_commit=0, as
# PostgreSQL's synchronous_commit=off and SQLite's synchronous=OFF are. It
# never touches the shared server. Prints the DSN on stdout; the server runs
# until `$0 stop`, which also removes its files.
set -euo pipefail
PORT=${PORT:-3308}
DIR=${WREN_NOSYNC_DIR:-/tmp/wren-mariadb-nosync}
private="$(dirname "$0")/../.ci/mariadb-private.sh"
if [ "${1:-}" = stop ]; then
  exec bash "$private" stop "$DIR"
fi
dsn=$(bash "$private" start "$DIR" "$PORT" \
  --character-set-server=utf8mb4 --collation-server=utf8mb4_general_ci \
  --innodb-buffer-pool-size=128M --innodb-log-file-size=96M \
  --innodb-autoinc-lock-mode=1 --innodb-flush-log-at-trx-commit=0)
mysql -h127.0.0.1 -P"$PORT" -uroot -e "CREATE DATABASE IF NOT EXISTS wren_bench"
echo "${dsn}wren_bench?parseTime=true"
