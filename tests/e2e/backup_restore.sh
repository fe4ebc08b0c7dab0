#!/usr/bin/env bash
# `ib-recorder backup` beside a running `run --source http` recorder that keeps
# taking POST /v2/ingest batches: the copy verifies and holds every tick
# acknowledged before the backup started; `restore` puts it in place (new
# generation), refuses the running recorder's root (locked) and a non-empty
# directory (exit 3), and the restored root verifies and answers queries.
set -euo pipefail
BIN=${IBR_BIN:?}/recorder/ib-recorder
PY=/usr/bin/python3
source "$(dirname "$0")/lib/recorder.sh"
make_workdir
S=$work/store
LOG=$work/recorder.log
clear_recorder_env
export IB_STREAM_ENVIRONMENT=development IB_STREAM_MIN_FREE_MB=1 IB_STREAM_TRACKED_CONTRACTS=711280073:MNQ
json_field() { "$PY" -c 'import json,sys; print(json.load(sys.stdin)[sys.argv[1]])' "$1"; }
day_start=$(date -u -d '-1 day' +%Y-%m-%dT00:00:00Z)
day_end=$(date -u -d '+1 day' +%Y-%m-%dT00:00:00Z)
count_ticks() {  # count_ticks ROOT
  "$BIN" query --storage "$1" --contract 711280073 --tick-types bid_ask,last,all_last,mid_point \
    --start "$day_start" --end "$day_end" | wc -l
}

PORT=$(free_port)
URL=http://127.0.0.1:$PORT
batches=12
for i in $(seq 1 "$batches"); do
  "$BIN" simulate --contracts 711280073:MNQ --rate 200 --duration 20s --seed "$i" \
    --start "$(date -u -d "-$((90 - i * 5)) minutes" +%Y-%m-%dT%H:%M:00Z)" > "$work/b$i.ndjson"
done

"$BIN" run --storage "$S" --port "$PORT" --source http 2>>"$LOG" &
pids+=("$!")
wait_for "the recorder's /health" health_is 200

# A poster that keeps ingesting: one line "accepted" per acknowledged batch, appended once answered.
post_all() {
  for i in $(seq 1 "$batches"); do
    code=$(curl -s -o "$work/ack$i" -w '%{http_code}' -H 'Content-Type: application/x-ndjson' \
      --data-binary "@$work/b$i.ndjson" "$URL/v2/ingest")
    [ "$code" = 200 ] || { echo "POST b$i: HTTP $code" >> "$work/post.err"; return 1; }
    json_field accepted < "$work/ack$i" >> "$work/acked"
  done
}
: > "$work/acked"
post_all &
poster=$!
pids+=("$poster")
acked_batches_at_least() { [ "$(wc -l < "$work/acked")" -ge "$1" ]; }
wait_for "two acknowledged batches" acked_batches_at_least 2
acked_before=$(awk '{s += $1} END {print s + 0}' "$work/acked")
"$BIN" backup --storage "$S" --to "$work/copy" --json > "$work/backup.json" 2> "$work/backup.err" ||
  fail "backup: $(cat "$work/backup.err")"
wait "$poster" || fail "posting failed: $(cat "$work/post.err" 2>/dev/null)"
acked_all=$(awk '{s += $1} END {print s + 0}' "$work/acked")
in_copy=$(json_field ticks < "$work/backup.json")
echo "acknowledged $acked_before ticks before the backup, $acked_all in all; the backup holds $in_copy"
[ "$in_copy" -ge "$acked_before" ] || fail "the backup holds $in_copy ticks, $acked_before were acknowledged before it"
[ "$in_copy" -le "$acked_all" ] || fail "the backup holds $in_copy ticks, more than the $acked_all acknowledged"
"$BIN" verify --storage "$work/copy" > "$work/verify.out" 2>&1 || fail "verify of the backup: $(cat "$work/verify.out")"

# Refusals: the running recorder's root (locked) and a non-empty directory.
rc=0; "$BIN" restore --from "$work/copy" --storage "$S" 2> "$work/r1.err" || rc=$?
[ "$rc" = 3 ] || fail "restore onto the running root: exit $rc, expected 3"
grep -q "locked by a running writer" "$work/r1.err" || fail "restore onto the running root: $(cat "$work/r1.err")"
mkdir -p "$work/full" && echo x > "$work/full/x"
rc=0; "$BIN" restore --from "$work/copy" --storage "$work/full" 2> "$work/r2.err" || rc=$?
[ "$rc" = 3 ] || fail "restore into a non-empty directory: exit $rc, expected 3"
grep -q "is not empty" "$work/r2.err" || fail "restore into a non-empty directory: $(cat "$work/r2.err")"
rc=0; "$BIN" restore --from "$work/nothing" --storage "$work/r0" 2> "$work/r3.err" || rc=$?
[ "$rc" = 2 ] || fail "restore from a non-backup: exit $rc, expected 2"

"$BIN" restore --from "$work/copy" --storage "$work/restored" --json > "$work/restore.json" 2> "$work/restore.err" ||
  fail "restore: $(cat "$work/restore.err")"
"$BIN" verify --storage "$work/restored" > "$work/verify2.out" 2>&1 || fail "verify of the restored root: $(cat "$work/verify2.out")"
got=$(count_ticks "$work/restored")
[ "$got" = "$in_copy" ] || fail "the restored root answers $got ticks, the backup holds $in_copy"
gen_live=$(sqlite3 "file:$S/metadata/catalog.sqlite?mode=ro" "select value from catalog_meta where key = 'generation_id'")
gen_restored=$(sqlite3 "file:$work/restored/metadata/catalog.sqlite?mode=ro" "select value from catalog_meta where key = 'generation_id'")
[ "$gen_live" != "$gen_restored" ] || fail "the restored catalog kept the original's generation id"
echo "backup and restore: 1 passed, 0 failed"
