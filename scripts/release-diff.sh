#!/usr/bin/env bash
# The release diff CI attaches to a GitHub release (release.yaml) and prints for a pull request (pr-validation.yaml):
# the k3d release built in this checkout (clusters/k3d/target) against an earlier release in the registry, as
# Markdown in OUT and, on GitHub, in the job summary. docs/ci.md, docs/releases.md ("Release diff").
#   release-diff.sh REGISTRY PREFIX OUT [VERSION]   compare with REGISTRY/PREFIX/release-k3d:VERSION; without VERSION,
#                                                   the newest v* tag before HEAD (none: says so and succeeds)
# The goal runs from the local Maven repository: the plugin at the POM's version (make build, make push), or
# HOMESTACK_PLUGIN_VERSION=<version> for a build with -Drevision=<version> (release.yaml).
set -euo pipefail
cd "$(dirname "$0")/.."
[[ $# -eq 3 || $# -eq 4 ]] || { echo "usage: $0 REGISTRY PREFIX OUT [VERSION]" >&2; exit 2; }
registry=$1 prefix=$2 out=$3 version=${4:-}
if [[ -z $version ]]; then
  # HEAD^: a tag's own build compares with the tag before it
  if ! tag=$(git describe --tags --abbrev=0 --match 'v*' HEAD^ 2>/dev/null); then
    echo "release diff: no v* tag before HEAD, no earlier release to compare with"
    exit 0
  fi
  version=${tag#v}
fi
[[ -f clusters/k3d/target/oci/oci-layout ]] ||
  { echo "release diff: clusters/k3d is not built (no target/oci); build it first" >&2; exit 1; }
mkdir -p "$(dirname "$out")"
scripts/diff.sh --out "$out" "$registry/$prefix/release-k3d:$version" clusters/k3d >/dev/null
if [[ -n ${GITHUB_STEP_SUMMARY:-} ]]; then cat "$out" >>"$GITHUB_STEP_SUMMARY"; fi
echo "release diff against release-k3d:$version in $registry/$prefix: $out"
