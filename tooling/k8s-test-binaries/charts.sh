#!/usr/bin/env bash
# Extracts the upstream Helm charts that the bundles pin (charts[] of */*/bundle.yaml) from the projects' Go modules,
# at exactly the pinned chart version, into $DIR/charts/<chart>/<version>/<chart>/ (a charts directory for
# homestack:mirror and homestack:hydrate). Cached: a chart with .complete is not touched again. Every pinned chart
# that cannot be had this way is reported by name, with the reason. Nothing is vendored into the repository.
#
#   charts.sh            extract what is available, report the rest (exit 0 unless an extraction fails)
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
# shellcheck source=versions.env
. "$HERE/versions.env"
DIR=${HOMESTACK_K8S_BIN_DIR:-$HOME/.kubeapitest}
WORK=$DIR/.work

log() { printf '==> %s\n' "$*" >&2; }
die() { printf 'charts.sh: %s\n' "$*" >&2; exit 1; }

# The Go module (and its version) that ships each chart, and the chart's directory in it. A chart is taken only
# when its Chart.yaml there has exactly the pinned version (after build_<chart>, for charts with a build step).
# Charts not listed here, or whose module the proxy does not serve, are reported as unavailable.
source_of() { # source_of CHART VERSION -> "MODULE@VERSION PATH", or "-- reason"
  case $1 in
    sealed-secrets) echo "github.com/bitnami-labs/sealed-secrets@$SEALED_SECRETS_VERSION helm/sealed-secrets" ;; # v0.40.0: chart 2.19.3
    nvidia-device-plugin) echo "github.com/NVIDIA/k8s-device-plugin@v$2 deployments/helm/nvidia-device-plugin" ;; # tag = v<chart>
    cert-manager) echo "github.com/cert-manager/cert-manager@$2 deploy/charts/cert-manager" ;;  # release tag = chart version
    base | istiod | cni | gateway)
      echo "-- istio.io/istio (manifests/charts/$1) is not served at any release version by the Go module proxy" ;;
    csi-driver-nfs) echo "-- the Go module proxy refuses github.com/kubernetes-csi/csi-driver-nfs (403)" ;;
    alloy) echo "github.com/grafana/alloy@v1.18.1 operations/helm/charts/alloy" ;; # chart 1.10.1; later tags: 403
    loki) echo "-- the OSS chart is in grafana-community/helm-charts, no Go module (grafana/loki's is the GEL chart)" ;;
    versitygw) echo "github.com/versity/versitygw@$VERSITYGW_VERSION chart" ;; # v1.8.0: chart 0.4.1
    *) echo "-- no known Go module ships this chart" ;;
  esac
}

# cert-manager's chart directory has placeholders that its release (make/manifests.mk, helm-chart) fills: version
# and appVersion (v0.0.0 in the tree), two Chart.yaml annotations and the README; it packages only these files.
build_cert_manager() { # build_cert_manager SRC OUT VERSION
  local src=$1 out=$2 v=$3 f
  mkdir -p "$out/templates"
  for f in "$src"/templates/*.yaml "$src/templates/_helpers.tpl" "$src/templates/NOTES.txt"; do cp "$f" "$out/templates/"; done
  cp "$src/values.yaml" "$src/values.schema.json" "$src/.helmignore" "$out/"
  sed -e "s:{{RELEASE_VERSION}}:$v:g" "$src/README.template.md" >"$out/README.md"
  awk -v v="$v" -v key="$src/signkey_annotation.txt" '
    /^version: / { print "version: " v; next }
    /^appVersion: / { print "appVersion: " v; next }
    { print }
    /^annotations:$/ { print "  artifacthub.io/prerelease: \"false\""; print "  artifacthub.io/signKey: |"
      while ((getline l < key) > 0) print "    " l }' "$src/Chart.yaml" >"$out/Chart.yaml"
}

# pins: "chart version" for every charts[] entry of the bundles (chart: overrides name:)
pins() {
  awk '/^charts:/ { c = 1; next } /^[^ #]/ { c = 0 }
    c && /^  - name:/ { if (n) print (k ? k : n), v; n = $3; k = ""; v = "" }
    c && /^    chart:/ { k = $2 } c && /^    version:/ { v = $2 }
    END { if (n) print (k ? k : n), v }' "$@" | sort -u
}

chart_version() { sed -n 's/^version:[[:space:]]*"\{0,1\}\([^"]*\)"\{0,1\}[[:space:]]*$/\1/p' "$1"; }

mkdir -p "$WORK"
trap 'chmod -R u+w "$WORK"/chart.* 2>/dev/null || true; rm -rf "$WORK"/chart.*' EXIT
AVAILABLE=() UNAVAILABLE=()
while read -r chart version; do
  dest=$DIR/charts/$chart/$version
  if [[ -e $dest/.complete ]]; then AVAILABLE+=("$(printf '%-16s %-9s %s' "$chart" "$version" "$dest/$chart")"); continue; fi
  read -r mod path <<<"$(source_of "$chart" "$version")"
  if [[ $mod == -- ]]; then UNAVAILABLE+=("$chart $version: $path"); continue; fi
  command -v go >/dev/null || die "Go is needed to download $mod (the charts come from the Go module proxy)"
  json=$(cd "$WORK" && GOWORK=off go mod download -json "$mod" 2>&1) || true
  src=$(sed -n 's/^[[:space:]]*"Dir": "\(.*\)",\{0,1\}$/\1/p' <<<"$json")
  if [[ -z $src ]]; then UNAVAILABLE+=("$chart $version: cannot download $mod: $(tr '\n' ' ' <<<"$json")"); continue; fi
  t=$(mktemp -d "$WORK/chart.XXXXXX")
  if [[ $chart == cert-manager ]]; then build_cert_manager "$src/$path" "$t/$chart" "$version"
  else cp -r "$src/$path" "$t/$chart" && chmod -R u+w "$t/$chart"; fi
  got=$(chart_version "$t/$chart/Chart.yaml")
  if [[ $got != "$version" ]]; then
    UNAVAILABLE+=("$chart $version: $mod $path has chart version $got, not the pinned $version")
    rm -rf "$t"; continue
  fi
  rm -rf "$dest" && mkdir -p "$dest" && mv "$t/$chart" "$dest/" && rm -rf "$t" && touch "$dest/.complete"
  log "extracted $chart $version from $mod $path"
  AVAILABLE+=("$(printf '%-16s %-9s %s' "$chart" "$version" "$dest/$chart")")
done < <(pins "$ROOT"/*/*/bundle.yaml)

echo "Charts in $DIR/charts (one charts directory per chart and version):"
for a in "${AVAILABLE[@]}"; do echo "  $a"; done
if ((${#UNAVAILABLE[@]})); then
  echo "Pinned charts NOT available here (not mirrored, not verified):"
  for u in "${UNAVAILABLE[@]}"; do echo "  $u"; done
fi
