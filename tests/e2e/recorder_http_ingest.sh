#!/usr/bin/env bash
# `ib-recorder run --source http`: POST /v2/ingest answers once its ticks are
# durable; kill -9, restart -> the killed session is `failed` and every
# acknowledged tick is still queryable; a second writer on the same root exits
# at once naming the holder; SIGTERM -> the session is `completed`, exit 0;
# a bad setting exits 2 naming the variable.
set -euo pipefail
BIN=${IBR_BIN:?}/recorder/ib-recorder
PY=/usr/bin/python3
work=$(mktemp -d)
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill -9 "$p" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT
S=$work/store
LOG=$work/recorder.log
source "$(dirname "$0")/lib/recorder.sh"
clear_recorder_env
export IB_STREAM_ENVIRONMENT=development IB_STREAM_MIN_FREE_MB=1 IB_STREAM_TRACKED_CONTRACTS=711280073:MNQ:bid_ask\;last

start_recorder() {
  "$BIN" run --storage "$S" --port "$PORT" --source http 2>>"$LOG" &
  pid=$!
  pids+=("$pid")
  wait_for "the recorder's /health" health_is 200
}
sql() { sqlite3 "file:$S/metadata/catalog.sqlite?mode=ro" "$1"; }
json_field() { "$PY" -c 'import json,sys; print(json.load(sys.stdin)[sys.argv[1]])' "$1"; }
count_ticks() {
  local n=0 c
  for c in 711280073 265598; do
    c=$("$BIN" query --storage "$S" --contract "$c" --tick-types bid_ask,last,all_last,mid_point \
      --start "$day_start" --end "$day_end" | wc -l)
    n=$((n + c))
  done
  echo "$n"
}

PORT=$(free_port)
URL=http://127.0.0.1:$PORT

# A bad setting stops start-up with exit 2 and a message naming it.
rc=0
IB_STREAM_SOURCE=bogus "$BIN" run --storage "$S" --port "$PORT" 2>"$work/bad.err" || rc=$?
[ "$rc" = 2 ] || fail "bad IB_STREAM_SOURCE: exit $rc, expected 2"
grep -q "IB_STREAM_SOURCE='bogus' is not valid: expected sse, sim or http" "$work/bad.err" || fail "message: $(cat "$work/bad.err")"
[ ! -e "$S" ] || fail "a refused start created the storage root"

# Input: two hours ago (sealed by the recorder while it runs), plus bad lines.
start=$(date -u -d '-2 hours' +%Y-%m-%dT%H:00:00Z)
day_start=$(date -u -d '-1 day' +%Y-%m-%dT00:00:00Z)
day_end=$(date -u -d '+1 day' +%Y-%m-%dT00:00:00Z)
"$BIN" simulate --contracts 711280073:MNQ,265598:AAPL --rate 400 --start "$start" --duration 90s --seed 7 > "$work/a.ndjson"
{ echo '{"type":"tick"'; echo 'not json'; } >> "$work/a.ndjson"
"$BIN" simulate --contracts 711280073:MNQ --rate 200 --start "$(date -u -d '-10 minutes' +%Y-%m-%dT%H:%M:00Z)" \
  --duration 30s --seed 8 > "$work/b.ndjson"

start_recorder
first=$pid
sql "select status from collection_sessions where id = 1" | grep -qx active || fail "session 1 is not active"
sql "select port from server_instances" | grep -qx "$PORT" || fail "server_instances.port is not $PORT"

# A second writer on the same root is refused at once, naming the holder.
rc=0
timeout "$E2E_TIMEOUT" "$BIN" run --storage "$S" --port "$(free_port)" --source http 2>"$work/second.err" || rc=$?
[ "$rc" = 1 ] || fail "second writer: exit $rc, expected 1"
grep -q "is in use by another writer" "$work/second.err" || fail "second writer message: $(cat "$work/second.err")"
grep -q "$first" "$work/second.err" || fail "second writer message does not name pid $first: $(cat "$work/second.err")"

acked=0
for f in a b; do
  curl -s -o "$work/$f.ack" -w '%{http_code}' -H 'Content-Type: application/x-ndjson' --data-binary "@$work/$f.ndjson" "$URL/v2/ingest" > "$work/$f.code"
  [ "$(cat "$work/$f.code")" = 200 ] || fail "POST $f.ndjson: HTTP $(cat "$work/$f.code") $(cat "$work/$f.ack")"
  n=$(json_field accepted < "$work/$f.ack")
  [ "$n" -gt 0 ] || fail "POST $f.ndjson accepted nothing: $(cat "$work/$f.ack")"
  acked=$((acked + n))
done
[ "$(json_field rejected < "$work/a.ack")" = 2 ] || fail "expected 2 rejects: $(cat "$work/a.ack")"
echo "acknowledged $acked ticks"

# Crash: no warning, no flush, no session close.
kill -9 "$first"
wait "$first" 2>/dev/null || true
start_recorder
[ "$(sql "select status from collection_sessions where id = 1")" = failed ] || fail "session 1 is not failed after kill -9"
[ -n "$(sql "select session_end from collection_sessions where id = 1")" ] || fail "failed session has no end"
[ "$(sql "select status from collection_sessions where id = 2")" = active ] || fail "session 2 is not active"
got=$(count_ticks)
[ "$got" = "$acked" ] || fail "after kill -9 and restart: $got ticks queryable, $acked acknowledged"
echo "after kill -9: session 1 failed, all $got acknowledged ticks queryable"

# SIGTERM: completed, exit 0, within a few seconds.
kill -TERM "$pid"
wait_exit "$pid"
[ "$exit_rc" = 0 ] || fail "exit $exit_rc after SIGTERM"
[ "$(sql "select status || ' ' || termination_reason from collection_sessions where id = 2")" = "completed stopped by SIGTERM" ] ||
  fail "session 2: $(sql "select status, termination_reason from collection_sessions where id = 2")"
grep -q "session 2 completed (stopped by SIGTERM)" "$LOG" || fail "no completion line in the log"
"$BIN" verify --storage "$S" > "$work/verify.out" 2>&1 || { cat "$work/verify.out"; fail "verify after SIGTERM"; }
[ "$(count_ticks)" = "$acked" ] || fail "tick count changed after SIGTERM"
echo "recorder http ingest: 1 passed, 0 failed"
