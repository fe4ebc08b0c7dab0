#!/usr/bin/env bash
# kill -9 in the middle of an ingest: no query returns a damaged tick,
# verify --repair recovers, and a following verify exits 0.
set -euo pipefail
BIN=${IBR_BIN:?}/recorder/ib-recorder
PY=/usr/bin/python3
source "$(dirname "$0")/lib/recorder.sh"
make_workdir
LOG=$work/ingest.log
S=$work/store
committed() {
  [ -f "$S/metadata/catalog.sqlite" ] &&
    [ "$(sqlite3 "file:$S/metadata/catalog.sqlite?mode=ro" 'select count(*) from tick_files' 2>/dev/null || echo 0)" -gt 0 ]
}
"$BIN" simulate --contracts 711280073:MNQ,265598:AAPL,42:XYZ --rate 5000 --start 2025-03-10T13:00:00Z \
  --duration 2m --seed 3 > "$work/in.ndjson"
for attempt in 1 2 3; do
  rm -rf "$S"
  "$BIN" ingest --storage "$S" "$work/in.ndjson" > /dev/null 2>"$LOG" &
  pid=$!
  pids+=("$pid")
  # Wait until the first group commit is in the catalog, then kill without warning at a
  # random point after it (the random delay picks where the crash lands; it waits for nothing).
  wait_for "the ingest's first group commit in the catalog" committed
  sleep 0.$((RANDOM % 5))
  kill -9 $pid 2>/dev/null || true
  wait $pid 2>/dev/null || true
  # Readers are safe on the crashed store: whole ticks only, parseable NDJSON.
  "$BIN" query --storage "$S" --contract 711280073 --tick-types bid_ask,last,all_last,mid_point \
    --start 2025-03-10T00:00:00Z --end 2025-03-11T00:00:00Z > "$work/q.ndjson"
  /usr/bin/python3 -c '
import json, sys
for l in open(sys.argv[1]):
    m = json.loads(l); assert m["type"] == "tick" and m["data"]["contract_id"] == 711280073
' "$work/q.ndjson"
  set +e; "$BIN" verify --storage "$S" > "$work/v1" 2>&1; rc=$?; set -e
  [ $rc = 0 ] || [ $rc = 1 ] || { echo "verify exit $rc"; cat "$work/v1"; exit 1; }
  "$BIN" verify --repair --storage "$S" > "$work/v2" 2>&1 || { cat "$work/v2"; exit 1; }
  "$BIN" verify --storage "$S" > "$work/v3" 2>&1 || { echo "verify after repair:"; cat "$work/v3"; exit 1; }
  n=$(wc -l < "$work/q.ndjson")
  "$BIN" query --storage "$S" --contract 711280073 --tick-types bid_ask,last,all_last,mid_point \
    --start 2025-03-10T00:00:00Z --end 2025-03-11T00:00:00Z > "$work/q2.ndjson"
  m=$(wc -l < "$work/q2.ndjson")
  [ "$m" -ge "$n" ] && [ "$m" -gt 0 ] || { echo "after repair $m ticks, before $n"; exit 1; }
  echo "attempt $attempt: killed mid-ingest, $n ticks readable before repair, $m after, consistent"
done
echo "kill during ingest: 1 passed, 0 failed"
