# Shell helpers for the end-to-end tests that run `ib-recorder run` (sourced,
# not a test itself). Expect: $LOG (the recorder's stderr), $URL (its base URL),
# $PY (a python3), $work (a scratch directory).

# Makes the scratch directory $work, removed on exit together with every
# process whose pid the script adds to the array `pids` (killed with -9).
make_workdir() {
  work=$(mktemp -d)
  pids=()
  trap 'for p in "${pids[@]}"; do kill -9 "$p" 2>/dev/null || true; done; rm -rf "$work"' EXIT
}
# Prints a failure with the recorder's log and exits 1.
fail() { echo "FAIL: $*"; echo "--- recorder log:"; cat "$LOG" 2>/dev/null || true; exit 1; }
free_port() { "$PY" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
# Polls a command, 50 ms apart, for at most ~10 s.
wait_until() {
  local what=$1; shift
  for _ in $(seq 1 200); do "$@" && return 0; sleep 0.05; done
  fail "timed out waiting for $what"
}
# True when GET /health answers HTTP $1 (the body is left in $work/health.json).
health_is() { [ "$(curl -s -o "$work/health.json" -w '%{http_code}' "$URL/health")" = "$1" ]; }
# Waits (bounded) for a child process to exit; its exit code goes to $exit_rc.
wait_exit() {
  local p=$1
  for _ in $(seq 1 200); do kill -0 "$p" 2>/dev/null || break; sleep 0.05; done
  kill -0 "$p" 2>/dev/null && fail "process $p did not exit within 10 s"
  exit_rc=0
  wait "$p" || exit_rc=$?
}
