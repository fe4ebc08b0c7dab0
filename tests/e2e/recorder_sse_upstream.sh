#!/usr/bin/env bash
# The real binaries as an operator runs them: `ib-recorder simulate --serve` as the upstream
# ib-stream server, `ib-recorder run --source sse` recording 2 tracked contracts from it.
# Every route of the HTTP API is called and checked (status codes, key fields; 404 for an
# unknown contract, 400 for a bad parameter); the upstream is killed and restarted -> an
# outage row in the catalog and ticks resume; SIGTERM -> open SSE streams end with
# `complete`, the session is `completed`, exit 0; `ib-recorder verify` passes after.
# Every check that depends on something having happened waits for it (lib: wait_for, get_when,
# sse_until) with a deadline, never a fixed time: a loaded machine only makes it slower.
set -euo pipefail
BIN=${IBR_BIN:?}/recorder/ib-recorder
PY=/usr/bin/python3
command -v jq >/dev/null || { echo "FAIL: jq is needed (packaging/debian-packages.txt)"; exit 1; }
command -v sqlite3 >/dev/null || { echo "FAIL: sqlite3 is needed (packaging/debian-packages.txt)"; exit 1; }
source "$(dirname "$0")/lib/recorder.sh"
make_workdir
S=$work/store
LOG=$work/recorder.log
UPLOG=$work/upstream.log
unset IB_STREAM_STORAGE_PATH IB_STREAM_SOURCE IB_STREAM_API_KEY IB_STREAM_RECORDER_BIND IB_STREAM_INSTANCE_NAME \
  IB_STREAM_UPSTREAM_URL PORT || true
MNQ=711280073
AAPL=265598
export IB_STREAM_ENVIRONMENT=development IB_STREAM_MIN_FREE_MB=1 IB_STREAM_RECONNECT_DELAY=0.1 \
  IB_STREAM_FSYNC_INTERVAL_MS=100 IB_STREAM_TRACKED_CONTRACTS="$MNQ:MNQ:bid_ask;last:1,$AAPL:AAPL:bid_ask;last:1"

sql() { sqlite3 "file:$S/metadata/catalog.sqlite?mode=ro" "$1"; }
# get PATH [CODE]: GET $URL$PATH into $work/body, failing unless the answer is HTTP CODE (default 200).
get() {
  local code
  code=$(curl -s -o "$work/body" -w '%{http_code}' "$URL$1")
  [ "$code" = "${2:-200}" ] || fail "GET $1: HTTP $code, expected ${2:-200}: $(head -c 400 "$work/body")"
}
# jq_true FILTER: the last body satisfies the jq filter.
jq_true() { jq -e "$1" "$work/body" >/dev/null || fail "body does not satisfy '$1': $(head -c 600 "$work/body")"; }
stored_ticks() { curl -s -m 10 "$URL/metrics" | awk '/^ib_recorder_ticks_stored_total\{/ {n += $2} END {print n + 0}'; }
more_ticks_than() { [ "$(stored_ticks)" -gt "$1" ]; }
# True once ticks of contract $1, tick type $2 are queryable (not merely counted: a stored tick
# is readable after the writer's next group commit). The metric lists every tracked stream from
# the start, with 0, so its presence says nothing.
queryable() { answers "/v2/historical/$1/relative?period=10m&tick_type=$2&format=json&limit=1" '.count > 0'; }

# The upstream serves once a stream request stays open (curl's own timeout, exit 28, not an answer).
upstream_up() {
  local rc=0
  curl -s -o /dev/null --max-time 0.5 "http://127.0.0.1:$UP_PORT/v2/stream/$MNQ?tick_types=last" || rc=$?
  [ "$rc" -eq 28 ]
}

UP_PORT=$(free_port)
PORT=$(free_port)
URL=http://127.0.0.1:$PORT

"$BIN" simulate --serve "127.0.0.1:$UP_PORT" --contracts "$MNQ:MNQ,$AAPL:AAPL" --rate 50 --seed 3 2>>"$UPLOG" &
up_pid=$!
pids+=("$up_pid")
wait_for "the upstream to serve" upstream_up

"$BIN" run --storage "$S" --port "$PORT" --source sse --upstream "http://127.0.0.1:$UP_PORT" 2>>"$LOG" &
pid=$!
pids+=("$pid")
wait_for "the recorder's /health" health_is 200
for c in "$MNQ" "$AAPL"; do
  for tt in bid_ask last; do wait_for "queryable $tt ticks of $c" queryable "$c" "$tt"; done
done
[ "$(sql "select status from collection_sessions where id = 1")" = active ] || fail "session 1 is not active"
[ "$(sql "select count(*) from contracts where tracked = 1")" = 2 ] || fail "the catalog does not track 2 contracts"

# --- status page, health, metrics, background and storage status
get /
grep -q "<svg" "$work/body" || fail "status page has no sparkline"
grep -q "MNQ" "$work/body" || fail "status page does not name MNQ"
grep -Eq 'src="https?://|href="https?://' "$work/body" && fail "status page loads external assets"
get /health
jq_true '.status == "ok" and (.checks | type == "object") and .checks.upstream_connected == 2'
get /metrics
for m in ib_recorder_up ib_recorder_ticks_stored_total ib_recorder_files ib_recorder_queue_depth ib_recorder_seal_seconds \
  ib_recorder_outages_total ib_recorder_reconnects_total ib_recorder_disk_free_bytes; do
  grep -q "^$m" "$work/body" || fail "/metrics has no $m"
done
get /background/status
jq_true '.. | objects | select(has("tracked_contracts")) | .tracked_contracts | length == 2'
get /storage/status
jq_true 'type == "object" and length > 0'

# --- v2 buffer
get "/v2/buffer/$MNQ/info"
jq_true "tostring | contains(\"$MNQ\")"
get "/v2/buffer/$MNQ/stats?tick_types=bid_ask,last&duration=1h"
jq_true 'type == "object"'
get_when "/v2/buffer/$AAPL/range?duration=10m&limit=5" '(.messages | type == "array") and (.messages | length > 0)'
jq_true '.messages | length <= 5'

# --- v2 historical, in every format
since=$(date -u -d '-10 minutes' +%Y-%m-%dT%H:%M:%SZ)
until_=$(date -u -d '+1 minute' +%Y-%m-%dT%H:%M:%SZ)
today=$(date -u +%Y-%m-%d)
for path in "range?start_time=$since&end_time=$until_" "to-present?start_time=$since" \
  "session?session_type=regular&market=US&date=$today" "relative?period=10m"; do
  get "/v2/historical/$MNQ/$path&tick_types=bid_ask,last&format=json"
  jq_true '(.messages | type == "array") and (.count == (.messages | length))'
  case $path in session*) ;; *) jq_true '.count > 0' ;; esac
  get "/v2/historical/$MNQ/$path&tick_types=bid_ask,last&format=ndjson"
  [ ! -s "$work/body" ] || jq -e -s 'all(.[]; .type == "tick")' "$work/body" >/dev/null || fail "ndjson $path: $(head -c 300 "$work/body")"
  get "/v2/historical/$MNQ/$path&tick_types=bid_ask,last&format=csv"
  [ ! -s "$work/body" ] || head -1 "$work/body" | grep -q "," || fail "csv $path has no header: $(head -c 300 "$work/body")"
  ct=$(curl -s -o "$work/body" -w '%{http_code} %{content_type}' \
    "$URL/v2/historical/$MNQ/$path&tick_types=bid_ask,last&format=protobuf")
  case $ct in "200 application/"*) ;; *) fail "protobuf $path: $ct" ;; esac
done
# The default tick type (bid_ask) and a single tick_type.
get "/v2/historical/$AAPL/relative?period=10m&tick_type=last"
jq_true '.count > 0 and all(.messages[]; .data.tick_type == "last")'

# --- errors: unknown contract 404, bad parameter 400
get "/v2/buffer/4242424/info" 404
get "/v2/historical/4242424/relative?period=10m" 404
get "/v2/stream/4242424" 404
get "/v2/historical/$MNQ/range?start_time=yesterday-ish&end_time=$until_" 400
jq_true 'tostring | test("start_time")'
get "/v2/historical/$MNQ/relative?period=10m&format=xml" 400
get "/v2/buffer/$MNQ/stats?tick_types=bogus" 400

# --- live SSE: read until a tick came (the stream stays open meanwhile)
sse_until "$work/live.sse" "$URL/v2/stream/$MNQ?tick_types=bid_ask,last" '^event: tick'
sse_until "$work/wb.sse" "$URL/v2/stream/$AAPL/with-buffer?tick_types=bid_ask,last&buffer_duration=1h" \
  '"status": *"buffer_start"' '"status": *"buffer_complete"' '"status": *"live_start"' '"historical": *true'

# --- upstream killed and restarted: an outage per contract, then ticks resume
kill -9 "$up_pid"
wait "$up_pid" 2>/dev/null || true
wait_for "an open outage for both contracts" bash -c \
  "[ \"\$(sqlite3 'file:$S/metadata/catalog.sqlite?mode=ro' 'select count(distinct contract_id) from outages where outage_end is null')\" = 2 ]"
# The operator sees it: /health is degraded (still 200: storing works), the page says why.
get_when /health '.status == "degraded" and .checks.upstream_connected == 0'
jq_true '(.problems | tostring | test("every upstream stream is disconnected")) and (.warnings | tostring | test("upstream '"$MNQ"' \\(MNQ\\) disconnected"))'
get /
grep -q "degraded: every upstream stream is disconnected" "$work/body" || fail "status page does not say degraded: $(grep -o '<p class="[a-z]*">[^<]*' "$work/body" | head -5)"
grep -q "0 of 2 streams connected" "$work/body" || fail "status page does not show the upstream state"
"$BIN" simulate --serve "127.0.0.1:$UP_PORT" --contracts "$MNQ:MNQ,$AAPL:AAPL" --rate 50 --seed 4 2>>"$UPLOG" &
up_pid=$!
pids+=("$up_pid")
wait_for "the outages to close" bash -c \
  "[ \"\$(sqlite3 'file:$S/metadata/catalog.sqlite?mode=ro' 'select count(*) from outages where outage_end is null')\" = 0 ]"
[ "$(sql "select count(distinct contract_id) from outages where outage_end is not null and outage_end >= outage_start")" = 2 ] ||
  fail "outages: $(sql "select * from outages")"
before=$(stored_ticks)
wait_for "ticks after the upstream came back" more_ticks_than "$before"
reconnected() { curl -s -m 10 "$URL/metrics" | grep -Eq '^ib_recorder_reconnects_total [1-9]'; }
wait_for "a reconnect counted in /metrics" reconnected
get_when /health '.status == "ok"'

# --- SIGTERM: open streams end with `complete`, session completed, exit 0
curl -sN --max-time $((3 * E2E_TIMEOUT)) "$URL/v2/stream/$MNQ?tick_types=bid_ask,last" > "$work/end.sse" 2>/dev/null &
live_pid=$!
pids+=("$live_pid")
curl -sN --max-time $((3 * E2E_TIMEOUT)) "$URL/v2/stream/$AAPL/with-buffer?tick_types=bid_ask&buffer_duration=5m" > "$work/end_wb.sse" 2>/dev/null &
wb_pid=$!
pids+=("$wb_pid")
wait_for "both streams to be live" bash -c \
  "grep -q '^event: tick' '$work/end.sse' && grep -q 'live_start' '$work/end_wb.sse'"
kill -TERM "$pid"
wait_exit "$pid"
[ "$exit_rc" = 0 ] || fail "exit $exit_rc after SIGTERM"
for p in $live_pid $wb_pid; do wait "$p" || fail "an SSE client did not end cleanly at shutdown (curl exit $?)"; done
for f in end.sse end_wb.sse; do
  last=$(grep '^event:' "$work/$f" | tail -1)
  [ "$last" = "event: complete" ] || fail "$f ended with '$last', not complete: $(tail -c 400 "$work/$f")"
  grep -q '^event: error' "$work/$f" && fail "$f has an error event: $(grep -A1 '^event: error' "$work/$f")"
done
[ "$(sql "select status || ' ' || termination_reason from collection_sessions where id = 1")" = "completed stopped by SIGTERM" ] ||
  fail "session 1: $(sql "select status, termination_reason from collection_sessions where id = 1")"
[ "$(sql "select count(*) from outages where outage_end is null")" = 0 ] || fail "an outage is left open"
n=$(sql "select total_messages_collected from collection_sessions where id = 1")
[ "$n" -gt 0 ] || fail "session 1 collected nothing"
[ "$(sql "select count(*) from session_contracts where collection_session_id = 1 and messages_collected > 0")" = 2 ] ||
  fail "session contracts: $(sql "select * from session_contracts")"
files=$(sql "select coalesce(sum(message_count), 0) from tick_files")
[ "$files" = "$n" ] || fail "tick_files hold $files ticks, the session counted $n"
"$BIN" verify --storage "$S" > "$work/verify.out" 2>&1 || { cat "$work/verify.out"; fail "verify after SIGTERM"; }
kill -TERM "$up_pid"
wait_exit "$up_pid"
echo "recorder sse upstream: 1 passed, 0 failed ($n ticks recorded)"
