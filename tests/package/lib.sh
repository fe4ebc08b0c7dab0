# shellcheck shell=bash
# Shell helpers for tests/package/*.sh (sourced, not a test itself).

# repack DEB VERSION DIR: the same package under a higher VERSION (control only), written to
# DIR/ib-recorder_VERSION_ARCH.deb, whose path is printed. A repack, not a rebuild: cheap in CI.
repack() {
  local deb=$1 version=$2 dir=$3
  local out
  out="$dir/ib-recorder_${version}_$(dpkg --print-architecture).deb"
  rm -rf "$dir/tree" && mkdir -p "$dir" &&
    dpkg-deb -R "$deb" "$dir/tree" &&
    sed -i "s/^Version: .*/Version: $version/" "$dir/tree/DEBIAN/control" &&
    dpkg-deb --build "$dir/tree" "$out" >/dev/null &&
    rm -rf "$dir/tree" &&
    echo "$out"
}
