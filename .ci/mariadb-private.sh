#!/usr/bin/env bash
# Starts or stops a private MariaDB from Debian's package, for tests and
# benchmarks that need a server configured unlike the shared one on 3306
# (which is never touched):
#
#   mariadb-private.sh start DIR PORT [mariadbd options…]   # prints the DSN
#   mariadb-private.sh stop DIR                             # stops it, removes DIR
#
# The server listens on 127.0.0.1:PORT only, keeps its files in DIR, and
# runs until stopped; start does nothing but print the DSN when one answers
# on PORT already.
set -euo pipefail
cmd=$1 DIR=$2
if [ "$cmd" = stop ]; then
  if [ -f "$DIR/pid" ]; then
    pid=$(cat "$DIR/pid")
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 1 60); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
  fi
  rm -rf "$DIR"
  exit 0
fi
PORT=$3
shift 3
if ! mysqladmin -h127.0.0.1 -P"$PORT" -uroot ping >/dev/null 2>&1; then
  rm -rf "$DIR"; mkdir -p "$DIR"; chown mysql:mysql "$DIR"
  mariadb-install-db --no-defaults --user=mysql --datadir="$DIR/data" \
    --auth-root-authentication-method=normal --skip-test-db >"$DIR/install.log" 2>&1
  start-stop-daemon --start --background --make-pidfile --pidfile "$DIR/pid" --chuid mysql \
    --exec /usr/sbin/mariadbd -- --no-defaults --datadir="$DIR/data" --port="$PORT" \
    --bind-address=127.0.0.1 --socket="$DIR/sock" --pid-file="$DIR/mariadbd.pid" \
    --skip-log-bin --log-error="$DIR/error.log" "$@"
  for _ in $(seq 1 60); do
    mysqladmin -h127.0.0.1 -P"$PORT" -uroot ping >/dev/null 2>&1 && break
    sleep 0.5
  done
fi
mysqladmin -h127.0.0.1 -P"$PORT" -uroot ping >/dev/null
echo "root@tcp(127.0.0.1:$PORT)/"
