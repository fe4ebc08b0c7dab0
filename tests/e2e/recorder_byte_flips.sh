#!/usr/bin/env bash
# One flipped byte in a stored file, as bit rot or a stray write leaves it.
# Open file, damaged frame in the middle: `query` returns every other tick,
# says so on stderr and exits 1; `verify` reports it (exit 1); `verify
# --repair` keeps the damaged bytes under quarantine/ and every other tick
# (nothing acknowledged lost but the one damaged tick, nothing duplicated).
# Open file, header flipped so it still decodes: verify finds it, repair
# rewrites it, no tick lost. Sealed file: query fails naming it, verify
# reports it, repair moves it whole to quarantine/ (its bytes kept) and
# every other file's ticks stay.
set -euo pipefail
BIN=${IBR_BIN:?}/recorder/ib-recorder
PY=/usr/bin/python3
. "$(dirname "$0")/lib/recorder.sh"
make_workdir
S=$work/store
unset IB_STREAM_STORAGE_PATH IB_STREAM_INSTANCE_NAME || true

# Open files: ticks of the current hour (not due for sealing). Sealed: a past day.
now_start=$(date -u -d '-2 minutes' +%Y-%m-%dT%H:%M:00Z)
"$BIN" simulate --contracts 265598:AAPL --rate 100 --start "$now_start" --duration 60s --seed 5 > "$work/open.ndjson"
"$BIN" simulate --contracts 711280073:MNQ --rate 100 --start 2025-03-10T14:00:00Z --duration 60s --seed 6 > "$work/sealed.ndjson"
acked() { "$PY" -c 'import json,sys; print(json.load(open(sys.argv[1]))["accepted"])' "$1"; }
"$BIN" ingest --json --storage "$S" "$work/open.ndjson" > "$work/a1.json" 2>"$work/ingest.err" || { cat "$work/ingest.err"; fail "ingest"; }
"$BIN" ingest --json --storage "$S" "$work/sealed.ndjson" > "$work/a2.json" 2>"$work/ingest.err" || { cat "$work/ingest.err"; fail "ingest"; }
open_acked=$(acked "$work/a1.json"); sealed_acked=$(acked "$work/a2.json")
[ "$open_acked" -gt 500 ] && [ "$sealed_acked" -gt 500 ] || fail "too few ticks: $open_acked, $sealed_acked"
"$BIN" verify --storage "$S" > "$work/v0" 2>&1 || { cat "$work/v0"; fail "verify before any flip"; }

# query CONTRACT OUT: ticks to OUT, stderr to OUT.err, exit code to $qrc.
query() {
  set +e
  "$BIN" query --storage "$S" --contract "$1" --tick-types bid_ask,last,all_last,mid_point \
    --start 2000-01-01T00:00:00Z --end "$(date -u -d '+1 day' +%Y-%m-%dT00:00:00Z)" > "$2" 2> "$2.err"
  qrc=$?
  set -e
}
# Sequenced ticks in a query output that are exact copies of an earlier one (arrival order aside).
dups() { "$PY" -c '
import json, sys
seen, d = set(), 0
for l in open(sys.argv[1]):
    m = json.loads(l); k = json.dumps(m["data"], sort_keys=True) + m["timestamp"]
    if "sequence" not in m["data"]: continue  # unsequenced equal ticks may be genuine repeats
    d += k in seen; seen.add(k)
print(d)' "$1"; }
# FILE FRAME: the byte offset of tick frame FRAME of an open file (frame 0 = the header).
frame_at() { "$PY" -c '
import struct, sys
b = open(sys.argv[1], "rb").read(); pos, n = 0, int(sys.argv[2])
for _ in range(n + 1):
    (l,) = struct.unpack(">I", b[pos:pos + 4]); pos += 4 + l
print(pos)' "$1" "$2"; }
flip() { "$PY" -c '
import sys
p, at = sys.argv[1], int(sys.argv[2]); b = bytearray(open(p, "rb").read()); b[at] ^= int(sys.argv[3], 0)
open(p, "wb").write(bytes(b))' "$1" "$2" "$3"; }

# --- an open file: one damaged frame in the middle ---
f=$(find "$S/protobuf/265598" -name '*_ticks.pb' -printf '%s %p\n' | sort -n | tail -1 | cut -d' ' -f2)
[ -n "$f" ] || fail "no open file"
frames=$("$PY" -c '
import struct, sys
b = open(sys.argv[1], "rb").read(); pos, n = 0, 0
while pos < len(b): (l,) = struct.unpack(">I", b[pos:pos + 4]); pos += 4 + l; n += 1
print(n - 1)' "$f")
k=$((frames * 2 / 3))
at=$(( $(frame_at "$f" "$k") + 20 ))
flip "$f" "$at" 0x01
query 265598 "$work/q1"
[ "$qrc" = 1 ] || fail "query over a damaged open file: exit $qrc, expected 1"
grep -q "skipped" "$work/q1.err" || fail "query said nothing about the damage: $(cat "$work/q1.err")"
got=$(wc -l < "$work/q1")
[ "$got" = $((open_acked - 1)) ] || fail "query returned $got ticks of $open_acked (one damaged)"
set +e; "$BIN" verify --storage "$S" > "$work/v1" 2>&1; rc=$?; set -e
[ "$rc" = 1 ] || { cat "$work/v1"; fail "verify on a damaged open file: exit $rc"; }
grep -q "valid frames follow" "$work/v1" || { cat "$work/v1"; fail "verify did not name the damaged frame"; }
"$BIN" verify --repair --storage "$S" > "$work/v2" 2>&1 || { cat "$work/v2"; fail "verify --repair"; }
ls "$S"/quarantine/protobuf/265598/*/*/*/*/*.damaged > /dev/null 2>&1 || fail "no quarantined bytes"
query 265598 "$work/q2"
[ "$qrc" = 0 ] || fail "query after repair: exit $qrc $(cat "$work/q2.err")"
[ "$(wc -l < "$work/q2")" = $((open_acked - 1)) ] || fail "after repair $(wc -l < "$work/q2") ticks, expected $((open_acked - 1))"
[ "$(dups "$work/q2")" = 0 ] || fail "duplicates after repair"
"$BIN" verify --storage "$S" > "$work/v3" 2>&1 || { cat "$work/v3"; fail "verify after repair"; }
echo "open file, damaged frame $k of $frames: query $((open_acked - 1)) ticks + exit 1; repair kept every other tick"

# --- an open file: a header byte flipped so that it still decodes ---
before=$(wc -l < "$work/q2")
name_at=$("$PY" -c '
import sys
b = open(sys.argv[1], "rb").read(); i = b.find(b"none"); print(i + 1)' "$f")
flip "$f" "$name_at" 0x20  # compression "nOne"
set +e; "$BIN" verify --storage "$S" > "$work/v4" 2>&1; rc=$?; set -e
[ "$rc" = 1 ] && grep -q "damaged file header" "$work/v4" || { cat "$work/v4"; fail "verify missed a damaged open header (exit $rc)"; }
"$BIN" verify --repair --storage "$S" > "$work/v5" 2>&1 || { cat "$work/v5"; fail "verify --repair of the header"; }
query 265598 "$work/q3"
[ "$qrc" = 0 ] && [ "$(wc -l < "$work/q3")" = "$before" ] || fail "after the header repair: exit $qrc, $(wc -l < "$work/q3") ticks of $before"
echo "open file, damaged header: found by verify, rewritten, no tick lost"

# --- a sealed file ---
sf=$(find "$S/protobuf/711280073" -name '*.pb.lz4' | head -1)
[ -n "$sf" ] || fail "no sealed file"
size=$(stat -c %s "$sf")
flip "$sf" $((size / 2)) 0x01
query 711280073 "$work/q4"
[ "$qrc" = 1 ] || fail "query over a damaged sealed file: exit $qrc"
[ -s "$work/q4.err" ] || fail "query said nothing about the damaged sealed file"
set +e; "$BIN" verify --storage "$S" > "$work/v6" 2>&1; rc=$?; set -e
[ "$rc" = 1 ] || { cat "$work/v6"; fail "verify on a damaged sealed file: exit $rc"; }
"$BIN" verify --repair --storage "$S" > "$work/v7" 2>&1 || { cat "$work/v7"; fail "verify --repair of the sealed file"; }
[ -f "$S/quarantine/${sf#"$S"/}" ] || fail "the damaged sealed file is not in quarantine/"
query 265598 "$work/q5"
[ "$qrc" = 0 ] && [ "$(wc -l < "$work/q5")" = "$before" ] || fail "the open files' ticks changed after the sealed repair"
"$BIN" verify --storage "$S" > "$work/v8" 2>&1 || { cat "$work/v8"; fail "verify after the sealed repair"; }
echo "sealed file, flipped byte: query exit 1, verify 1, repair kept it whole in quarantine/, other files intact"
echo "recorder byte flips: 1 passed, 0 failed"
