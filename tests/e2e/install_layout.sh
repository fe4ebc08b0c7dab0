#!/usr/bin/env bash
# `cmake --install` as a packager or an analyst runs it: the binaries land in bin/, and the
# message definitions analysts decode `format=protobuf` answers and stored frames with land at
# share/ib-recorder/tick_stream.proto — the source file itself, readable by protoc.
set -euo pipefail
: "${IBR_BIN:?}" "${IBR_SOURCE_DIR:?}"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail() { echo "FAIL: $*"; echo "--- install log:"; cat "$work/install.log" 2>/dev/null || true; exit 1; }
cmake --install "$IBR_BIN" --prefix "$work/prefix" > "$work/install.log" 2>&1 || fail "cmake --install $IBR_BIN"
proto=$work/prefix/share/ib-recorder/tick_stream.proto
[ -f "$proto" ] || fail "share/ib-recorder/tick_stream.proto is not installed"
cmp -s "$proto" "$IBR_SOURCE_DIR/proto/tick_stream.proto" || fail "the installed .proto differs from proto/tick_stream.proto"
[ -x "$work/prefix/bin/ib-recorder" ] || fail "bin/ib-recorder is not installed"
if command -v protoc >/dev/null; then
  protoc --proto_path="$(dirname "$proto")" --descriptor_set_out="$work/tick_stream.desc" tick_stream.proto ||
    fail "protoc cannot read the installed .proto"
fi
echo "install layout: 1 passed, 0 failed"
