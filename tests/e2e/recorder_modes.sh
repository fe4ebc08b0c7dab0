#!/usr/bin/env bash
# The four modes of `ib-recorder run` (README "Modes"), with the real binaries:
# - passthrough (IB_STREAM_ENABLE_STORAGE=false + IB_STREAM_UPSTREAM_URL) relays a real upstream
#   (`ib-recorder simulate --serve`) to two clients over ONE upstream connection, while its storage
#   root stays absent (no directory, no lock file); historical/buffer answer 503 naming the root;
#   the upstream connection closes with the last client;
# - recording beside read-only (`run --read-only`) on the same root: the read-only one answers
#   historical queries with what the writer made durable, does not block it (the writer keeps
#   storing), and never changes a byte (hashes, mtimes, catalog dump before/after);
# - isolated: a second `run` on a root in use exits 1 naming the root and the holder;
#   IB_STREAM_MODE=isolated refuses the environment's own root and reports its own instance;
#   `config check` flags two environments' files sharing a storage root.
# Each mode is checked on /health, /background/status and the status page. Every wait is for a
# condition with a deadline (lib: wait_for, get_when, sse_until), never for time to pass.
set -euo pipefail
source "$(dirname "$0")/lib/recorder.sh"
require_tools jq sqlite3 curl
BIN=${IBR_BIN:?}/recorder/ib-recorder
PY=/usr/bin/python3
make_workdir
LOG=$work/recorder.log
UPLOG=$work/upstream.log
unset IB_STREAM_STORAGE_PATH IB_STREAM_SOURCE IB_STREAM_API_KEY IB_STREAM_RECORDER_BIND IB_STREAM_INSTANCE_NAME \
  IB_STREAM_UPSTREAM_URL IB_STREAM_ENABLE_STORAGE IB_STREAM_MODE IB_STREAM_TRACKED_CONTRACTS PORT || true
MNQ=711280073
AAPL=265598
export IB_STREAM_ENVIRONMENT=development IB_STREAM_MIN_FREE_MB=1 IB_STREAM_RECONNECT_DELAY=0.1 \
  IB_STREAM_FSYNC_INTERVAL_MS=100

# get PATH [CODE]: GET $URL$PATH into $work/body, failing unless the answer is HTTP CODE (default 200).
get() {
  local code
  code=$(curl -s -m 20 -o "$work/body" -w '%{http_code}' "$URL$1")
  [ "$code" = "${2:-200}" ] || fail "GET $URL$1: HTTP $code, expected ${2:-200}: $(head -c 400 "$work/body")"
}
jq_true() { jq -e "$1" "$work/body" >/dev/null || fail "body does not satisfy '$1': $(head -c 600 "$work/body")"; }
# check_mode NAME: /health, /background/status and the status page all say mode NAME.
check_mode() {
  get /health
  jq_true ".mode == \"$1\" and .checks.mode == \"$1\""
  get /background/status
  jq_true ".mode == \"$1\" and .config.mode == \"$1\""
  get /
  grep -Eq "<th>mode</th><td>(<span[^>]*>)?$1<" "$work/body" || fail "status page does not show mode $1: $(grep -o '<th>mode</th>.\{0,60\}' "$work/body")"
}
upstream_up() {
  local rc=0
  curl -s -o /dev/null --max-time 0.5 "http://127.0.0.1:$UP_PORT/v2/stream/$MNQ?tick_types=last" || rc=$?
  [ "$rc" -eq 28 ]
}
# open_sse FILE URL: a client in the background (pid in $sse_pid), output to FILE.
open_sse() {
  : > "$1"
  curl -sN "$2" > "$1" 2>/dev/null &
  sse_pid=$!
  pids+=("$sse_pid")
}
ticks_in() { [ "$(grep -c '^event: tick' "$1" 2>/dev/null || true)" -ge "$2" ]; }
# tree_state DIR: every file's path, size, mtime (ns) and SHA-256, then the catalog's content.
# Not catalog.sqlite-shm: SQLite's shared-memory WAL index (read marks, no data), which every
# reader of a WAL database beside a live writer must update; it is rebuilt from the WAL at will.
tree_state() {
  (cd "$1" && find . -type f ! -name '*.sqlite-shm' -printf '%p %s %T@\n' | sort &&
    find . -type f ! -name '*.sqlite-shm' -print0 | sort -z | xargs -0 sha256sum)
  sqlite3 "file:$1/metadata/catalog.sqlite?mode=ro" .dump
}

UP_PORT=$(free_port)
"$BIN" simulate --serve "127.0.0.1:$UP_PORT" --contracts "$MNQ:MNQ,$AAPL:AAPL" --rate 50 --seed 5 2>>"$UPLOG" &
pids+=("$!")
wait_for "the upstream to serve" upstream_up

# ---------------------------------------------------------------- passthrough, no storage root
ABSENT=$work/absent/store
PT_PORT=$(free_port)
URL=http://127.0.0.1:$PT_PORT
IB_STREAM_ENABLE_STORAGE=false IB_STREAM_UPSTREAM_URL="http://127.0.0.1:$UP_PORT" IB_STREAM_TRACKED_CONTRACTS= \
  "$BIN" run --storage "$ABSENT" --port "$PT_PORT" 2>>"$LOG" &
pt_pid=$!
pids+=("$pt_pid")
wait_for "the passthrough recorder's /health" health_is 200
check_mode passthrough
grep -q "passthrough: relaying live streams from http://127.0.0.1:$UP_PORT" "$LOG" || fail "no passthrough log line"

# Two clients of one contract: both get ticks, over one upstream connection.
open_sse "$work/pt1.sse" "$URL/v2/stream/$MNQ?tick_types=bid_ask,last"
c1=$sse_pid
open_sse "$work/pt2.sse" "$URL/v2/stream/$MNQ/bid_ask"
c2=$sse_pid
wait_for "ticks relayed to client 1" ticks_in "$work/pt1.sse" 5
wait_for "ticks relayed to client 2" ticks_in "$work/pt2.sse" 5
grep -q "\"contract_id\": *$MNQ" "$work/pt1.sse" || fail "relayed ticks are not of contract $MNQ: $(head -c 400 "$work/pt1.sse")"
grep '^data:' "$work/pt2.sse" | grep '"tick_type"' | grep -vq '"bid_ask"' && fail "client 2 asked for bid_ask only"
get_when /health '.checks.upstream_relays == 1 and .checks.upstream_connected == 1 and .checks.ticks_relayed > 0'
get /metrics
grep -q '^ib_recorder_live_subscribers 2' "$work/body" || fail "expected 2 live subscribers: $(grep live_subscribers "$work/body")"
grep -q '^ib_recorder_mode{mode="passthrough"} 1' "$work/body" || fail "/metrics lacks ib_recorder_mode"
get /
grep -q "passthrough from http://127.0.0.1:$UP_PORT: 1 upstream connections (1 connected), 2 clients" "$work/body" ||
  fail "status page lacks the relay summary: $(grep -o '<p>passthrough[^<]*' "$work/body")"
# A second contract opens a second upstream connection.
sse_until "$work/pt3.sse" "$URL/v2/stream/$AAPL?tick_types=last" '^event: tick'
kill "$c1" "$c2" 2>/dev/null || true
wait "$c1" "$c2" 2>/dev/null || true
get_when /health '.checks.upstream_relays == 0'

# History needs a root: 503 naming it; ingest is refused; nothing was created.
get "/v2/historical/$MNQ/relative?period=10m" 503
jq_true ".reason == \"no_storage\" and (.error | contains(\"$ABSENT\"))"
get "/v2/buffer/$MNQ/info" 503
jq_true ".reason == \"no_storage\""
get "/v2/stream/$MNQ/with-buffer?buffer_duration=1h" 503
code=$(curl -s -o "$work/body" -w '%{http_code}' --data-binary '{}' "$URL/v2/ingest")
[ "$code" = 503 ] || fail "ingest in passthrough: HTTP $code, expected 503"
get /health
jq_true "(.warnings | tostring | contains(\"$ABSENT does not exist\"))"
[ ! -e "$work/absent" ] || fail "passthrough created $(find "$work/absent")"
kill -TERM "$pt_pid"
wait_exit "$pt_pid"
[ "$exit_rc" = 0 ] || fail "passthrough exited $exit_rc"
[ ! -e "$work/absent" ] || fail "passthrough created $(find "$work/absent") while stopping"

# ---------------------------------------------------------------- recording + read-only beside it
S=$work/prod
W_PORT=$(free_port)
URL=http://127.0.0.1:$W_PORT
IB_STREAM_TRACKED_CONTRACTS="$MNQ:MNQ:bid_ask;last:1" "$BIN" run --storage "$S" --port "$W_PORT" \
  --upstream "http://127.0.0.1:$UP_PORT" 2>>"$LOG" &
w_pid=$!
pids+=("$w_pid")
wait_for "the writer's /health" health_is 200
check_mode recording
WURL=$URL
get_when "/v2/historical/$MNQ/relative?period=10m&tick_type=bid_ask&limit=1" '.count > 0'

# Isolation: a second recorder on the same root is refused, naming the root and the holder.
rc=0
IB_STREAM_TRACKED_CONTRACTS= "$BIN" run --storage "$S" --port "$(free_port)" --source http 2>"$work/second.err" || rc=$?
[ "$rc" = 1 ] || fail "a second recorder on $S exited $rc, expected 1: $(cat "$work/second.err")"
grep -q "storage root $S is in use by another writer (pid $w_pid" "$work/second.err" ||
  fail "the refusal does not name the root and the holder: $(cat "$work/second.err")"

R_PORT=$(free_port)
URL=http://127.0.0.1:$R_PORT
IB_STREAM_TRACKED_CONTRACTS="$MNQ:MNQ:bid_ask;last:1" "$BIN" run --read-only --storage "$S" --port "$R_PORT" 2>>"$LOG" &
r_pid=$!
pids+=("$r_pid")
wait_for "the read-only recorder's /health" health_is 200
check_mode read-only
RURL=$URL
# What the writer made durable before a past instant is what the read-only one answers.
stored() { curl -s -m 10 "$WURL/metrics" | awk '/^ib_recorder_ticks_stored_total\{/ {n += $2} END {print n + 0}'; }
from=$(date -u -d '-10 minutes' +%Y-%m-%dT%H:%M:%SZ)
# The cut is a whole second in the past; the first tick may be younger than that, so pick a cut
# before which the writer has ticks (else both answers stay empty forever).
writer_has_ticks_before_cut() {
  cut=$(date -u -d '-1 second' +%Y-%m-%dT%H:%M:%S.000Z)
  range="/v2/historical/$MNQ/range?start_time=$from&end_time=$cut&tick_types=bid_ask,last&format=ndjson"
  curl -s -m 20 "$WURL$range" > "$work/w.ndjson" && [ -s "$work/w.ndjson" ]
}
wait_for "the writer to hold ticks older than a second" writer_has_ticks_before_cut
same_answer() {
  curl -s -m 20 "$WURL$range" > "$work/w.ndjson" && curl -s -m 20 "$RURL$range" > "$work/r.ndjson" &&
    [ -s "$work/r.ndjson" ] && cmp -s "$work/w.ndjson" "$work/r.ndjson"
}
wait_for "the read-only answer to equal the writer's" same_answer
before=$(stored)
wait_for "the writer to keep storing beside the read-only recorder" bash -c "[ \$(curl -s -m 10 '$WURL/metrics' | awk '/^ib_recorder_ticks_stored_total\\{/ {n += \$2} END {print n + 0}') -gt $before ]"
URL=$WURL
get /health
jq_true '.status == "ok"'
code=$(curl -s -o "$work/body" -w '%{http_code}' --data-binary '{}' "$RURL/v2/ingest")
[ "$code" = 503 ] || fail "ingest on the read-only recorder: HTTP $code, expected 503"

# Writer stopped: the read-only recorder goes on serving and changes nothing.
kill -TERM "$w_pid"
wait_exit "$w_pid"
[ "$exit_rc" = 0 ] || fail "the writer exited $exit_rc"
tree_state "$S" > "$work/state.before"
URL=$RURL
for path in "relative?period=10m&tick_types=bid_ask,last" "range?start_time=$from&end_time=$cut"; do
  get "/v2/historical/$MNQ/$path"
  jq_true '.count > 0'
done
get "/v2/buffer/$MNQ/range?duration=10m&limit=5"
get /
get /health
kill -TERM "$r_pid"
wait_exit "$r_pid"
[ "$exit_rc" = 0 ] || fail "the read-only recorder exited $exit_rc"
# A second read-only start on the quiet root, and a passthrough over it, change nothing either.
R2_PORT=$(free_port)
URL=http://127.0.0.1:$R2_PORT
IB_STREAM_ENABLE_STORAGE=false IB_STREAM_UPSTREAM_URL="http://127.0.0.1:$UP_PORT" \
  "$BIN" run --storage "$S" --port "$R2_PORT" 2>>"$LOG" &
p2_pid=$!
pids+=("$p2_pid")
wait_for "the passthrough recorder over $S" health_is 200
check_mode passthrough
get "/v2/historical/$MNQ/range?start_time=$from&end_time=$cut&tick_types=bid_ask,last&format=ndjson"
cmp -s "$work/body" "$work/w.ndjson" || fail "passthrough over $S answers other history than the writer did"
# with-buffer: the root's ticks replayed, then relayed live ones.
open_sse "$work/pwb.sse" "$URL/v2/stream/$MNQ/with-buffer?tick_types=bid_ask,last&buffer_duration=1h"
live_after_replay() {
  file_has "$work/pwb.sse" '"status": *"buffer_start"' '"historical": *true' '"status": *"live_start"' &&
    awk '/live_start/ {l = 1} l && /^event: tick/ {f = 1} END {exit !f}' "$work/pwb.sse"
}
wait_for "with-buffer in passthrough to replay the root and relay live ticks" live_after_replay
kill "$sse_pid" 2>/dev/null || true
wait "$sse_pid" 2>/dev/null || true
kill -TERM "$p2_pid"
wait_exit "$p2_pid"
tree_state "$S" > "$work/state.after"
diff "$work/state.before" "$work/state.after" > "$work/state.diff" ||
  fail "read-only / passthrough changed the root: $(head -c 1500 "$work/state.diff")"

# ---------------------------------------------------------------- isolated
rc=0
IB_STREAM_MODE=isolated "$BIN" run --storage /var/lib/ib-recorder/development --port "$(free_port)" 2>"$work/iso.err" || rc=$?
[ "$rc" = 2 ] || fail "isolated on the environment's own root exited $rc, expected 2: $(cat "$work/iso.err")"
grep -q "IB_STREAM_MODE='isolated' needs its own storage root" "$work/iso.err" || fail "$(cat "$work/iso.err")"
I_PORT=$(free_port)
URL=http://127.0.0.1:$I_PORT
IB_STREAM_MODE=isolated IB_STREAM_TRACKED_CONTRACTS="$AAPL:AAPL:last:1" "$BIN" run --storage "$work/feature-xyz" \
  --port "$I_PORT" --upstream "http://127.0.0.1:$UP_PORT" 2>>"$LOG" &
i_pid=$!
pids+=("$i_pid")
wait_for "the isolated recorder's /health" health_is 200
check_mode isolated
get /health
jq_true '.instance | startswith("development-feature-xyz-")'
[ "$(sqlite3 "file:$work/feature-xyz/metadata/catalog.sqlite?mode=ro" 'select instance_name from server_instances')" = \
  "$(jq -r .instance "$work/body")" ] || fail "the isolated root's catalog names another instance"
kill -TERM "$i_pid"
wait_exit "$i_pid"

# Two environments' env files sharing one storage root: config check says so.
mkdir -p "$work/etc"
printf 'IB_STREAM_ENVIRONMENT=production\nIB_STREAM_STORAGE_PATH=%s\n' "$work/shared" > "$work/etc/production.env"
printf 'IB_STREAM_ENVIRONMENT=development\nIB_STREAM_STORAGE_PATH=%s\n' "$work/shared" > "$work/etc/development.env"
rc=0
"$BIN" config check --env-file "$work/etc/development.env" > "$work/check.out" 2>&1 || rc=$?
[ "$rc" = 1 ] || fail "config check of a shared root exited $rc, expected 1: $(cat "$work/check.out")"
grep -q "is also the storage root of production.env" "$work/check.out" || fail "config check: $(cat "$work/check.out")"
# config check: isolated on the environment's own root.
printf 'IB_STREAM_ENVIRONMENT=staging\nIB_STREAM_MODE=isolated\n' > "$work/staging.env"
rc=0
"$BIN" config check --env-file "$work/staging.env" > "$work/check.out" 2>&1 || rc=$?
[ "$rc" = 1 ] && grep -q "IB_STREAM_MODE='isolated' needs its own storage root" "$work/check.out" ||
  fail "config check of isolated on staging's root: exit $rc: $(cat "$work/check.out")"
echo "PASS: recorder modes (passthrough, recording + read-only, isolated)"
