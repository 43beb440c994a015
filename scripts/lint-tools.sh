#!/usr/bin/env bash
# The linters `make lint` runs beside shellcheck, pinned, built or installed from the package registries:
#   actionlint (ACTIONLINT_VERSION in versions.env, from its Go module): the GitHub workflows, and shellcheck on
#     their run: blocks;
#   Renovate's own config validator (tooling/renovate: renovate pinned with its whole tree by package-lock.json, from
#     npm): renovate.json.
#   lint-tools.sh install   install both into ~/.kubeapitest/tools/ (cached by version)
#   lint-tools.sh           run both; a missing one is skipped with the reason, and is a failure under CI=true
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=../tooling/k8s-test-binaries/versions.env
. tooling/k8s-test-binaries/versions.env
tools=${HOMESTACK_K8S_BIN_DIR:-$HOME/.kubeapitest}/tools
actionlint=$tools/actionlint/$ACTIONLINT_VERSION/actionlint
renovate=$tools/renovate/$(cat tooling/renovate/package.json tooling/renovate/package-lock.json | cksum | cut -d' ' -f1)
validator=$renovate/node_modules/.bin/renovate-config-validator

if [[ ${1:-} == install ]]; then
  [[ -x $actionlint ]] || GOBIN=${actionlint%/*} CGO_ENABLED=0 go install -trimpath -ldflags="-s -w" \
    "github.com/rhysd/actionlint/cmd/actionlint@$ACTIONLINT_VERSION"
  if [[ ! -x $validator ]]; then
    rm -rf "$renovate.partial" && mkdir -p "$renovate.partial"
    cp tooling/renovate/package.json tooling/renovate/package-lock.json tooling/renovate/.npmrc "$renovate.partial/"
    # --ignore-scripts: no native builds (re2: Renovate falls back to JavaScript regular expressions and says so)
    (cd "$renovate.partial" && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error)
    mv "$renovate.partial" "$renovate"
  fi
  exit 0
fi

missing() {
  local msg="$1 is not installed (scripts/lint-tools.sh install, or make deps)"
  [[ ${CI:-} == true ]] && { echo "FAILED: $msg" >&2; exit 1; }
  echo "SKIPPED: $2: $msg" >&2
}
# Every action from another repository is pinned to a commit (a tag can be moved; Renovate keeps the digests fresh).
unpinned=$(grep -nE '^[[:space:]-]*uses:[[:space:]]*[^.[:space:]][^@[:space:]]*@' .github/workflows/*.yaml |
  grep -vE '@[0-9a-f]{40}[[:space:]]+# v[0-9]' || true)
[[ -z $unpinned ]] || { echo "$unpinned" >&2; echo "FAILED: actions not pinned to a commit SHA with a '# vX.Y.Z' comment (above)" >&2; exit 1; }
echo "workflows: every action pinned to a commit"
if [[ -x $actionlint ]]; then
  workflows=(.github/workflows/*.yaml)
  "$actionlint" -shellcheck="$(command -v shellcheck || true)" "${workflows[@]}"
  echo "actionlint $ACTIONLINT_VERSION: ${#workflows[@]} workflows OK"
else missing "actionlint $ACTIONLINT_VERSION" "the workflows are not linted"; fi
if [[ -x $validator ]]; then
  out=$("$validator" --strict 2>&1) || { echo "$out" >&2; echo "FAILED: renovate.json (Renovate's validator)" >&2; exit 1; }
  grep -q 'Config validated successfully' <<<"$out" || { echo "$out" >&2; exit 1; }
  echo "renovate-config-validator $(node -p 'require("./tooling/renovate/package.json").dependencies.renovate'): renovate.json OK"
else missing "Renovate's config validator" "renovate.json is not validated"; fi
