#!/usr/bin/env bash
# The packaged units under a running systemd: installs the package built by
# tests/package/install_test.sh (cpack in BUILD_DIR), `systemctl start ib-recorder@development`
# (Type=notify: returns once READY), /health, ib-sync@development waiting without a central
# database (active, status says why), an upgrade (a repack with a higher version) restarting
# the running instance, `systemctl stop`, the session closed `completed`, then purges. Where PID 1 is not systemd (containers, this CI machine) it says so and
# exits 77: a skip, not a pass. Not root: exit 77 too.
# Usage: tests/package/systemd_test.sh [BUILD_DIR]   (default: build)
set -uo pipefail
here=$(cd "$(dirname "$0")/../.." && pwd)
source "$here/tests/package/lib.sh"
build=$(cd "${1:-$here/build}" && pwd)
pkg=ib-recorder

if [ "$(id -u)" != 0 ]; then
  echo "SKIPPED: the systemd unit test needs root"; exit 77
fi
if [ "$(cat /proc/1/comm)" != systemd ] || [ ! -d /run/systemd/system ]; then
  echo "SKIPPED: PID 1 is $(cat /proc/1/comm), not systemd: systemctl start/stop ib-recorder@development not tested here"
  exit 77
fi
if dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q installed; then
  echo "FAIL: $pkg is already installed here; remove it first (dpkg --purge $pkg)"; exit 1
fi
exec 9>/run/lock/ib-recorder-package-test.lock
flock 9
failures=0
check() {
  local what=$1; shift
  if "$@"; then echo "ok: $what"; else echo "FAIL: $what"; failures=$((failures + 1)); fi
}
work=$(mktemp -d /tmp/ibr-systemd-test-XXXXXX)
trap 'systemctl stop ib-sync@development ib-recorder@development >/dev/null 2>&1; dpkg --purge $pkg >/dev/null 2>&1;
      rm -rf /etc/systemd/system/ib-recorder@development.service.d "$work"' EXIT

deb=$(ls "$build"/${pkg}_*.deb 2>/dev/null | head -n1)
if [ -z "$deb" ]; then
  (cd "$build" && cpack -G DEB >/dev/null) || { echo "FAIL: cpack -G DEB"; exit 1; }
  deb=$(ls "$build"/${pkg}_*.deb | head -n1)
fi
dpkg -i "$deb" </dev/null || { echo "FAIL: dpkg -i $deb"; exit 1; }
port=$(sed -n 's/^IB_STREAM_RECORDER_PORT=//p' /etc/ib-recorder/development.env | tail -n1)
port=${port:-8102}
mkdir -p /etc/systemd/system/ib-recorder@development.service.d
printf '[Service]\nEnvironment=IB_STREAM_SOURCE=sim\n' >/etc/systemd/system/ib-recorder@development.service.d/test.conf
systemctl daemon-reload
check "systemctl start ib-recorder@development (READY within TimeoutStartSec)" systemctl start ib-recorder@development
check "ib-recorder@development is active" systemctl is-active --quiet ib-recorder@development
check "/health answers 200" test "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/health")" = 200
check "systemctl start ib-sync@development" systemctl start ib-sync@development
check "ib-sync@development is active" systemctl is-active --quiet ib-sync@development
check "ib-sync@development says why it waits" \
  bash -c "systemctl show -p StatusText --value ib-sync@development | grep -q 'no central database configured'"
pid_before=$(systemctl show -p MainPID --value ib-recorder@development)
up_deb=$(repack "$deb" "$(dpkg-deb -f "$deb" Version)+test1" "$work")
check "upgrade while running: dpkg -i $(basename "$up_deb")" bash -c "dpkg -i '$up_deb' </dev/null >'$work/upgrade.log' 2>&1"
cat "$work/upgrade.log"
check "upgrade: postinst restarted ib-recorder@development" grep -q "ib-recorder: restarting.*ib-recorder@development" "$work/upgrade.log"
check "upgrade: a new main process, active" bash -c "systemctl is-active --quiet ib-recorder@development &&
  [ \"\$(systemctl show -p MainPID --value ib-recorder@development)\" != '$pid_before' ]"
check "/health answers 200 after the upgrade" \
  test "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/health")" = 200
check "systemctl stop ib-sync@development" systemctl stop ib-sync@development
check "systemctl stop ib-recorder@development" systemctl stop ib-recorder@development
check "stopped cleanly (result success)" test "$(systemctl show -p Result --value ib-recorder@development)" = success
check "the session is closed completed" test "$(sqlite3 'file:/var/lib/ib-recorder/development/metadata/catalog.sqlite?mode=ro' \
  'SELECT status FROM collection_sessions ORDER BY id DESC LIMIT 1')" = completed
dpkg --purge "$pkg"
[ $failures = 0 ] && { echo "systemd unit test: passed"; exit 0; }
echo "systemd unit test: $failures check(s) FAILED"; exit 1
