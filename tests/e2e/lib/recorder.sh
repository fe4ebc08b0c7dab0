# Shell helpers for the end-to-end tests (sourced, not a test itself). Expect:
# $LOG (the recorder's stderr), $URL (its base URL), $PY (a python3), $work (a
# scratch directory).
#
# Rule for every check that depends on something having happened (a tick
# stored, a stream opened, an outage recorded, a process gone): wait for the
# condition with `wait_for`, never for a fixed time. The deadline is generous
# (IBR_E2E_TIMEOUT seconds, default 60) because a loaded CI machine is slow;
# a wait returns as soon as its condition holds, so a fast machine is not slowed.
E2E_TIMEOUT=${IBR_E2E_TIMEOUT:-60}

# Exit code CTest reports as "skipped" for these scripts (SKIP_RETURN_CODE in tests/CMakeLists.txt).
E2E_SKIP=77
# Prints why and exits with $E2E_SKIP: a skip is reported as a skip, never as a pass.
skip() { echo "SKIPPED: $*"; exit "$E2E_SKIP"; }

# Makes the scratch directory $work, removed on exit together with every
# process whose pid the script adds to the array `pids` (killed with -9).
make_workdir() {
  work=$(mktemp -d)
  pids=()
  trap 'for p in "${pids[@]}"; do kill -9 "$p" 2>/dev/null || true; done; rm -rf "$work"' EXIT
}
# Clears the settings a caller's shell may hold, so a script starts from the defaults (plus what
# it exports itself).
clear_recorder_env() {
  unset IB_STREAM_STORAGE_PATH IB_STREAM_TRACKED_CONTRACTS IB_STREAM_SOURCE IB_STREAM_API_KEY IB_STREAM_RECORDER_BIND \
    IB_STREAM_INSTANCE_NAME IB_STREAM_ENABLE_STORAGE PORT || true
}
# Prints a failure with the recorder's log and exits 1.
fail() { echo "FAIL: $*"; echo "--- recorder log:"; cat "$LOG" 2>/dev/null || true; exit 1; }
free_port() { "$PY" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

# wait_for WHAT COMMAND...: runs COMMAND until it succeeds (polled every 50 ms);
# fails the test naming WHAT once E2E_TIMEOUT seconds have passed without it.
wait_for() {
  local what=$1; shift
  local deadline=$((SECONDS + E2E_TIMEOUT))
  until "$@"; do
    [ "$SECONDS" -lt "$deadline" ] || fail "timed out after ${E2E_TIMEOUT} s waiting for $what"
    sleep 0.05
  done
}
# The older name, kept for scripts that still use it.
wait_until() { wait_for "$@"; }

# True when GET /health answers HTTP $1 (the body is left in $work/health.json).
health_is() { [ "$(curl -s -m 10 -o "$work/health.json" -w '%{http_code}' "$URL/health")" = "$1" ]; }
# True when GET $URL$1 answers 200 with a JSON body satisfying the jq filter $2 (body in $work/polled).
answers() {
  [ "$(curl -s -m 10 -o "$work/polled" -w '%{http_code}' "$URL$1")" = 200 ] && jq -e "$2" "$work/polled" >/dev/null 2>&1
}
# get_when PATH FILTER: waits until GET PATH satisfies FILTER; leaves the body in $work/body.
get_when() {
  local deadline=$((SECONDS + E2E_TIMEOUT))
  until answers "$1" "$2"; do
    [ "$SECONDS" -lt "$deadline" ] ||
      fail "timed out after ${E2E_TIMEOUT} s waiting for GET $1 to satisfy '$2'; last answer: $(head -c 400 "$work/polled" 2>/dev/null)"
    sleep 0.05
  done
  cp "$work/polled" "$work/body"
}
# True when every pattern (grep -E) after the file occurs in it.
file_has() {
  local f=$1; shift
  local p
  for p in "$@"; do grep -Eq "$p" "$f" 2>/dev/null || return 1; done
}
# sse_until FILE URL PATTERN...: opens the SSE stream URL (curl in the background, output to
# FILE), waits until every PATTERN is in FILE and the stream is still open, then closes it.
sse_until() {
  local f=$1 url=$2; shift 2
  : > "$f"
  curl -sN "$url" > "$f" 2>/dev/null &
  local cpid=$!
  pids+=("$cpid")
  local deadline=$((SECONDS + E2E_TIMEOUT))
  until file_has "$f" "$@"; do
    kill -0 "$cpid" 2>/dev/null || fail "SSE stream $url ended early: $(head -c 600 "$f")"
    [ "$SECONDS" -lt "$deadline" ] || fail "timed out after ${E2E_TIMEOUT} s waiting for '$*' on $url: $(head -c 600 "$f")"
    sleep 0.05
  done
  kill -0 "$cpid" 2>/dev/null || fail "SSE stream $url ended instead of staying open: $(tail -c 400 "$f")"
  kill "$cpid" 2>/dev/null || true
  wait "$cpid" 2>/dev/null || true
}
# Waits (bounded) for a child process to exit; its exit code goes to $exit_rc.
wait_exit() {
  local p=$1
  local deadline=$((SECONDS + E2E_TIMEOUT))
  while kill -0 "$p" 2>/dev/null; do
    [ "$SECONDS" -lt "$deadline" ] || fail "process $p did not exit within ${E2E_TIMEOUT} s"
    sleep 0.05
  done
  exit_rc=0
  wait "$p" || exit_rc=$?
}
# require_tools TOOL...: fails (never skips) naming the first tool missing from PATH.
require_tools() {
  local t
  for t in "$@"; do command -v "$t" >/dev/null || { echo "FAIL: $t is needed (packaging/debian-packages.txt)"; exit 1; }; done
}
