#!/usr/bin/env bash
# Runs the ib-sync tests against a throwaway PostgreSQL 15 that it starts and removes:
#   tests/pg/run_sync_tests.sh [build-dir] [gtest args...]      (default build dir: build)
# Set CI=1 to make a missing server a failure instead of a skip (the script sets it itself).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
build=${1:-$here/../../build}
shift || true
eval "$("$here/pg_server.sh" start)"
trap '"$here/pg_server.sh" stop "$IBR_TEST_PG_DIR"' EXIT
export CI=${CI:-1}
"$build/tests/sync_tests" "$@"
