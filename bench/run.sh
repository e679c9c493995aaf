#!/usr/bin/env bash
# Runs every benchmark against the local PostgreSQL, MariaDB and SQLite,
# several times with contenders alternating round by round, and prints the
# comparison tables (medians, client CPU, ratios to the best hand-written
# baseline) once per durability mode.
#
#   bash bench/run.sh                          # COUNT=5 BENCHTIME=300ms DURABILITY=on
#   DURABILITY="on off" bash bench/run.sh      # both modes, rounds interleaved
#   BENCH='Read|BulkInsert' bash bench/run.sh  # a subset of the workloads
#
# BulkInsert runs for BULKTIME (2s by default) instead of BENCHTIME: one of
# its operations takes up to a tenth of a second, and a few per round would
# leave its medians to chance.
#
# Raw results go to $OUT-<mode>.txt (OUT=results by default).
set -euo pipefail
cd "$(dirname "$0")"
COUNT=${COUNT:-5}
BENCHTIME=${BENCHTIME:-300ms}
BULKTIME=${BULKTIME:-2s}
DURABILITY=${DURABILITY:-on}
BENCH=${BENCH:-.}
OUT=${OUT:-results}
for mode in $DURABILITY; do
  case $mode in
    on|off) ;;
    *) echo "DURABILITY: unknown mode $mode (want on and/or off)" >&2; exit 2 ;;
  esac
done
psql -h 127.0.0.1 -U postgres -tAc "SELECT 1 FROM pg_database WHERE datname = 'wren_bench'" | grep -q 1 \
  || psql -h 127.0.0.1 -U postgres -qc "CREATE DATABASE wren_bench"
mysql -h127.0.0.1 -uroot -e "CREATE DATABASE IF NOT EXISTS wren_bench"
# MariaDB's flushing at commit is global and the shared server must keep
# it: durability off runs on a private server on port 3308 that does not
# flush (mariadb-nosync.sh), unless WREN_BENCH_MYSQL_OFF_DSN names one.
cleanup() { rm -f bench.test; }
if [[ " $DURABILITY " == *" off "* && -z "${WREN_BENCH_MYSQL_OFF_DSN:-}" ]]; then
  WREN_BENCH_MYSQL_OFF_DSN=$(bash ./mariadb-nosync.sh)
  export WREN_BENCH_MYSQL_OFF_DSN
  cleanup() { rm -f bench.test; bash ./mariadb-nosync.sh stop; }
fi
trap cleanup EXIT
for mode in $DURABILITY; do
  : > "$OUT-$mode.txt"
done
# One process per round and mode, each running every contender once per
# workload, so that contenders alternate round by round (go test -count N
# would run each sub-benchmark N times in a row); with two modes the
# rounds of each alternate too. WREN_BENCH_ROUND rotates the contenders'
# order from round to round, so that none always runs first or last.
go test -c -o bench.test .
for i in $(seq 1 "$COUNT"); do
  for mode in $DURABILITY; do
    echo "== round $i, durability $mode ($(uptime | sed 's/.*load average/load average/'))" >&2
    echo "# round $i: $(date -u +%H:%M:%S) UTC, $(uptime | sed 's/.*load average/load average/')" >> "$OUT-$mode.txt"
    WREN_BENCH_ROUND=$i WREN_BENCH_DURABILITY=$mode ./bench.test -test.run '^$' -test.bench "$BENCH" -test.benchmem \
      -test.skip '^BenchmarkBulkInsert$' -test.benchtime "$BENCHTIME" -test.timeout 60m | tee -a "$OUT-$mode.txt"
    if [[ BenchmarkBulkInsert =~ $BENCH ]]; then
      WREN_BENCH_ROUND=$i WREN_BENCH_DURABILITY=$mode ./bench.test -test.run '^$' -test.bench '^BenchmarkBulkInsert$' -test.benchmem \
        -test.benchtime "$BULKTIME" -test.timeout 60m | grep -v '^\(PASS\|ok\|goos\|goarch\|pkg\|cpu\)' | tee -a "$OUT-$mode.txt"
    fi
  done
done
for mode in $DURABILITY; do
  echo
  go run ./cmd/report -title "Durability $mode (COUNT=$COUNT, BENCHTIME=$BENCHTIME, BulkInsert $BULKTIME)" < "$OUT-$mode.txt"
done
