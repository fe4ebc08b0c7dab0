#!/usr/bin/env bash
# The whole chain, real parts only: `ib-recorder run --source sim` records two contracts, then a
# `run --source http` session tracks one of them and gets nothing; `ib-sync run` (short interval)
# replicates the catalog into a fresh database on the real PostgreSQL (tests/pg/pg_server.sh's
# IBR_TEST_PG_DSN); then every file in schema/postgres/reports/ runs under psql as ib_reporter
# with its parameters, and its rows are checked against the local catalog (the truth): the
# instance, both contracts, coverage from the first stored tick to the sim session's end, no gap
# where data came, the http session reported as a gap (a session ran, nothing came), file and
# tick counts equal to the catalog's, the sync position at the catalog's generation.
# Every wait is for a condition, with a deadline (lib/recorder.sh).
set -euo pipefail
BIN=${IBR_BIN:?}/recorder/ib-recorder
SYNC=${IBR_BIN:?}/sync/ib-sync
REPORTS=$(cd "$(dirname "$0")/../../schema/postgres/reports" && pwd)
PY=/usr/bin/python3
source "$(dirname "$0")/lib/recorder.sh"

if [ -z "${IBR_TEST_PG_DSN:-}" ]; then
  [ -z "${CI:-}" ] || { echo "FAIL: IBR_TEST_PG_DSN is not set — CI must run the PostgreSQL tests"; exit 1; }
  skip "IBR_TEST_PG_DSN is not set (eval \"\$(bash tests/pg/pg_server.sh start)\")"
fi
command -v psql >/dev/null || fail "psql is not installed"

make_workdir
S=$work/store
LOG=$work/recorder.log
SYNC_LOG=$work/sync.log
DB=ibr_e2e_chain_$$_$RANDOM
clear_recorder_env
unset IB_SYNC_DSN IB_SYNC_INTERVAL_MS PGHOST PGPORT PGUSER PGDATABASE PGPASSWORD || true
export IB_STREAM_ENVIRONMENT=development IB_STREAM_MIN_FREE_MB=1 IB_STREAM_INSTANCE_NAME=e2e-chain
export IB_STREAM_SIM_RATE=200 PGTZ=UTC
OWNER="$IBR_TEST_PG_DSN dbname=$DB"
SYNC_PW=chain-sync-pw-1
REPORTER_PW=chain-reporter-pw-1
psql_owner() { psql -X -q -v ON_ERROR_STOP=1 "$IBR_TEST_PG_DSN" "$@"; }
psql_owner -c "CREATE DATABASE $DB"
trap 'for p in "${pids[@]}"; do kill -9 "$p" 2>/dev/null || true; done; psql_owner -c "DROP DATABASE IF EXISTS $DB WITH (FORCE)" >/dev/null 2>&1 || true; rm -rf "$work"' EXIT
# The same server and database as the owner, as the two roles init-schema makes.
as_role() { "$PY" - "$OWNER" "$1" "$2" <<'EOF'
import re, sys
dsn, user, pw = sys.argv[1:]
dsn = re.sub(r"\b(user|password)=\S+", "", dsn)
print(f"{dsn} user={user} password={pw}")
EOF
}
SYNC_DSN=$(as_role ib_sync "$SYNC_PW")
REPORTER_DSN=$(as_role ib_reporter "$REPORTER_PW")
"$SYNC" init-schema --dsn "$OWNER" --sync-password "$SYNC_PW" --reporter-password "$REPORTER_PW" > "$work/init.out" 2>&1 ||
  fail "init-schema: $(cat "$work/init.out")"

central() { psql -X -q -At -F '|' -v ON_ERROR_STOP=1 "$REPORTER_DSN" -c "$1"; }
local_sql() { sqlite3 "file:$S/metadata/catalog.sqlite?mode=ro" "$1"; }

# 1. A simulator session recording MNQ (bid_ask, last) and AAPL (bid_ask), until both have ticks
#    in catalog rows (files and session contracts), then a clean stop.
PORT=$(free_port)
URL=http://127.0.0.1:$PORT
IB_STREAM_TRACKED_CONTRACTS='711280073:MNQ:bid_ask;last,265598:AAPL:bid_ask' \
  "$BIN" run --storage "$S" --port "$PORT" --source sim 2>>"$LOG" &
rec=$!
pids+=("$rec")
wait_for "the recorder's /health" health_is 200

# ib-sync from the start, every 100 ms: it replicates while the recorder records.
"$SYNC" run --storage "$S" --dsn "$SYNC_DSN" --interval 100ms 2>>"$SYNC_LOG" &
syncer=$!
pids+=("$syncer")

stored_both() {
  [ "$(local_sql "select count(distinct contract_id) from session_contracts where collection_session_id = 1
                  and first_message_time is not null and messages_collected > 0")" = 2 ] &&
    [ "$(local_sql "select count(distinct contract_id || tick_type) from tick_files where message_count > 0")" = 3 ]
}
wait_for "ticks of both contracts (3 streams) in the catalog" stored_both
kill -TERM "$rec"
wait_exit "$rec"
[ "$exit_rc" = 0 ] || fail "the sim recorder exited $exit_rc after SIGTERM"

# 2. A `run --source http` session tracking MNQ that nobody posts to: it ran, nothing came.
IB_STREAM_TRACKED_CONTRACTS='711280073:MNQ:bid_ask;last' \
  "$BIN" run --storage "$S" --port "$PORT" --source http 2>>"$LOG" &
rec=$!
pids+=("$rec")
wait_for "the http recorder's /health" health_is 200
kill -TERM "$rec"
wait_exit "$rec"
[ "$exit_rc" = 0 ] || fail "the http recorder exited $exit_rc after SIGTERM"
[ "$(local_sql "select group_concat(status || ':' || json_extract(config_snapshot, '$.source'), ',')
                from collection_sessions order by id")" = "completed:sim,completed:http" ] ||
  fail "local sessions: $(local_sql 'select id, status, config_snapshot from collection_sessions')"

# 3. Wait until the central copy equals the catalog: both sessions ended, every file and tick.
truth_files=$(local_sql "select count(*) || '|' || sum(message_count) from tick_files")
synced() {
  [ "$(central "SELECT count(*) FROM collection_sessions WHERE status = 'completed'" 2>/dev/null)" = 2 ] &&
    [ "$(central "SELECT count(*) || '|' || sum(message_count) FROM tick_files" 2>/dev/null)" = "$truth_files" ] &&
    [ "$(central "SELECT count(*) FROM session_contracts WHERE first_message_time IS NOT NULL" 2>/dev/null)" = 2 ]
}
wait_for "ib-sync to replicate both sessions and all files ($truth_files)" synced
kill -TERM "$syncer"
wait_exit "$syncer"
[ "$exit_rc" = 0 ] || { cat "$SYNC_LOG"; fail "ib-sync run exited $exit_rc after SIGTERM"; }

# The truth, from the local catalog (ISO text, UTC).
iso() { local_sql "$1"; }
s1_start=$(iso "select session_start from collection_sessions where id = 1")
s1_end=$(iso "select session_end from collection_sessions where id = 1")
s2_start=$(iso "select session_start from collection_sessions where id = 2")
s2_end=$(iso "select session_end from collection_sessions where id = 2")
mnq_first=$(iso "select max(first_message_time, (select min(start_time) from tick_files where contract_id = 711280073),
                  '$s1_start') from session_contracts where collection_session_id = 1 and contract_id = 711280073")
mnq_last=$(iso "select max(end_time) from tick_files where contract_id = 711280073")
from=$("$PY" -c 'import sys, datetime as d; t = d.datetime.fromisoformat(sys.argv[1].replace("Z", "+00:00"));
print((t - d.timedelta(minutes=1)).strftime("%Y-%m-%d %H:%M:%S+00"))' "$s1_start")
to=$("$PY" -c 'import sys, datetime as d; t = d.datetime.fromisoformat(sys.argv[1].replace("Z", "+00:00"));
print((t + d.timedelta(minutes=1)).strftime("%Y-%m-%d %H:%M:%S+00"))' "$s2_end")
at=$("$PY" -c 'import sys, datetime as d; f = lambda s: d.datetime.fromisoformat(s.replace("Z", "+00:00"));
a, b = f(sys.argv[1]), f(sys.argv[2]); print((a + (b - a) / 2).isoformat())' "$mnq_first" "$mnq_last")
generation=$(local_sql "select value from catalog_meta where key = 'generation_id'")

# 4. Every report, as ib_reporter, with its parameters; output unaligned, '|' between fields.
run_report() {
  local f=$1; shift
  psql -X -q -At -F '|' -v ON_ERROR_STOP=1 "$@" "$REPORTER_DSN" -f "$REPORTS/$f" > "$work/$f.out" 2> "$work/$f.err" ||
    fail "report $f failed: $(cat "$work/$f.err")"
}
ran=()
for f in "$REPORTS"/*.sql; do
  n=$(basename "$f")
  run_report "$n" -v contract_id=711280073 -v from="$from" -v to="$to" -v at="$at" -v tick_type=bid_ask -v days=7
  ran+=("$n")
done
[ "${#ran[@]}" -ge 8 ] || fail "only ${#ran[@]} reports in $REPORTS"

# Compares a report's output with the truth; python does the time arithmetic.
check() { "$PY" - "$work" "$@" <<'EOF' || fail "report check $2 failed (outputs in the log above)"
import datetime as d, sys
work, which = sys.argv[1], sys.argv[2]
args = sys.argv[3:]
def t(s):
    s = s.strip().replace(" ", "T").replace("Z", "+00:00")
    if s.endswith("+00"): s += ":00"
    return d.datetime.fromisoformat(s)
def rows(name):
    return [l.split("|") for l in open(f"{work}/{name}.out").read().splitlines() if l]
def die(msg, name):
    print(f"FAIL: {name}: {msg}\n--- output:\n" + open(f"{work}/{name}.out").read())
    sys.exit(1)

if which == "contract_timeline":
    s1_start, s1_end, first = map(t, args)
    r = rows("contract_timeline.sql")
    # instance_name, host, port, coverage_start, coverage_end, covered, status, storage_path
    if len(r) != 1: die(f"expected one covered piece (the sim session; the http session stored nothing), got {len(r)}", "contract_timeline.sql")
    inst, _, _, cs, ce, _, status, _ = r[0]
    if inst != "e2e-chain" or status != "completed": die("instance / status", "contract_timeline.sql")
    if t(cs) != first: die(f"coverage starts {cs}, the first stored tick is {first}", "contract_timeline.sql")
    if t(ce) != s1_end: die(f"coverage ends {ce}, the sim session ended {s1_end}", "contract_timeline.sql")
    if not (s1_start <= first < s1_end): die("first tick outside the session", "contract_timeline.sql")
elif which == "gaps":
    s1_start, s1_end, s2_start, s2_end, first, frm, to = map(t, args)
    r = rows("gaps_this_week.sql")
    # contract_id, symbol, gap_start, gap_end, gap_duration, cause
    by = {}
    for c, sym, gs, ge, _, cause in r: by.setdefault(c, []).append((t(gs), t(ge), cause, sym))
    # AAPL is no longer tracked: the http session's configuration dropped it.
    if sorted(by) != ["711280073"]: die(f"tracked contracts {sorted(by)}, expected MNQ only", "gaps_this_week.sql")
    mnq = by["711280073"]
    for gs, ge, cause, _ in mnq:
        if gs < s1_end and ge > first: die(f"a gap {gs}..{ge} where data came ({first}..{s1_end})", "gaps_this_week.sql")
    want = [(frm, s1_start, "no_session")]
    if first > s1_start: want.append((s1_start, first, "upstream_outage"))
    want += [(s1_end, s2_start, "no_session"), (s2_start, s2_end, "upstream_outage"), (s2_end, to, "no_session")]
    got = [(gs, ge, cause) for gs, ge, cause, _ in mnq]
    if got != want: die(f"MNQ gaps {got}, expected {want}", "gaps_this_week.sql")
    if {sym for *_, sym in mnq} != {"MNQ"}: die("symbol", "gaps_this_week.sql")
elif which == "who_had":
    root, n_files = args
    lines = open(f"{work}/who_had_contract_at.sql.out").read().splitlines()
    sessions = [l for l in lines if l.startswith("e2e-chain|") and "|completed" in l]
    files = [l for l in lines if l.startswith("e2e-chain|") and "/protobuf/711280073/bid_ask/" in l]
    if len(sessions) != 1 or root not in sessions[0]: die("expected the sim session on this root", "who_had_contract_at.sql")
    if len(files) != 1 or not files[0].split("|")[2].startswith(root + "/protobuf/"): die("expected one bid_ask file under the root", "who_had_contract_at.sql")
elif which == "storage_by_contract":
    truth = dict(a.split("=") for a in args)   # contract -> files|ticks
    r = rows("storage_by_contract.sql")
    # contract_id, symbol, instances, files, size_mb, total_ticks, retired_files, archived_mb, deleted_mb
    got = {c: f"{files}|{ticks}" for c, sym, inst, files, _, ticks, *_ in r if inst == "1"}
    if got != truth or len(r) != 2: die(f"{got} != {truth}", "storage_by_contract.sql")
elif which == "storage_by_day":
    truth = args[0]  # files|ticks over both contracts
    r = rows("storage_by_day.sql")
    # date, instance_name, files, size_gb, total_messages, retired_files, archived_gb, deleted_gb
    tot_f = sum(int(x[2]) for x in r if x[1] == "e2e-chain"); tot_m = sum(int(x[4]) for x in r if x[1] == "e2e-chain")
    if f"{tot_f}|{tot_m}" != truth or {x[1] for x in r} != {"e2e-chain"}: die(f"{tot_f}|{tot_m} != {truth}", "storage_by_day.sql")
elif which == "sync_status":
    generation, = args
    r = rows("sync_status.sql")
    # instance_name, host, environment, catalog_generation, last_change_no, pass_no, resend_pending, rows_applied, ...
    if len(r) != 1 or r[0][0] != "e2e-chain" or r[0][2] != "development": die("one row for e2e-chain", "sync_status.sql")
    if r[0][3] != generation: die(f"generation {r[0][3]} != {generation}", "sync_status.sql")
    if int(r[0][4]) <= 0 or int(r[0][7]) <= 0 or r[0][6] != "f": die("position / rows applied", "sync_status.sql")
elif which == "migration_history":
    if rows("migration_history.sql"): die("no migration was recorded: expected no rows", "migration_history.sql")
elif which == "database_size":
    r = rows("database_size.sql")
    tables = {x[1] for x in r if len(x) == 3}
    if not r or len(r[0]) != 1 or not r[0][0].split()[0].isdigit(): die("database size first", "database_size.sql")
    for need in ("tick_files", "collection_sessions", "session_contracts"):
        if need not in tables: die(f"{need} missing", "database_size.sql")
print(f"ok: {which}")
EOF
}
for f in "${ran[@]}"; do echo "--- $f"; cat "$work/$f.out"; done
check contract_timeline "$s1_start" "$s1_end" "$mnq_first"
check gaps "$s1_start" "$s1_end" "$s2_start" "$s2_end" "$mnq_first" "$from" "$to"
check who_had "$S" "$(local_sql "select count(*) from tick_files where contract_id = 711280073 and tick_type = 'bid_ask'")"
check storage_by_contract \
  "711280073=$(local_sql "select count(*) || '|' || sum(message_count) from tick_files where contract_id = 711280073")" \
  "265598=$(local_sql "select count(*) || '|' || sum(message_count) from tick_files where contract_id = 265598")"
check storage_by_day "$truth_files"
check sync_status "$generation"
check migration_history
check database_size
# Every report was checked above (one `check` per file).
[ "${#ran[@]}" = 8 ] || fail "a report was added (${ran[*]}): add its check here"
echo "PASS: ${#ran[@]} reports checked against the catalog"
