#!/usr/bin/env bash
# A private three-node MariaDB Galera cluster on loopback ports, for the
# tests of wren on a synchronous multi-primary cluster (certification
# conflicts, Create's keys, a node lost mid-run). It never touches the shared
# server on 3306 nor the one .ci/mariadb-limited.sh runs on 3307.
#
#   bash .ci/galera.sh [start]   start the nodes that are down (idempotent):
#                                the first one bootstraps the cluster when no
#                                node runs, the others join one at a time
#                                until Synced; print export lines
#   bash .ci/galera.sh stop      stop every node (clean shutdown)
#   bash .ci/galera.sh kill N    SIGKILL node N (0, 1 or 2): a crash
#   bash .ci/galera.sh clean     stop every node and delete the data
#
# Ports and places are variables: GALERA_PORTS ("3310 3311 3312", the SQL
# ports), GALERA_GCOMM_BASE (4567: node i listens for group communication on
# base+10i, IST on base+10i+1, SST on base+10i+2), WREN_GALERA_DIR
# (/var/tmp/wren-galera). Logs go to $WREN_GALERA_DIR/node<i>.err. stdout
# carries only the export lines, so `eval "$(bash .ci/galera.sh)"` sets
# WREN_GALERA_DSNS (space-separated DSNs, one per node) and WREN_GALERA_CTL
# (this script, for the test that stops a node).
set -euo pipefail
read -r -a PORTS <<<"${GALERA_PORTS:-3310 3311 3312}"
GCOMM_BASE=${GALERA_GCOMM_BASE:-4567}
DIR=${WREN_GALERA_DIR:-/var/tmp/wren-galera}
N=${#PORTS[@]}

log() { echo "galera: $*" >&2; }

. "$(dirname "$0")/need.sh"

gport() { echo $((GCOMM_BASE + 10 * $1)); }
up() { mysqladmin -h127.0.0.1 -P"${PORTS[$1]}" -uroot --connect-timeout=2 ping >/dev/null 2>&1; }
q() { mysql -h127.0.0.1 -P"${PORTS[$1]}" -uroot -N -B -e "$2" 2>/dev/null; }
status() { q "$1" "SHOW STATUS LIKE '$2'" | awk '{print $2}'; }
pidof_node() { cat "$DIR/node$1/mariadbd.pid" 2>/dev/null || true; }

stop_node() {
  local pid
  pid=$(pidof_node "$1")
  if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 1 120); do kill -0 "$pid" 2>/dev/null || return 0; sleep 0.25; done
    kill -KILL "$pid" 2>/dev/null || true
  fi
}

case "${1:-start}" in
stop | clean)
  # The last node to leave is the one that may bootstrap next time.
  for ((i = N - 1; i >= 0; i--)); do stop_node "$i"; done
  [ "$1" = clean ] && rm -rf "$DIR"
  exit 0
  ;;
kill)
  pid=$(pidof_node "${2:?node number}")
  [ -n "$pid" ] && kill -KILL "$pid" 2>/dev/null || true
  exit 0
  ;;
start) ;;
*)
  echo "usage: $0 [start|stop|kill N|clean]" >&2
  exit 2
  ;;
esac

need mariadb-server mariadb-client galera-4 rsync

mkdir -p "$DIR"
chown mysql:mysql "$DIR"
addrs=""
for ((i = 0; i < N; i++)); do addrs+="${addrs:+,}127.0.0.1:$(gport "$i")"; done

write_cnf() {
  local i=$1 g
  g=$(gport "$i")
  cat >"$DIR/node$i.cnf" <<EOF
[mariadbd]
datadir = $DIR/node$i/data
port = ${PORTS[$i]}
bind-address = 127.0.0.1
socket = $DIR/node$i/sock
pid-file = $DIR/node$i/mariadbd.pid
log-error = $DIR/node$i.err
user = mysql
skip-name-resolve
binlog_format = ROW
default_storage_engine = InnoDB
innodb_autoinc_lock_mode = 2
innodb_buffer_pool_size = 32M
innodb_log_file_size = 16M
max_connections = 80
wsrep_on = ON
wsrep_provider = /usr/lib/galera/libgalera_smm.so
wsrep_cluster_name = wren_galera
wsrep_cluster_address = gcomm://$addrs
wsrep_node_name = node$i
wsrep_node_address = 127.0.0.1:$g
wsrep_provider_options = "gmcast.listen_addr=tcp://127.0.0.1:$g;ist.recv_addr=127.0.0.1:$((g + 1));gcache.size=32M"
wsrep_sst_method = rsync
wsrep_sst_receive_address = 127.0.0.1:$((g + 2))
EOF
}

start_node() { # node, extra mariadbd arguments
  local i=$1
  shift
  write_cnf "$i"
  if [ ! -d "$DIR/node$i/data/mysql" ]; then
    rm -rf "$DIR/node$i"
    mkdir -p "$DIR/node$i"
    chown mysql:mysql "$DIR/node$i"
    mariadb-install-db --no-defaults --user=mysql --datadir="$DIR/node$i/data" \
      --auth-root-authentication-method=normal --skip-test-db >"$DIR/node$i.install.log" 2>&1
  fi
  log "starting node$i on ${PORTS[$i]} $*"
  start-stop-daemon --start --background --chuid mysql --pidfile "$DIR/node$i/mariadbd.pid" \
    --exec /usr/sbin/mariadbd -- --defaults-file="$DIR/node$i.cnf" "$@"
}

wait_synced() { # node, seconds
  local i=$1
  for _ in $(seq 1 $(($2 * 4))); do
    if up "$i" && [ "$(status "$i" wsrep_local_state_comment)" = Synced ]; then return 0; fi
    sleep 0.25
  done
  log "node$i is not Synced after $2 s; see $DIR/node$i.err"
  return 1
}

any_up=no
for ((i = 0; i < N; i++)); do up "$i" && any_up=yes; done

for ((i = 0; i < N; i++)); do
  up "$i" && continue
  if [ $any_up = no ]; then
    # No node runs: this one starts a new cluster from its own data.
    [ -f "$DIR/node$i/data/grastate.dat" ] &&
      sed -i 's/^safe_to_bootstrap: 0/safe_to_bootstrap: 1/' "$DIR/node$i/data/grastate.dat"
    start_node "$i" --wsrep-new-cluster
    any_up=yes
  else
    start_node "$i"
  fi
  wait_synced "$i" 180
done

size=$(status 0 wsrep_cluster_size)
[ "$size" = "$N" ] || { log "wsrep_cluster_size is $size, want $N"; exit 1; }

dsns=""
for ((i = 0; i < N; i++)); do dsns+="${dsns:+ }root@tcp(127.0.0.1:${PORTS[$i]})/"; done
echo "export WREN_GALERA_DSNS='$dsns'"
echo "export WREN_GALERA_CTL='$(cd "$(dirname "$0")" && pwd)/galera.sh'"
