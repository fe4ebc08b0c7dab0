#!/usr/bin/env bash
# `ib-recorder run --source http` under hostile HTTP clients on loopback (issue 10 items 5, 6, 11):
# 70 connections trickling request heads -> /health still answers and ingest is still stored;
# malformed requests (random bytes, Content-Length -1, a 20-digit Content-Length) answered 400;
# a body of 2 M tiny invalid lines sent with curl's default (form) content type -> 200, every
# line counted by reason, the quarantine bounded (rejects_not_kept, /metrics), the recorder's
# peak memory bounded. Nothing acknowledged is lost or stored twice.
set -euo pipefail
BIN=${IBR_BIN:?}/recorder/ib-recorder
PY=/usr/bin/python3
S=""
source "$(dirname "$0")/lib/recorder.sh"
make_workdir
S=$work/store
LOG=$work/recorder.log
clear_recorder_env
export IB_STREAM_ENVIRONMENT=development IB_STREAM_MIN_FREE_MB=1 IB_STREAM_TRACKED_CONTRACTS=711280073:MNQ:bid_ask\;last
json_field() { "$PY" -c 'import json,sys; print(json.load(sys.stdin).get(sys.argv[1], 0))' "$1"; }

PORT=$(free_port)
URL=http://127.0.0.1:$PORT
"$BIN" run --storage "$S" --port "$PORT" --source http 2>>"$LOG" &
pid=$!
pids+=("$pid")
wait_until "the recorder's /health" health_is 200

start=$(date -u -d '-10 minutes' +%Y-%m-%dT%H:%M:00Z)
"$BIN" simulate --contracts 711280073:MNQ --rate 50 --start "$start" --duration 30s --seed 3 > "$work/ticks.ndjson"
split -n l/3 -d "$work/ticks.ndjson" "$work/part."

# Item 5: 70 slow heads, one header line per socket per round; each round /health and an ingest batch
# must be answered (deadline 15 s each, generous for a sanitizer build). Bounded: 3 rounds.
"$PY" - "$PORT" "$work" <<'PYEOF' || fail "slow clients blocked the recorder (see above)"
import http.client, json, socket, sys
port, work = int(sys.argv[1]), sys.argv[2]
slow = []
for i in range(70):
    s = socket.create_connection(("127.0.0.1", port), timeout=15)
    s.sendall(b"GET /health HTTP/1.1\r\nHost: x\r\n")
    slow.append(s)
acked = 0
for rnd in range(3):
    for s in slow:
        try:
            s.sendall(b"X-Slow-%d: 1\r\n" % rnd)
        except OSError:
            pass  # the recorder may close a head that takes too long: that is allowed
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=15)
    c.request("GET", "/health")
    r = c.getresponse()
    if r.status != 200:
        sys.exit("round %d: /health answered %d" % (rnd, r.status))
    r.read()
    body = open("%s/part.%02d" % (work, rnd), "rb").read()
    c.request("POST", "/v2/ingest", body=body, headers={"Content-Type": "application/x-ndjson"})
    r = c.getresponse()
    ack = json.loads(r.read())
    if r.status != 200 or ack["accepted"] <= 0:
        sys.exit("round %d: ingest answered %d %s" % (rnd, r.status, ack))
    acked += ack["accepted"]
open(work + "/acked", "w").write(str(acked))
# Malformed requests: answered 400 (not left hanging).
for raw in [bytes([0x16, 0x03, 0x01, 0x02, 0x00, 0x01, 0xfc, 0x9a, 0x7f]) + b"garbage",
            b"POST /v2/ingest HTTP/1.1\r\nHost: x\r\nContent-Length: -1\r\n\r\n",
            b"POST /v2/ingest HTTP/1.1\r\nHost: x\r\nContent-Length: 12345678901234567890\r\n\r\n"]:
    s = socket.create_connection(("127.0.0.1", port), timeout=15)
    s.sendall(raw)
    got = b""
    try:
        while b"\r\n\r\n" not in got:
            chunk = s.recv(4096)
            if not chunk:
                break
            got += chunk
    except socket.timeout:
        pass
    if not got.startswith(b"HTTP/1.1 400"):
        sys.exit("malformed request %r: answer %r" % (raw[:30], got[:80]))
PYEOF
acked=$(cat "$work/acked")
[ "$acked" -gt 0 ] || fail "nothing acknowledged"
health_is 200 || fail "/health after the slow clients: $(cat "$work/health.json")"

# Items 6 and 11: 2 M lines of {} (6 MB), curl's default Content-Type (a form).
"$PY" -c 'import sys; sys.stdout.write("{}\n" * 2000000)' > "$work/tiny.ndjson"
code=$(curl -s -m 600 -o "$work/tiny.ack" -w '%{http_code}' --data-binary "@$work/tiny.ndjson" "$URL/v2/ingest")
[ "$code" = 200 ] || fail "POST 2 M tiny lines: HTTP $code $(cat "$work/tiny.ack")"
[ "$(json_field rejected < "$work/tiny.ack")" = 2000000 ] || fail "not every line counted: $(cat "$work/tiny.ack")"
"$PY" -c 'import json,sys; a=json.load(open(sys.argv[1])); sys.exit(sum(a["reasons"].values()) != 2000000)' \
  "$work/tiny.ack" || fail "reasons do not add up: $(cat "$work/tiny.ack")"
[ "$(json_field rejects_not_kept < "$work/tiny.ack")" = 1999000 ] || fail "rejects_not_kept: $(cat "$work/tiny.ack")"
kept=$(du -sb "$S/rejects" | cut -f1)
[ "$kept" -lt 1000000 ] || fail "the quarantine holds $kept bytes for one batch"
curl -s -o "$work/metrics.txt" "$URL/metrics"
grep -qx 'ib_recorder_rejects_not_kept_total 1999000' "$work/metrics.txt" || fail "/metrics: no rejects_not_kept"
# Peak memory: the 6 MB body may cost a few copies of itself, never an item per line (~700 MB before).
hwm_kb=$(awk '/^VmHWM/ {print $2}' "/proc/$pid/status")
[ "$hwm_kb" -lt 400000 ] || fail "peak memory ${hwm_kb} kB for a 6 MB batch"
health_is 200 || fail "/health after the tiny lines: $(cat "$work/health.json")"

# Nothing acknowledged lost or stored twice.
kill -TERM "$pid"
wait_exit "$pid"
[ "$exit_rc" = 0 ] || fail "SIGTERM: exit $exit_rc"
n=$("$BIN" query --storage "$S" --contract 711280073 --tick-types bid_ask,last,all_last,mid_point \
  --start "$(date -u -d '-1 day' +%Y-%m-%dT00:00:00Z)" --end "$(date -u -d '+1 day' +%Y-%m-%dT00:00:00Z)" | wc -l)
[ "$n" = "$acked" ] || fail "stored $n ticks, acknowledged $acked"
echo "PASS: health and ingest answered under 70 slow heads; malformed requests 400; 2 M tiny lines bounded (peak ${hwm_kb} kB, rejects ${kept} B)"
