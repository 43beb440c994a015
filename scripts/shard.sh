#!/usr/bin/env bash
# One part of `make test`, for the parallel jobs of pr-validation.yaml (docs/ci.md):
#   scripts/shard.sh NAME     run that part (the test tools installed: scripts/install-test-deps.sh)
#   scripts/shard.sh --list   the parts' names
#   scripts/shard.sh --check  the workflow's matrix names exactly these parts (make lint)
# Together the parts run what `make test` runs: `rest` tests every module that no other part names (by exclusion, so
# a new module is tested there without a change here), and the it-tests part every IT but the k3d sync.
set -euo pipefail
cd "$(dirname "$0")/.."
MVN=${MVN:-mvn -B -Dstyle.color=never}
WORKFLOW=.github/workflows/pr-validation.yaml
PARTS=(checks fresh-clone k3d-sync it-tests bundle-test tooling home-automation platform apps rest)

TOOLING=bom,tooling/test-support,tooling/bundle-core,tooling/bundle-maven-plugin,tooling/bundle-parent,tooling/component-parent
HOME_AUTOMATION=apps/home-automation,apps/home-automation/zigbee-simulator,apps/home-automation/event-bridge
APPS=apps/media,apps/media/nzbget-exporter,apps/security
PLATFORM=platform/argocd,platform/cert-manager,platform/sealed-secrets,platform/istio,platform/ingress,platform/storage
PLATFORM+=,platform/nvidia-device-plugin
NAMED=it-tests,tooling/bundle-test,$TOOLING,$HOME_AUTOMATION,$PLATFORM,$APPS
# The longest test class (the real Argo CD syncing the k3d release, about 3 min here) is a part of its own.
K3D_SYNC=ReleaseSyncIT

# Every module built and installed without tests first (clean: the summary reads only this run's reports), so that the
# part's modules resolve the others from the local repository; then the part's modules verified, and summarised.
verify() {
  # shellcheck disable=SC2086 # MVN is a command line
  $MVN clean install -DskipTests -Dinvoker.skip=true
  # shellcheck disable=SC2086
  $MVN verify "$@"
  java scripts/TestSummary.java .
}

case ${1:-} in
  --list) echo "${PARTS[*]}" ;;
  --check)
    matrix=$(sed -n 's/^ *shard: *\[\(.*\)\] *$/\1/p' "$WORKFLOW" | tr -d ' ' | tr ',' ' ')
    [[ $matrix == "${PARTS[*]}" ]] ||
      { echo "$WORKFLOW: the matrix 'shard: [$matrix]' must list exactly: ${PARTS[*]} (scripts/shard.sh)" >&2; exit 1; }
    ;;
  checks) make lint && scripts/check-reproducible.sh && scripts/check-push.sh ;;
  fresh-clone) scripts/check-fresh-clone.sh ;;
  k3d-sync) verify -pl it-tests -Dit.test="$K3D_SYNC" -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false ;;
  # Failsafe's default includes, stated: with only an exclusion it would run every test class, unit tests too.
  it-tests) verify -pl it-tests -Dit.test="IT*,*IT,*ITCase,!$K3D_SYNC" ;;
  bundle-test) verify -pl tooling/bundle-test ;;
  tooling) verify -pl "$TOOLING" ;;
  home-automation) verify -pl "$HOME_AUTOMATION" ;;
  platform) verify -pl "$PLATFORM" ;;
  apps) verify -pl "$APPS" ;;
  rest) verify -pl "!${NAMED//,/,!}" ;;
  *) echo "usage: scripts/shard.sh --list | --check | NAME (one of: ${PARTS[*]})" >&2; exit 2 ;;
esac
