#!/usr/bin/env bash
# Frigate's own config model for apps/security's tests: $DIR/frigate/<FRIGATE_VERSION>/ with
#   src/frigate/   Frigate's Python package from the Go module github.com/blakeblackshear/frigate@FRIGATE_VERSION (the
#                  tag's content, checked against the Go checksum database), plus the frigate/version.py its Makefile
#                  writes at image build time;
#   src/rootfs/    the image files the config model reads (labelmap.txt at /, docker/main/rootfs/labelmap/);
#   venv/          Python 3.11 (the image's) with frigate-config/requirements.txt from PyPI.
# Cached: a directory with .complete is done; anything else is rebuilt. Nothing of Frigate is committed here.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=versions.env
. "$HERE/versions.env"
DIR=${HOMESTACK_K8S_BIN_DIR:-$HOME/.kubeapitest}
# Debian 12's Python 3.11 (python3-venv, installed by install-test-deps.sh), not whatever python3.11 the PATH has.
PYTHON=${FRIGATE_PYTHON:-/usr/bin/python3.11}
OUT=$DIR/frigate/$FRIGATE_VERSION

die() { printf 'frigate-config.sh: %s\n' "$*" >&2; exit 1; }

if [[ -f $OUT/.complete ]] && cmp -s "$HERE/frigate-config/requirements.txt" "$OUT/requirements.txt"; then
  echo "Frigate config model: $OUT (cached)"; exit 0
fi
command -v go >/dev/null || die "Go is needed to download Frigate's source (the Go module proxy serves the tag)"
command -v "$PYTHON" >/dev/null || die "$PYTHON is needed (Frigate $FRIGATE_VERSION's image runs Python 3.11; its wheels are cp311)"
"$PYTHON" -c 'import ensurepip, venv' 2>/dev/null || die "$PYTHON cannot make a venv: apt-get install python3-venv"

mod=github.com/blakeblackshear/frigate@$FRIGATE_VERSION
json=$(mkdir -p "$DIR/.work" && cd "$DIR/.work" && GOWORK=off GOFLAGS=-mod=mod go mod download -json "$mod" 2>&1) || true
src=$(sed -n 's/^[[:space:]]*"Dir": "\(.*\)",\{0,1\}$/\1/p' <<<"$json")
[[ -n $src && -d $src/frigate ]] || die "cannot download $mod: $(tr '\n' ' ' <<<"$json")"

rm -rf "$OUT" && mkdir -p "$OUT/src/rootfs"
cp -r "$src/frigate" "$OUT/src/frigate"
cp -r "$src/labelmap.txt" "$src/audio-labelmap.txt" "$src/docker/main/rootfs/labelmap" "$OUT/src/rootfs/"
chmod -R u+w "$OUT/src"
printf 'VERSION = "%s"\n' "${FRIGATE_VERSION#v}" >"$OUT/src/frigate/version.py"
"$PYTHON" -m venv "$OUT/venv"
"$OUT/venv/bin/python" -m pip install -q --disable-pip-version-check --no-deps -r "$HERE/frigate-config/requirements.txt"
cp "$HERE/frigate-config/requirements.txt" "$OUT/requirements.txt"
touch "$OUT/.complete"
echo "Frigate config model: $OUT (from $mod and PyPI)"
