#!/usr/bin/env bash
# End to end, as a user would: simulate | ingest, then query returns exactly the
# accepted ticks in (timestamp, arrival) order; rejects are quarantined with
# their reasons; the same input is refused a second time; verify agrees.
set -euo pipefail
BIN=${IBR_BIN:?}/recorder/ib-recorder
PY=/usr/bin/python3
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
S=$work/store

"$BIN" simulate --contracts 711280073:MNQ,265598:AAPL --rate 200 --start 2025-03-10T13:58:00Z \
  --duration 5m --seed 7 > "$work/in.ndjson"
# Bad lines mixed in: each must be rejected with its reason, none may reach storage.
cat >> "$work/in.ndjson" <<'BAD'
this is not json
[1,2,3]
{"type":"bogus","stream_id":"x","timestamp":"2025-03-10T14:00:00Z","data":{}}
{"type":"tick","stream_id":"x","timestamp":"2025-03-10T14:00:00Z","data":{"contract_id":0,"tick_type":"bid_ask","bid_price":1,"bid_size":1,"ask_price":1,"ask_size":1}}
{"type":"tick","stream_id":"x","timestamp":"2025-03-10T14:00:00Z","data":{"contract_id":5,"tick_type":"odd_lot","price":1,"size":1}}
{"type":"tick","stream_id":"x","timestamp":"yesterday","data":{"contract_id":5,"tick_type":"last","price":1,"size":1}}
{"type":"tick","stream_id":"x","timestamp":"1999-12-31T23:59:59Z","data":{"contract_id":5,"tick_type":"last","price":1,"size":1}}
{"type":"tick","stream_id":"x","timestamp":"2025-03-10T14:00:00Z","data":{"contract_id":5,"tick_type":"last","price":1}}
{"type":"tick","stream_id":"x","timestamp":"2025-03-10T14:00:00Z","data":{"contract_id":5,"tick_type":"last","price":"1.5","size":1}}
{"type":"tick","stream_id":"x","timestamp":"2025-03-10T14:00:00Z","data":{"contract_id":5,"tick_type":"last","price":1e999,"size":1}}
{"type":"heartbeat","stream_id":"x","timestamp":"2025-03-10T14:00:00Z","data":{}}
{"type":"error","stream_id":"bg_265598_bid_ask","timestamp":"2025-03-10T14:01:00Z","data":{"code":"CONNECTION_ERROR","message":"lost","recoverable":true}}
BAD

"$BIN" ingest --storage "$S" --json "$work/in.ndjson" > "$work/summary.json"
cat "$work/summary.json"
"$PY" - "$work/summary.json" <<'PYEOF'
import json, sys
s = json.load(open(sys.argv[1]))
assert set(s) == {"accepted", "rejected", "reasons", "lifecycle", "files"}, s
want = {"bad_json": 1, "not_object": 1, "unknown_type": 1, "bad_contract_id": 1, "unknown_tick_type": 1,
        "bad_timestamp": 1, "timestamp_out_of_range": 1, "missing_field": 1, "not_numeric": 1, "not_finite": 1}
assert s["reasons"] == want, s["reasons"]
assert s["rejected"] == 10 and s["lifecycle"] == 1 and s["accepted"] > 0 and s["files"] >= 8, s
PYEOF
test "$(cat "$S"/rejects/*.ndjson | wc -l)" = 10

# The same input again is refused (exit 3), with --force it is taken.
set +e; "$BIN" ingest --storage "$S" "$work/in.ndjson" 2>"$work/err"; rc=$?; set -e
test $rc = 3 || { echo "duplicate ingest exit $rc, want 3"; cat "$work/err"; exit 1; }
grep -q -- "--force" "$work/err"

for c in 711280073 265598; do
  "$BIN" query --storage "$S" --contract $c --tick-types bid_ask,last,all_last,mid_point \
    --start 2025-03-10T00:00:00Z --end 2025-03-11T00:00:00Z > "$work/out.$c.ndjson"
done
"$PY" - "$work/in.ndjson" "$work/out.711280073.ndjson" "$work/out.265598.ndjson" <<'PYEOF'
import json, sys
# An independent reading of the input: what the recorder must have accepted.
TT = {"bid_ask": "bid_ask", "BidAsk": "bid_ask", "last": "last", "Last": "last", "all_last": "all_last",
      "AllLast": "all_last", "mid_point": "mid_point", "MidPoint": "mid_point", "midpoint": "mid_point"}
def us(ts):
    from datetime import datetime
    ts = ts.replace("Z", "+00:00")
    d = datetime.fromisoformat(ts)
    return int(d.timestamp()) * 1000000 + d.microsecond
expected = {}
for line in open(sys.argv[1]):
    try:
        m = json.loads(line)
    except ValueError:
        continue
    if not isinstance(m, dict) or m.get("type") != "tick":
        continue
    d, md = m["data"], m.get("metadata") or {}
    cid = d.get("contract_id", md.get("contract_id"))
    tt = TT.get(d.get("tick_type", md.get("tick_type")))
    if not isinstance(cid, (int, str)) or tt is None:
        continue
    cid = int(cid)
    if cid <= 0 or cid == 5:
        continue
    price = d.get("price", d.get("mid_price", d.get("midpoint", d.get("bid_price"))))
    expected.setdefault(cid, []).append((us(m["timestamp"]), tt, price))
for path in sys.argv[2:]:
    got = [json.loads(l) for l in open(path)]
    cid = got[0]["data"]["contract_id"]
    want = sorted(expected[cid], key=lambda x: x[0])  # stable: equal timestamps keep arrival order
    have = [(us(g["timestamp"]), g["data"]["tick_type"],
             g["data"].get("price", g["data"].get("mid_price", g["data"].get("bid_price")))) for g in got]
    assert len(have) == len(want), (cid, len(have), len(want))
    assert have == want, next((i, h, w) for i, (h, w) in enumerate(zip(have, want)) if h != w)
    assert all(g["type"] == "tick" and g["timestamp"].endswith("Z") for g in got)
    print(cid, len(have), "ticks round-tripped in order")
PYEOF

# Sealed files decompress with the stock lz4 tool.
f=$(find "$S/protobuf" -name '*.pb.lz4' | head -n1)
lz4 -d -c "$f" > /dev/null
"$BIN" verify --storage "$S"
echo "storage round trip: 1 passed, 0 failed"
