#!/usr/bin/env bash
# A private PostgreSQL 15 primary with one hot standby (streaming replication
# through a physical replication slot) on loopback ports, for the tests of
# wren's read/write routing (cluster.go). It never touches the shared server
# on 5432.
#
#   bash .ci/pg-replica.sh [start]   start both (idempotent), wait until the
#                                    standby streams, print export lines
#   bash .ci/pg-replica.sh stop      stop both
#   bash .ci/pg-replica.sh clean     stop both and delete their data
#
# Ports and places are variables: PG_PRIMARY_PORT (5433), PG_STANDBY_PORT
# (5434), WREN_PG_REPL_DIR (/var/tmp/wren-pg-repl). Logs go to
# $WREN_PG_REPL_DIR/{primary,standby}.log. stdout carries only the export
# lines, so `eval "$(bash .ci/pg-replica.sh)"` sets WREN_PG_PRIMARY_DSN and
# WREN_PG_STANDBY_DSN.
set -euo pipefail
PG_PRIMARY_PORT=${PG_PRIMARY_PORT:-5433}
PG_STANDBY_PORT=${PG_STANDBY_PORT:-5434}
DIR=${WREN_PG_REPL_DIR:-/var/tmp/wren-pg-repl}
SLOT=wren_standby

log() { echo "pg-replica: $*" >&2; }

. "$(dirname "$0")/need.sh"

need postgresql-15 postgresql-client-15
BIN=/usr/lib/postgresql/15/bin
as_pg() { runuser -u postgres -- "$@"; }
ready() { "$BIN/pg_isready" -h 127.0.0.1 -p "$1" -q 2>/dev/null; }
psql_at() { "$BIN/psql" -h 127.0.0.1 -p "$1" -U postgres -d postgres -XtAq -v ON_ERROR_STOP=1 -c "$2"; }

stop_one() { # data dir
  if [ -f "$1/postmaster.pid" ]; then
    as_pg "$BIN/pg_ctl" -D "$1" -m fast -w -t 60 stop >&2 || true
  fi
}

case "${1:-start}" in
stop)
  stop_one "$DIR/standby"
  stop_one "$DIR/primary"
  exit 0
  ;;
clean)
  stop_one "$DIR/standby"
  stop_one "$DIR/primary"
  rm -rf "$DIR"
  exit 0
  ;;
start) ;;
*)
  echo "usage: $0 [start|stop|clean]" >&2
  exit 2
  ;;
esac

mkdir -p "$DIR"
chown postgres:postgres "$DIR"

# The primary.
if ! ready "$PG_PRIMARY_PORT"; then
  if [ ! -f "$DIR/primary/PG_VERSION" ]; then
    log "initdb $DIR/primary"
    rm -rf "$DIR/primary" "$DIR/standby"
    as_pg "$BIN/initdb" -D "$DIR/primary" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >"$DIR/initdb.log" 2>&1
    cat >>"$DIR/primary/postgresql.conf" <<EOF
port = $PG_PRIMARY_PORT
listen_addresses = '127.0.0.1'
unix_socket_directories = '$DIR'
wal_level = replica
max_wal_senders = 4
max_replication_slots = 4
hot_standby = on
hot_standby_feedback = on
shared_buffers = 32MB
max_connections = 60
EOF
  fi
  log "starting the primary on $PG_PRIMARY_PORT"
  as_pg "$BIN/pg_ctl" -D "$DIR/primary" -l "$DIR/primary.log" -w -t 60 start >&2
fi
ready "$PG_PRIMARY_PORT" || { log "the primary did not start; see $DIR/primary.log"; exit 1; }

# The standby: a base backup of the primary that follows it through a slot.
if ! ready "$PG_STANDBY_PORT"; then
  if [ ! -f "$DIR/standby/standby.signal" ]; then
    rm -rf "$DIR/standby"
    psql_at "$PG_PRIMARY_PORT" "SELECT pg_create_physical_replication_slot('$SLOT') WHERE NOT EXISTS (SELECT 1 FROM pg_replication_slots WHERE slot_name = '$SLOT')" >/dev/null
    log "pg_basebackup into $DIR/standby"
    as_pg "$BIN/pg_basebackup" -h 127.0.0.1 -p "$PG_PRIMARY_PORT" -U postgres -D "$DIR/standby" \
      -R -X stream -S "$SLOT" >"$DIR/basebackup.log" 2>&1
    # The copied postgresql.conf says the primary's port; the later setting wins.
    echo "port = $PG_STANDBY_PORT" >>"$DIR/standby/postgresql.auto.conf"
    chown postgres:postgres "$DIR/standby/postgresql.auto.conf"
  fi
  log "starting the standby on $PG_STANDBY_PORT"
  as_pg "$BIN/pg_ctl" -D "$DIR/standby" -l "$DIR/standby.log" -w -t 60 start >&2
fi
ready "$PG_STANDBY_PORT" || { log "the standby did not start; see $DIR/standby.log"; exit 1; }

# Ready means: the standby is in recovery and the primary sees it streaming.
for _ in $(seq 1 120); do
  if [ "$(psql_at "$PG_STANDBY_PORT" "SELECT pg_is_in_recovery()" 2>/dev/null)" = t ] &&
    [ "$(psql_at "$PG_PRIMARY_PORT" "SELECT count(*) FROM pg_stat_replication WHERE state = 'streaming'" 2>/dev/null)" -ge 1 ]; then
    break
  fi
  sleep 0.5
done
[ "$(psql_at "$PG_PRIMARY_PORT" "SELECT count(*) FROM pg_stat_replication WHERE state = 'streaming'")" -ge 1 ] \
  || { log "the standby does not stream; see $DIR/standby.log"; exit 1; }

psql_at "$PG_PRIMARY_PORT" "SELECT 1 FROM pg_database WHERE datname = 'wren_test'" | grep -q 1 \
  || psql_at "$PG_PRIMARY_PORT" "CREATE DATABASE wren_test"
# The new database reaches the standby through the WAL: wait for it.
for _ in $(seq 1 60); do
  psql_at "$PG_STANDBY_PORT" "SELECT 1 FROM pg_database WHERE datname = 'wren_test'" 2>/dev/null | grep -q 1 && break
  sleep 0.25
done

echo "export WREN_PG_PRIMARY_DSN='postgres://postgres@127.0.0.1:$PG_PRIMARY_PORT/wren_test?sslmode=disable'"
echo "export WREN_PG_STANDBY_DSN='postgres://postgres@127.0.0.1:$PG_STANDBY_PORT/wren_test?sslmode=disable'"
