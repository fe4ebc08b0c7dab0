#!/usr/bin/env bash
# End to end, as a user would: `ib-recorder import` of the Python ib-stream's
# own storage fixtures (../shared/fixtures/ib-stream-storage) plus a damaged
# copy; the report's counts against tests/legacy/fixture_counts.py (an
# independent count); `ib-recorder query` returns every imported tick with the
# source's timestamp and values; a re-run is refused (3), --force imports
# nothing new; a held storage lock is exit 1; usage errors are exit 2.
set -euo pipefail
BIN=${IBR_BIN:?}/recorder/ib-recorder
SRC=${IBR_SOURCE_DIR:?}
PY=/usr/bin/python3
FIX=$SRC/../shared/fixtures/ib-stream-storage
work=$(mktemp -d)
holder=
trap '[ -n "$holder" ] && kill "$holder" 2>/dev/null; rm -rf "$work"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
S=$work/store

# 1. The fixtures as they are.
"$PY" "$SRC/tests/legacy/fixture_counts.py" "$FIX" > "$work/expected.json"
"$BIN" import --from "$FIX" --storage "$S" --json > "$work/report.json"
cat "$work/report.json"
"$PY" - "$work/report.json" "$work/expected.json" <<'PYEOF'
import json, sys
r, e = json.load(open(sys.argv[1])), json.load(open(sys.argv[2]))
for k in ("read", "imported", "duplicates", "skipped", "files"):
    assert r[k] == e[k], (k, r[k], e[k])
assert r["read"] == r["imported"] + r["duplicates"] + sum(r["skipped"].values()), r
assert r["imported"] > 0 and r["session_id"] > 0 and r["quarantine"] is None, r
PYEOF

# 2. query returns the source ticks: v2 JSON lines (timestamp, values) and v3 records (st, values).
"$BIN" query --storage "$S" --contract 265598 --start 2025-07-10T00:00:00Z --end 2025-07-11T00:00:00Z --tick-types bid_ask,last,all_last,mid_point > "$work/q265598.ndjson"
"$BIN" query --storage "$S" --contract 711280073 --start 2025-08-01T00:00:00Z --end 2025-08-02T00:00:00Z --tick-types bid_ask,last,all_last,mid_point > "$work/q711280073.ndjson"
"$PY" - "$FIX" "$work/q265598.ndjson" "$work/q711280073.ndjson" <<'PYEOF'
import glob, json, os, sys
from datetime import datetime
fix = sys.argv[1]
def us(s): return round(datetime.fromisoformat(s.replace("Z", "+00:00")).timestamp() * 1e6)
VAL = ("price", "size", "bid_price", "bid_size", "ask_price", "ask_size", "mid_price")
def key(tt, ts, d): return (tt, ts) + tuple(None if d.get(k) is None else float(d[k]) for k in VAL)
want = []
for p in sorted(glob.glob(fix + "/**/*.jsonl", recursive=True)):
    for line in open(p):
        m = json.loads(line)
        if "cid" in m:
            V3 = dict(p="price", s="size", bp="bid_price", bs="bid_size", ap="ask_price", mp="mid_price")
            V3["as"] = "ask_size"
            want.append(key(m["tt"], m["st"], {V3[k]: v for k, v in m.items() if k in V3}))
        else:
            want.append(key(m["data"]["tick_type"], us(m["timestamp"]), m["data"]))
got = []
for q in sys.argv[2:]:
    for line in open(q):
        m = json.loads(line)
        got.append(key(m["data"]["tick_type"], us(m["timestamp"]), m["data"]))
assert sorted(got, key=repr) == sorted(want, key=repr), (len(got), len(want))
print("query returned all", len(got), "source ticks with their timestamps and values")
PYEOF

# 3. Again: refused; forced: nothing new.
rc=0; "$BIN" import --from "$FIX" --storage "$S" --json > /dev/null 2> "$work/err" || rc=$?
[ "$rc" = 3 ] || fail "re-run exit $rc, want 3"
grep -q -- "--force" "$work/err" || fail "refusal does not say what to do: $(cat "$work/err")"
"$BIN" import --from "$FIX" --storage "$S" --force --json > "$work/forced.json"
"$PY" -c 'import json,sys; r=json.load(open(sys.argv[1])); assert r["imported"] == 0 and r["duplicates"] == r["read"] and r["already_stored"] > 0, r' "$work/forced.json"

# 4. A damaged copy: a torn protobuf frame, a torn JSON line, contract id 0, a mid_point without value.
cp -r "$FIX" "$work/tree"
chmod -R u+w "$work/tree"
pb=$(ls "$work"/tree/ib-stream/test_storage/protobuf/2025/07/10/17/*.pb | head -1)
printf '\x40\x00\x00\x00abc' >> "$pb"
printf '%s\n%s\n%s' \
  '{"type":"tick","stream_id":"s","timestamp":"2025-07-10T17:59:00+00:00","data":{"contract_id":0,"tick_type":"last","price":1,"size":1}}' \
  '{"type":"tick","stream_id":"s","timestamp":"2025-07-10T17:59:01+00:00","data":{"contract_id":265598,"tick_type":"mid_point"}}' \
  '{"type":"tick","stream_id":"s","timesta' > "$work/tree/ib-stream/test_storage/json/2025/07/10/17/damaged.jsonl"
"$BIN" import --from "$work/tree" --storage "$work/store2" --json > "$work/damaged.json"
"$PY" - "$work/damaged.json" "$work/expected.json" <<'PYEOF'
import json, sys
r, e = json.load(open(sys.argv[1])), json.load(open(sys.argv[2]))
assert r["skipped"] == {"torn_record": 2, "contract_id_zero": 1, "mid_point_without_value": 1}, r["skipped"]
assert r["imported"] == e["imported"] and r["read"] == e["read"] + 4, r
q = [json.loads(l) for l in open(r["quarantine"])]
assert sorted(x["reason"] for x in q) == ["contract_id_zero", "mid_point_without_value", "torn_record", "torn_record"], q
PYEOF

# 5. Human summary; a writer holds the lock (an ingest waiting on its stdin): exit 1.
"$BIN" import --from "$FIX" --storage "$work/store3" > "$work/human.txt"
grep -q "^imported " "$work/human.txt" || fail "no human summary: $(cat "$work/human.txt")"
mkfifo "$work/fifo"
"$BIN" ingest --storage "$work/store3" "$work/fifo" > /dev/null 2>&1 &
holder=$!
exec 3> "$work/fifo"  # ingest now opens the store (takes the lock) and waits for input
# The lock file names its holder's pid once the ingest holds it (bounded wait for that condition).
for _ in $(seq 1 200); do grep -qw "$holder" "$work/store3/.lock" 2>/dev/null && break; sleep 0.05; done
grep -qw "$holder" "$work/store3/.lock" || fail "ingest did not take the lock"
rc=0; "$BIN" import --from "$work/tree" --storage "$work/store3" > /dev/null 2> "$work/lock.err" || rc=$?
[ "$rc" = 1 ] || fail "lock held: exit $rc, want 1: $(cat "$work/lock.err")"
grep -q "ingest" "$work/lock.err" || fail "the refusal does not name the holder: $(cat "$work/lock.err")"
exec 3>&-
wait "$holder" || true
holder=

# 6. Usage.
rc=0; "$BIN" import --storage "$S" > /dev/null 2>&1 || rc=$?
[ "$rc" = 2 ] || fail "no --from: exit $rc, want 2"
rc=0; "$BIN" import --from "$work/report.json" --storage "$S" > /dev/null 2>&1 || rc=$?
[ "$rc" = 2 ] || fail "--from a file: exit $rc, want 2"
echo "PASS"
