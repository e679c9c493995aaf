#!/usr/bin/env bash
# Starts a private MariaDB on 127.0.0.1:${PORT:-3308} for the benchmark's
# durability-off runs: the shared server on 3306 flushes its log at every
# commit (innodb_flush_log_at_trx_commit=1), a global setting the benchmark
# must not change. This one is configured as the shared server is (the
# Debian package's defaults: utf8mb4, a 128 MiB buffer pool, no binary log)
# but for innodb_flush_log_at_trx_commit=0, as PostgreSQL's
# synchronous_commit=off and SQLite's synchronous=OFF are. It never touches
# the shared server. Prints the DSN on stdout; the server runs until
# `$0 stop`, which also removes its files.
set -euo pipefail
PORT=${PORT:-3308}
DIR=${WREN_NOSYNC_DIR:-/tmp/wren-mariadb-nosync}
if [ "${1:-}" = stop ]; then
  if [ -f "$DIR/pid" ]; then
    pid=$(cat "$DIR/pid")
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 1 60); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
  fi
  rm -rf "$DIR"
  exit 0
fi
if ! mysqladmin -h127.0.0.1 -P"$PORT" -uroot ping >/dev/null 2>&1; then
  rm -rf "$DIR"; mkdir -p "$DIR"; chown mysql:mysql "$DIR"
  mariadb-install-db --no-defaults --user=mysql --datadir="$DIR/data" \
    --auth-root-authentication-method=normal --skip-test-db >"$DIR/install.log" 2>&1
  start-stop-daemon --start --background --make-pidfile --pidfile "$DIR/pid" --chuid mysql \
    --exec /usr/sbin/mariadbd -- --no-defaults --datadir="$DIR/data" --port="$PORT" \
    --bind-address=127.0.0.1 --socket="$DIR/sock" --pid-file="$DIR/mariadbd.pid" \
    --character-set-server=utf8mb4 --collation-server=utf8mb4_general_ci \
    --skip-log-bin --innodb-buffer-pool-size=128M --innodb-log-file-size=96M \
    --innodb-autoinc-lock-mode=1 --innodb-flush-log-at-trx-commit=0 \
    --log-error="$DIR/error.log"
  for _ in $(seq 1 60); do
    mysqladmin -h127.0.0.1 -P"$PORT" -uroot ping >/dev/null 2>&1 && break
    sleep 0.5
  done
fi
mysqladmin -h127.0.0.1 -P"$PORT" -uroot ping >/dev/null
mysql -h127.0.0.1 -P"$PORT" -uroot -e "CREATE DATABASE IF NOT EXISTS wren_bench"
echo "root@tcp(127.0.0.1:$PORT)/wren_bench?parseTime=true"
