#!/usr/bin/env bash
# Runs every benchmark once against the three databases so the suite never
# rots. It asserts nothing about time.
set -euo pipefail
cd "$(dirname "$0")"
psql -h 127.0.0.1 -U postgres -tAc "SELECT 1 FROM pg_database WHERE datname = 'wren_bench'" | grep -q 1 \
  || psql -h 127.0.0.1 -U postgres -qc "CREATE DATABASE wren_bench"
mysql -h127.0.0.1 -uroot -e "CREATE DATABASE IF NOT EXISTS wren_bench"
go vet ./...
go test ./cmd/report
go test -run '^$' -bench . -benchmem -benchtime=1x ./...
# Durability off, on the private MariaDB that run.sh uses for it: the
# settings each database reports are checked at setup.
WREN_BENCH_MYSQL_OFF_DSN=$(bash ./mariadb-nosync.sh)
trap 'bash ./mariadb-nosync.sh stop' EXIT
WREN_BENCH_MYSQL_OFF_DSN=$WREN_BENCH_MYSQL_OFF_DSN WREN_BENCH_DURABILITY=off \
  go test -run '^$' -bench '^Benchmark(Insert|Update|Read)$' -benchmem -benchtime=1x .
