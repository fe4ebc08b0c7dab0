#!/usr/bin/env bash
# Installs the Debian packages listed in packaging/debian-packages.txt that
# are not installed yet (apt-get; as root, or through sudo when available).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
SUDO=""
if [ "$(id -u)" != 0 ]; then
  command -v sudo >/dev/null || { echo "install-build-deps: run as root (or install sudo)" >&2; exit 1; }
  SUDO=sudo
fi
missing=()
while read -r p; do
  case "$p" in ""|\#*) continue ;; esac
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done < "$here/debian-packages.txt"
if [ ${#missing[@]} -gt 0 ]; then
  echo "installing ${#missing[@]} Debian packages: ${missing[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
fi
