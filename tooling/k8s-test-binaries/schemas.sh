#!/usr/bin/env bash
# The JSON schemas configs are validated against, from the Go modules of the tools that define them (checked against
# the Go checksum database by go mod download); nothing is vendored into the repository. Today one: k3d's config
# schema at K3D_VERSION (pkg/config/v1alpha5/schema.json of github.com/k3d-io/k3d/v5), for clusters/k3d/cluster.yaml:
# $DIR/schemas/k3d/<K3D_VERSION>/config-v1alpha5.json. Cached: an existing file is complete (moved into place whole).
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=versions.env
. "$HERE/versions.env"
DIR=${HOMESTACK_K8S_BIN_DIR:-$HOME/.kubeapitest}
dest=$DIR/schemas/k3d/$K3D_VERSION/config-v1alpha5.json
mod=github.com/k3d-io/k3d/v5@$K3D_VERSION

if [[ -f $dest ]]; then echo "k3d config schema: $dest (cached)"; exit 0; fi
command -v go >/dev/null || { echo "schemas.sh: Go is needed to download $mod" >&2; exit 1; }
mkdir -p "$DIR/.work" "$(dirname "$dest")"
json=$(cd "$DIR/.work" && GOWORK=off go mod download -json "$mod" 2>&1) || true
src=$(sed -n 's/^[[:space:]]*"Dir": "\(.*\)",\{0,1\}$/\1/p' <<<"$json")
[[ -f $src/pkg/config/v1alpha5/schema.json ]] ||
  { echo "schemas.sh: no pkg/config/v1alpha5/schema.json from $mod: $(tr '\n' ' ' <<<"$json")" >&2; exit 1; }
cp "$src/pkg/config/v1alpha5/schema.json" "$dest.tmp" && chmod u+w "$dest.tmp" && mv "$dest.tmp" "$dest"
echo "k3d config schema: $dest (from $mod)"
