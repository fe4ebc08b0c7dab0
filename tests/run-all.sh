#!/usr/bin/env bash
# The whole test run, as README.md shows it and .ci/run calls it:
#   1. installs the Debian packages it needs (apt-get; needs root or sudo),
#   2. builds the project (RelWithDebInfo), then the Debian package from that build
#      (cpack), checks it (lintian, systemd-analyze verify) and installs, upgrades, removes
#      and purges it on this machine (tests/package/; exit 77 there = skipped, listed at the
#      end), and builds the unit tests again under AddressSanitizer + UndefinedBehaviorSanitizer,
#   3. starts a throwaway PostgreSQL 15 for the sync integration tests,
#   4. runs every test (ctest: unit, integration, end-to-end) in both builds,
#   5. runs each libFuzzer target for a bounded time (IBR_FUZZ_SECONDS, default 30),
#   6. stops PostgreSQL. Exit status is non-zero if anything failed.
# Options (environment): IBR_SKIP_APT=1, IBR_SKIP_SANITIZE=1, IBR_SKIP_FUZZ=1, IBR_JOBS=N.
set -euo pipefail
# CI: a test that needs something this run provides (PostgreSQL) fails instead of skipping.
export CI=${CI:-1}
here=$(cd "$(dirname "$0")/.." && pwd)
cd "$here"
jobs=${IBR_JOBS:-$(nproc)}
started=$SECONDS
step() { printf '\n=== %s (at %d s) ===\n' "$*" $((SECONDS - started)); }

if [ "${IBR_SKIP_APT:-0}" != 1 ]; then
  step "Debian packages"
  ./packaging/install-build-deps.sh
fi

# Unity builds (each target's .cc files compiled as one unit): about 4x less compile time on
# these header-heavy sources (measured on http_tests: 22.5 s of CPU against 93 s). Batch size 0
# puts a whole target in one unit, so a name clash between two files of one target fails here
# deterministically, whatever files are added later; give file-local names unique names.
unity=(-DCMAKE_UNITY_BUILD=ON -DCMAKE_UNITY_BUILD_BATCH_SIZE=0)

step "build (RelWithDebInfo)"
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo "${unity[@]}" >/dev/null
ninja -C build -j"$jobs"

status=0
skipped=()
step "Debian package (cpack, lintian, systemd-analyze verify; install, upgrade, remove, purge)"
for t in install_test systemd_test; do
  rc=0
  bash "tests/package/$t.sh" build || rc=$?
  case $rc in
    0) ;;
    77) skipped+=("tests/package/$t.sh") ;;
    *) status=1 ;;
  esac
done

if [ "${IBR_SKIP_SANITIZE:-0}" != 1 ]; then
  step "build (ASan + UBSan)"
  cmake -S . -B build-asan -G Ninja -DCMAKE_BUILD_TYPE=Debug -DIBR_SANITIZE=ON -DIBR_BUILD_BENCH=OFF "${unity[@]}" >/dev/null
  ninja -C build-asan -j"$jobs"
fi

step "start PostgreSQL"
pg_env=$(bash tests/pg/pg_server.sh start)
eval "$pg_env"
cleanup() { bash tests/pg/pg_server.sh stop "$IBR_TEST_PG_DIR" >/dev/null 2>&1 || true; }
trap cleanup EXIT

step "tests (RelWithDebInfo)"
(cd build && ctest --output-on-failure -j"$jobs" --timeout 600) || status=1
if [ "${IBR_SKIP_SANITIZE:-0}" != 1 ]; then
  step "tests (ASan + UBSan)"
  export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
  export LSAN_OPTIONS=suppressions=$here/tests/lsan.supp
  (cd build-asan && ctest --output-on-failure -j"$jobs" --timeout 900 -LE e2e) || status=1
fi

if [ "${IBR_SKIP_FUZZ:-0}" != 1 ]; then
  step "fuzz (libFuzzer, ${IBR_FUZZ_SECONDS:-30} s per target)"
  CC=clang CXX=clang++ cmake -S . -B build-fuzz -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DIBR_FUZZ=ON \
    -DIBR_BUILD_BENCH=OFF "${unity[@]}" >/dev/null
  ninja -C build-fuzz -j"$jobs" fuzz_targets
  for f in build-fuzz/tests/fuzz/*_fuzz; do
    corpus=$(mktemp -d)
    if "$f" -max_total_time="${IBR_FUZZ_SECONDS:-30}" -rss_limit_mb=2048 "$corpus" >"$corpus.log" 2>&1; then
      echo "$(basename "$f"): $(grep -Eo 'stat::number_of_executed_runs: *[0-9]+' "$corpus.log" || tail -n1 "$corpus.log")"
      echo "fuzz: 1 passed, 0 failed"
    else
      echo "$(basename "$f") FAILED:"; tail -n 40 "$corpus.log"; status=1
    fi
    rm -rf "$corpus" "$corpus.log"
  done
fi

step "done"
for t in "${skipped[@]}"; do echo "SKIPPED (not passed): $t (its output above says why)"; done
if [ $status = 0 ]; then echo "ALL TESTS PASSED"; else echo "SOME TESTS FAILED"; fi
exit $status
