#!/usr/bin/env bash
# Fills a sources directory for homestack:mirror (docs/mirror.md) with the Git sources the bundles use that a Go
# module ships: $DIR/sources/<host>/<repository path>@<revision>/. Today one: platform/argocd's argocd-install,
# github.com/argoproj/argo-cd at ARGOCD_VERSION, path manifests/, taken from the Go module
# github.com/argoproj/argo-cd/v3 at that version (its zip is the tag's content, checked against the Go checksum
# database by go mod download). Cached: an existing directory is complete (it is moved into place whole).
# Nothing is vendored into the repository.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=versions.env
. "$HERE/versions.env"
DIR=${HOMESTACK_K8S_BIN_DIR:-$HOME/.kubeapitest}
WORK=$DIR/.work

die() { printf 'sources.sh: %s\n' "$*" >&2; exit 1; }

# source_from_module MODULE@VERSION DEST SUBDIR...: the module's SUBDIRs into DEST (sources/<host>/<path>@<revision>)
source_from_module() {
  local mod=$1 dest=$2 json src t d
  shift 2
  if [[ -d $dest ]]; then echo "  $dest (cached)"; return; fi
  command -v go >/dev/null || die "Go is needed to download $mod (the sources come from the Go module proxy)"
  # Argo CD's go.mod says go 1.27: older Go downloads and verifies the zip but does not extract it.
  json=$(cd "$WORK" && GOWORK=off GOTOOLCHAIN=$GO_TOOLCHAIN go mod download -json "$mod" 2>&1) || true
  src=$(sed -n 's/^[[:space:]]*"Dir": "\(.*\)",\{0,1\}$/\1/p' <<<"$json")
  [[ -n $src ]] || die "cannot download $mod: $(tr '\n' ' ' <<<"$json")"
  t=$(mktemp -d "$WORK/source.XXXXXX")
  for d in "$@"; do
    [[ -d $src/$d ]] || die "$mod has no directory $d"
    mkdir -p "$t/$(dirname "$d")" && cp -r "$src/$d" "$t/$d"
  done
  chmod -R u+w "$t"
  mkdir -p "$(dirname "$dest")" && mv "$t" "$dest"
  echo "  $dest (from $mod: $*)"
}

mkdir -p "$WORK"
trap 'rm -rf "$WORK"/source.*' EXIT
echo "Git sources in $DIR/sources:"
source_from_module "github.com/argoproj/argo-cd/v3@$ARGOCD_VERSION" \
  "$DIR/sources/github.com/argoproj/argo-cd@$ARGOCD_VERSION" manifests
