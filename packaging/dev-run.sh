#!/usr/bin/env bash
# The README's "run it" command: installs the Debian packages, builds, and runs
# in the foreground, on this machine:
#   - a local throwaway PostgreSQL (the central database), schema installed;
#   - ib-recorder on its built-in simulated feed (development environment:
#     status page on http://127.0.0.1:8102/);
#   - ib-sync replicating the recorder's catalog into that PostgreSQL.
# Ctrl-C stops everything it started and removes the throwaway database.
# Options (environment): IBR_SKIP_APT=1, IBR_STORAGE (default /tmp/ib-recorder-demo),
# IB_STREAM_RECORDER_PORT (default 8102).
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
cd "$here"
[ "${IBR_SKIP_APT:-0}" = 1 ] || ./packaging/install-build-deps.sh
echo "building (first time: a few minutes)..."
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_UNITY_BUILD=ON -DCMAKE_UNITY_BUILD_BATCH_SIZE=0 >/dev/null
ninja -C build ib-recorder ib-sync >/dev/null

storage=${IBR_STORAGE:-/tmp/ib-recorder-demo}
port=${IB_STREAM_RECORDER_PORT:-8102}
mkdir -p "$storage"
pids=()
pg_dir=""
stop_all() {
  trap - INT TERM EXIT
  echo; echo "stopping..."
  for p in "${pids[@]}"; do kill -TERM "$p" 2>/dev/null || true; done
  for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
  [ -n "$pg_dir" ] && bash tests/pg/pg_server.sh stop "$pg_dir" >/dev/null 2>&1 || true
  echo "stopped; the recorded files stay in $storage"
}
trap stop_all INT TERM EXIT

eval "$(bash tests/pg/pg_server.sh start)"
pg_dir=$IBR_TEST_PG_DIR
./build/sync/ib-sync init-schema --dsn "$IBR_TEST_PG_DSN" >/dev/null

export IB_STREAM_ENVIRONMENT=development
export IB_STREAM_STORAGE_PATH=$storage
export IB_STREAM_RECORDER_PORT=$port
export IB_STREAM_TRACKED_CONTRACTS="711280073:MNQ:bid_ask;last;mid_point:24,265598:AAPL:bid_ask;last:24"
export IB_STREAM_SEAL_GRACE_SECONDS=60
./build/recorder/ib-recorder run --source sim &
pids+=($!)
./build/sync/ib-sync run --storage "$storage" --dsn "$IBR_TEST_PG_DSN" &
pids+=($!)

for _ in $(seq 1 100); do curl -fsS "http://127.0.0.1:$port/health" >/dev/null 2>&1 && break; sleep 0.1; done
psql_dsn=$(echo "$IBR_TEST_PG_DSN" | sed 's/password=[^ ]*/password=***/')
cat <<MSG

ib-recorder is recording a simulated feed for 711280073 (MNQ) and 265598 (AAPL).
  status page:   http://127.0.0.1:$port/
  health:        curl http://127.0.0.1:$port/health
  last minute:   curl 'http://127.0.0.1:$port/v2/historical/265598/relative?period=1m&format=ndjson'
  files:         $storage/protobuf   catalog: $storage/metadata/catalog.sqlite
  central SQL:   psql "$IBR_TEST_PG_DSN" -c "SELECT * FROM servers_at(265598, now())"
                 (database: $psql_dsn)
Ctrl-C stops everything.
MSG
wait -n "${pids[@]}" || true
echo "a process exited; stopping the rest"
