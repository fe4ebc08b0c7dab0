#!/usr/bin/env bash
# The Debian package, as an operator gets it (tests/run-all.sh runs this after the main build):
#   1. cpack -G DEB in the build folder; lintian (no error, no warning that is not overridden
#      with a reason); systemd-analyze verify of both units on the extracted package (silent);
#   2. dpkg -i on this machine: files, versions, conffiles, modes, user, data directories;
#      `ib-recorder config check` of every shipped env file as the service user; the recorder
#      started as the service user with the shipped development config on the simulated feed,
#      /health, SIGTERM, session closed `completed`;
#   3. upgrade to a repacked higher version: an operator's edit of an env file and the data
#      kept; without systemd the postinst says it restarted nothing (the restart of a running
#      instance is in systemd_test.sh); the recorder starts again on the kept data;
#   4. dpkg -r: data and configuration kept; dpkg -P: both gone.
# Usage: tests/package/install_test.sh [BUILD_DIR]   (default: build). Root only: exit 77
# (skip) otherwise. Exit 0 all passed, 1 something failed (every check still runs).
# The systemd part (systemctl start/stop ib-recorder@development, restart on upgrade) is
# tests/package/systemd_test.sh, a separate step: reported as skipped where PID 1 is not systemd.
set -uo pipefail
here=$(cd "$(dirname "$0")/../.." && pwd)
source "$here/tests/package/lib.sh"
build=$(cd "${1:-$here/build}" && pwd)
pkg=ib-recorder
user=ib-recorder

if [ "$(id -u)" != 0 ]; then
  echo "SKIPPED: the package install test needs root (dpkg -i, a system user); run it as root"
  exit 77
fi
for tool in cpack dpkg dpkg-deb lintian systemd-analyze runuser setpriv curl sqlite3 help2man python3; do
  command -v "$tool" >/dev/null || { echo "FAIL: $tool is missing (packaging/debian-packages.txt lists it)"; exit 1; }
done
if dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q installed; then
  echo "FAIL: $pkg $(dpkg-query -W -f='${Version}' "$pkg") is already installed here; this test installs," \
    "upgrades and purges it: remove it first (dpkg --purge $pkg)"
  exit 1
fi
# One install test at a time on this machine.
exec 9>/run/lock/ib-recorder-package-test.lock
flock 9

work=$(mktemp -d /tmp/ibr-package-test-XXXXXX)
chmod 755 "$work"
recorder_pid=""
failures=0
cleanup() {
  [ -n "$recorder_pid" ] && kill -9 "$recorder_pid" 2>/dev/null
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "ok installed\|config-files" &&
    dpkg --purge "$pkg" >/dev/null 2>&1
  rm -rf "$work"
}
trap cleanup EXIT
pass() { echo "ok: $*"; }
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }
check() {  # check "what" command...: passes when the command succeeds
  local what=$1; shift
  if "$@"; then pass "$what"; else fail "$what"; fi
}

# --- 1. build the package, lintian, systemd-analyze verify --------------------------------------
# What the package holds is up to date with the sources (a no-op right after the main build).
if ! cmake --build "$build" --target ib-recorder ib-sync man_pages debian_changelog >"$work/build.log" 2>&1; then
  cat "$work/build.log"; echo "FAIL: building what the package holds in $build"; exit 1
fi
rm -f "$build"/${pkg}_*.deb
if ! (cd "$build" && cpack -G DEB >"$work/cpack.log" 2>&1); then
  cat "$work/cpack.log"; echo "FAIL: cpack -G DEB"; exit 1
fi
deb=$(ls "$build"/${pkg}_*.deb)
version=$(dpkg-deb -f "$deb" Version)
echo "built $(basename "$deb") (version $version, $(du -k "$deb" | cut -f1) KiB); Depends: $(dpkg-deb -f "$deb" Depends)"
check "package file name is ${pkg}_<version>_<arch>.deb" \
  test "$(basename "$deb")" = "${pkg}_${version}_$(dpkg --print-architecture).deb"
check "Depends computed by dpkg-shlibdeps (libc6, libpq5, libsqlite3-0 ...)" \
  bash -c "dpkg-deb -f '$deb' Depends | grep -q 'libc6 (>=' && dpkg-deb -f '$deb' Depends | grep -q libpq5 \
           && dpkg-deb -f '$deb' Depends | grep -q libsqlite3-0"

lintian --fail-on error,warning --tag-display-limit 0 "$deb" >"$work/lintian.log" 2>&1
lintian_rc=$?
cat "$work/lintian.log"
check "lintian: no errors, no warnings that are not overridden (exit $lintian_rc)" test $lintian_rc = 0

root="$work/root"
dpkg-deb -x "$deb" "$root"
mkdir -p "$root/etc/systemd/system"
# The host's units the ones here refer to (targets, sockets), beside the package's own.
cp -an /lib/systemd/system/. "$root/lib/systemd/system/" 2>/dev/null
for unit in ib-recorder ib-sync; do
  ln -sf "$unit@.service" "$root/lib/systemd/system/$unit@development.service"
  out=$(systemd-analyze verify --man=no --root="$root" "$root/lib/systemd/system/$unit@development.service" 2>&1)
  check "systemd-analyze verify $unit@.service prints nothing${out:+: $out}" test -z "$out"
done
for unit in ib-recorder ib-sync; do
  echo "systemd-analyze security --offline=true $unit@.service: $(systemd-analyze security --offline=true \
    --root="$root" "$root/lib/systemd/system/$unit@.service" 2>/dev/null | grep -o 'Overall exposure level.*')"
done

# --- 2. install ----------------------------------------------------------------------------------
if ! dpkg -i "$deb" >"$work/install.log" 2>&1 </dev/null; then
  cat "$work/install.log"; echo "FAIL: dpkg -i $(basename "$deb")"; exit 1
fi
cat "$work/install.log"
check "ib-recorder --version prints the package version" test "$(ib-recorder --version)" = "$version"
check "ib-sync --version prints the package version" test "$(ib-sync --version)" = "$version"
check "binaries in /usr/bin" test -x /usr/bin/ib-recorder -a -x /usr/bin/ib-sync
check "man pages ib-recorder(1) and ib-sync(1), gzipped" \
  bash -c 'zcat /usr/share/man/man1/ib-recorder.1.gz | grep -q "^\.TH IB-RECORDER" &&
           zcat /usr/share/man/man1/ib-sync.1.gz | grep -q "^\.TH IB-SYNC"'
check "the .proto and the SQL under /usr/share/ib-recorder" \
  bash -c 'test -f /usr/share/ib-recorder/tick_stream.proto &&
           ls /usr/share/ib-recorder/schema/postgres/0001_initial.sql /usr/share/ib-recorder/schema/sqlite/0001_initial.sql \
              /usr/share/ib-recorder/schema/postgres/reports/contract_timeline.sql >/dev/null'
check "copyright and changelog.Debian.gz" \
  test -f /usr/share/doc/$pkg/copyright -a -f /usr/share/doc/$pkg/changelog.Debian.gz
check "system user and group $user" bash -c "getent passwd $user >/dev/null && getent group $user >/dev/null"
envs=(production staging development)
for e in "${envs[@]}"; do
  f=/etc/ib-recorder/$e.env
  check "$f is a conffile" bash -c "dpkg-query -W -f='\${Conffiles}' $pkg | grep -q ' $f '"
  check "$f is 0640 root:$user" test "$(stat -c '%a %U:%G' "$f" 2>/dev/null)" = "640 root:$user"
  check "/var/lib/ib-recorder/$e is owned by $user" test "$(stat -c '%U:%G' /var/lib/ib-recorder/$e 2>/dev/null)" = "$user:$user"
  check "$f is not readable by other users" bash -c "! runuser -u nobody -- cat $f >/dev/null 2>&1"
done
for f in /etc/ib-recorder/*.env; do
  if runuser -u "$user" -- ib-recorder config check --env-file "$f" >"$work/check.log" 2>&1; then
    pass "ib-recorder config check --env-file $f (as $user)"
  else
    fail "ib-recorder config check --env-file $f (as $user): $(tr '\n' ' ' <"$work/check.log")"
  fi
done

dev_env=/etc/ib-recorder/development.env
env_value() { sed -n "s/^\(export \)\?$1=//p" "$dev_env" | tail -n1 | sed "s/^[\"']//; s/[\"']$//"; }
port=$(env_value IB_STREAM_RECORDER_PORT)
port=${port:-8102}
storage=$(env_value IB_STREAM_STORAGE_PATH)
storage=${storage:-/var/lib/ib-recorder/development}
overrides=(IB_STREAM_SOURCE=sim)
if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  echo "note: the development port is taken on this machine: the recorder listens on $port instead"
  overrides+=("IB_STREAM_RECORDER_PORT=$port")
fi
[ -n "$(env_value IB_STREAM_TRACKED_CONTRACTS)" ] || overrides+=("IB_STREAM_TRACKED_CONTRACTS=265598:AAPL:bid_ask;last:1")

# Starts the recorder as the service user on the shipped development config; waits for /health.
# setpriv, not runuser, for this one: runuser forks and answers a SIGTERM with its own status,
# while setpriv execs, so the signal and the exit code are the recorder's own.
start_recorder() {
  local log=$1
  (cd / && exec setpriv --reuid="$user" --regid="$user" --init-groups --inh-caps=-all \
    env "${overrides[@]}" ib-recorder run --env-file "$dev_env") >"$log" 2>&1 &
  recorder_pid=$!
  for _ in $(seq 1 300); do
    [ "$(curl -s -o "$work/health.json" -w '%{http_code}' "http://127.0.0.1:$port/health")" = 200 ] && return 0
    kill -0 "$recorder_pid" 2>/dev/null || break
    sleep 0.1
  done
  return 1
}
# SIGTERM; waits (bounded) for a clean exit; $1: the run's log.
stop_recorder() {
  kill -TERM "$recorder_pid"
  for _ in $(seq 1 600); do kill -0 "$recorder_pid" 2>/dev/null || break; sleep 0.1; done
  local rc=0
  wait "$recorder_pid" || rc=$?
  recorder_pid=""
  [ $rc = 0 ] || echo "the recorder exited $rc after SIGTERM; its log: $(tail -n 20 "$1")"
  return $rc
}
catalog=$storage/metadata/catalog.sqlite
last_session_status() { sqlite3 "file:$catalog?mode=ro" "SELECT status FROM collection_sessions ORDER BY id DESC LIMIT 1"; }

if start_recorder "$work/run1.log"; then
  pass "recorder started as $user (${overrides[*]}): /health 200 $(head -c 120 "$work/health.json")"
  for _ in $(seq 1 300); do
    [ -n "$(find "$storage/protobuf" -type f 2>/dev/null | head -n1)" ] && break
    sleep 0.1
  done
  check "ticks recorded under $storage/protobuf" test -n "$(find "$storage/protobuf" -type f 2>/dev/null | head -n1)"
  check "files owned by $user" test -z "$(find "$storage" ! -user "$user" 2>/dev/null | head -n1)"
  check "SIGTERM: the recorder exits 0" stop_recorder "$work/run1.log"
  check "the session is closed completed" test "$(last_session_status)" = completed
else
  fail "recorder did not answer /health on port $port: $(cat "$work/run1.log")"
fi
sessions_before=$(sqlite3 "file:$catalog?mode=ro" "SELECT count(*) FROM collection_sessions" 2>/dev/null)
files_before=$(find "$storage/protobuf" -type f 2>/dev/null | wc -l)

# --- 3. upgrade to a higher version (a repack of the same build) -----------------------------------
echo "# operator's edit $$" >>"$dev_env"
up_version="$version+test1"
if up_deb=$(repack "$deb" "$up_version" "$work/upgrade" 2>"$work/repack.log"); then
  if dpkg -i "$up_deb" >"$work/upgrade.log" 2>&1 </dev/null; then
    cat "$work/upgrade.log"
    check "upgraded to $up_version" test "$(dpkg-query -W -f='${Version}' $pkg)" = "$up_version"
    check "the operator's edit of $dev_env is kept" grep -q "^# operator's edit $$\$" "$dev_env"
    check "$dev_env is still 0640 root:$user" test "$(stat -c '%a %U:%G' "$dev_env")" = "640 root:$user"
    check "recorded data kept ($files_before files)" test "$(find "$storage/protobuf" -type f | wc -l)" = "$files_before"
    if [ -d /run/systemd/system ]; then
      check "postinst says what it restarted" \
        grep -q "ib-recorder: restarting\|ib-recorder: no ib-recorder@/ib-sync@ instance was running" "$work/upgrade.log"
    else
      # The restart itself needs systemd: tests/package/systemd_test.sh (skipped where PID 1 is not).
      check "postinst says it restarted nothing without systemd" \
        grep -q "systemd is not running here: no instance restarted" "$work/upgrade.log"
    fi
    if start_recorder "$work/run2.log"; then
      pass "recorder starts on the kept data after the upgrade"
      check "SIGTERM after the upgrade: exits 0" stop_recorder "$work/run2.log"
      check "a second session, closed completed" \
        test "$(sqlite3 "file:$catalog?mode=ro" "SELECT count(*) FROM collection_sessions")" = $((sessions_before + 1)) -a \
        "$(last_session_status)" = completed
    else
      fail "recorder did not start after the upgrade: $(cat "$work/run2.log")"
    fi
  else
    cat "$work/upgrade.log"; fail "dpkg -i $(basename "$up_deb")"
  fi
else
  cat "$work/repack.log"; fail "repack of the package as version $up_version"
fi

# --- 4. remove (data kept), purge (data and configuration gone) ----------------------------------
if dpkg --remove "$pkg" >"$work/remove.log" 2>&1; then
  cat "$work/remove.log"
  check "remove: binaries gone" test ! -e /usr/bin/ib-recorder -a ! -e /usr/bin/ib-sync
  check "remove: recorded data kept" test -f "$catalog" -a "$(find "$storage/protobuf" -type f | wc -l)" -ge "$files_before"
  check "remove: configuration kept" test -f "$dev_env"
  check "remove: says where the data is" grep -q "recorded data kept in /var/lib/ib-recorder" "$work/remove.log"
else
  cat "$work/remove.log"; fail "dpkg --remove $pkg"
fi
if dpkg --purge "$pkg" >"$work/purge.log" 2>&1; then
  cat "$work/purge.log"
  check "purge: /var/lib/ib-recorder gone" test ! -e /var/lib/ib-recorder
  check "purge: /etc/ib-recorder gone" test ! -e /etc/ib-recorder
  check "purge: says what it deleted" grep -q "purged: deleted /var/lib/ib-recorder" "$work/purge.log"
  check "purge: dpkg knows nothing of $pkg" bash -c "! dpkg-query -W -f='\${Status}' $pkg 2>/dev/null | grep -q installed"
else
  cat "$work/purge.log"; fail "dpkg --purge $pkg"
fi

echo
if [ $failures = 0 ]; then
  echo "package install test: passed"
  exit 0
fi
echo "package install test: $failures check(s) FAILED"
exit 1
