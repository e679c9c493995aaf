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
  exec bash "$(dirname "$0")/mariadb-private.sh" stop "$DIR"
fi
exec bash "$(dirname "$0")/mariadb-private.sh" start "$DIR" "$PORT" \
  --max-prepared-stmt-count=40 --innodb-buffer-pool-size=32M
