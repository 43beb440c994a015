#!/usr/bin/env bash
# Installs what the build and the tests need on a Debian machine, idempotently:
#   Debian packages (registry, skopeo, shellcheck, Java, Maven, the Mosquitto broker, nzbget), kustomize when no kubectl
#   is present,
#   the envtest control plane and prometheus/promtool built from Go modules (tooling/k8s-test-binaries/build.sh,
#   cached by version), and the upstream charts and Git sources their Go modules ship (charts.sh, sources.sh).
#
#   install-test-deps.sh [--except TOOL...]   all of it, or all but these Go builds (.ci/run builds them beside make test)
set -euo pipefail
cd "$(dirname "$0")/.."
[[ $# -eq 0 || $1 == --except ]] || { echo "usage: $0 [--except TOOL...] (the tools of tooling/k8s-test-binaries/build.sh)" >&2; exit 2; }

# Kustomize renders the bundles' own objects; used only when kubectl (which has it built in) is missing.
KUSTOMIZE_VERSION=v5.8.1
PACKAGES=(docker-registry skopeo apache2-utils shellcheck curl unzip openjdk-17-jdk-headless maven git stress-ng
  redis-server mosquitto)
# nzbget: the real downloader apps/media/nzbget-exporter's ITs read (the test kit's engine.Nzbget).
PACKAGES+=(nzbget)
# Debian's Python 3.11 venv module: Frigate's config model runs in a venv of it (frigate-config.sh below).
PACKAGES+=(python3-venv)

missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "==> apt-get install ${missing[*]}"
  sudo_cmd=()
  [[ $(id -u) -eq 0 ]] || sudo_cmd=(sudo)
  "${sudo_cmd[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

if ! command -v kubectl >/dev/null && ! command -v kustomize >/dev/null; then
  echo "==> go install kustomize $KUSTOMIZE_VERSION (no kubectl on the PATH)"
  GOBIN=/usr/local/bin go install "sigs.k8s.io/kustomize/kustomize/v5@$KUSTOMIZE_VERSION"
fi

# actionlint and Renovate's config validator, for make lint: mostly downloads (npm), so beside the CPU-bound builds.
scripts/lint-tools.sh install &
lint_tools=$!
# The engines from PyPI, npm and Debian's archive: mostly downloads, so beside the CPU-bound Go builds below (a
# failure in either stops this script at its `wait`).
(
  set -e
  # Home Assistant from PyPI in a venv with its integrations' requirements, for apps/home-automation's HomeAssistantIT.
  tooling/k8s-test-binaries/homeassistant.sh
  # Frigate's own config model (its source from the Go module proxy, a venv from PyPI), for apps/security's tests.
  tooling/k8s-test-binaries/frigate-config.sh
  # The engines the home-automation tests run from npm (Node.js 22, homebridge, zigbee2mqtt's settings schema).
  apps/home-automation/src/test/engines/install.sh
  # The Java components' base image from pinned Debian packages (docs/decisions.md, "Java component images with Jib");
  # the build runs it too, cached by digest, so this only moves the first download out of the test run.
  tooling/base-image/build.sh >/dev/null
) &
engines=$!
# What Go modules ship as files: module downloads, beside the builds too.
(
  set -e
  # The pinned upstream charts that their Go modules ship, for the chart mirror's tests; the rest are named as unavailable.
  tooling/k8s-test-binaries/charts.sh
  # The Git sources Go modules ship (Argo CD's install manifests), for the release E2E's mirror.
  tooling/k8s-test-binaries/sources.sh
  # The config schemas Go modules ship (k3d's, for clusters/k3d/cluster.yaml).
  tooling/k8s-test-binaries/schemas.sh
) &
module_files=$!
# The Go builds, in two lanes of their own (build.sh).
tooling/k8s-test-binaries/build.sh "$@"
wait "$module_files"
wait "$engines"
wait "$lint_tools"
