#!/usr/bin/env bash
# Runs every benchmark against the local PostgreSQL, MariaDB and SQLite,
# several times with contenders alternating round by round, and prints the
# comparison table (medians and ratios to the hand-written baseline).
#
#   bash bench/run.sh            # COUNT=5 BENCHTIME=300ms by default
set -euo pipefail
cd "$(dirname "$0")"
COUNT=${COUNT:-5}
BENCHTIME=${BENCHTIME:-300ms}
psql -h 127.0.0.1 -U postgres -tAc "SELECT 1 FROM pg_database WHERE datname = 'wren_bench'" | grep -q 1 \
  || psql -h 127.0.0.1 -U postgres -qc "CREATE DATABASE wren_bench"
mysql -h127.0.0.1 -uroot -e "CREATE DATABASE IF NOT EXISTS wren_bench"
out=${OUT:-results.txt}
: > "$out"
# One process per round, each running every contender once per workload,
# so that contenders alternate round by round (go test -count N would run
# each sub-benchmark N times in a row).
go test -c -o bench.test .
for i in $(seq 1 "$COUNT"); do
  echo "== round $i" >&2
  ./bench.test -test.run '^$' -test.bench . -test.benchmem -test.benchtime "$BENCHTIME" -test.timeout 60m | tee -a "$out"
done
rm -f bench.test
go run ./cmd/report < "$out"
