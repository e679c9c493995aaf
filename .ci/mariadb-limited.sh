#!/usr/bin/env bash
# Starts a private MariaDB on 127.0.0.1:${PORT:-3307} whose server-wide limit
# on prepared statements is tiny (max_prepared_stmt_count=40), for the test
# of what wren does when the server refuses to prepare (error 1461). It never
# touches the shared server on 3306. Prints the DSN on stdout; the server
# runs until `$0 stop`.
set -euo pipefail
PORT=${PORT:-3307}
DIR=${WREN_LIMITED_DIR:-/tmp/wren-mariadb-limited}
if [ "${1:-}" = stop ]; then
  if [ -f "$DIR/pid" ]; then kill "$(cat "$DIR/pid")" 2>/dev/null || true; fi
  exit 0
fi
if ! mysqladmin -h127.0.0.1 -P"$PORT" -uroot ping >/dev/null 2>&1; then
  rm -rf "$DIR"; mkdir -p "$DIR"; chown mysql:mysql "$DIR"
  mariadb-install-db --no-defaults --user=mysql --datadir="$DIR/data" \
    --auth-root-authentication-method=normal --skip-test-db >"$DIR/install.log" 2>&1
  start-stop-daemon --start --background --make-pidfile --pidfile "$DIR/pid" --chuid mysql \
    --exec /usr/sbin/mariadbd -- --no-defaults --datadir="$DIR/data" --port="$PORT" \
    --bind-address=127.0.0.1 --socket="$DIR/sock" --pid-file="$DIR/mariadbd.pid" \
    --max-prepared-stmt-count=40 --skip-log-bin --innodb-buffer-pool-size=32M \
    --log-error="$DIR/error.log"
  for _ in $(seq 1 60); do
    mysqladmin -h127.0.0.1 -P"$PORT" -uroot ping >/dev/null 2>&1 && break
    sleep 0.5
  done
fi
mysqladmin -h127.0.0.1 -P"$PORT" -uroot ping >/dev/null
echo "root@tcp(127.0.0.1:$PORT)/"
