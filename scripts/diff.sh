#!/usr/bin/env bash
# Prints what changed between two releases as Markdown (bundles, charts, images, and the objects of each changed
# bundle): the homestack Maven plugin's `diff` goal, through plugin-goal.sh. `make diff FROM=... TO=...` runs this.
set -euo pipefail

usage() {
  cat <<'EOF_USAGE'
usage: scripts/diff.sh [--out FILE] FROM TO
       make diff FROM=<release> TO=<release> [OUT=target/release-diff.md]

  a release is one of
    clusters/k3d                              a built release module (mvn install): bundles from the checkout's
                                              target/oci, then the local Maven repository
    DIR                                       an OCI image layout holding the release and the bundles it pins
    host[:port]/repository:tag                a release in a registry (also @sha256:<digest>), bundles from the same
                                              registry (settings.xml server <host[:port]> for credentials)
  --out FILE   also write the report to FILE (replaced atomically)
EOF_USAGE
}

# shellcheck source=plugin-goal.sh
. "$(dirname "${BASH_SOURCE[0]}")/plugin-goal.sh"
goal_arguments diff "$@"

# The goal runs in another directory: a path that exists here is passed absolute, anything else as a reference.
release() {
  if [ -e "$1" ]; then absolute "$1"; else printf '%s\n' "$1"; fi
}

args=("-Dhomestack.diff.from=$(release "$first")" "-Dhomestack.diff.to=$(release "$second")")
if [ -n "$out" ]; then
  args+=("-Dhomestack.diff.output=$(absolute "$out")")
fi
run_plugin_goal diff "${args[@]}"
if [ -n "$out" ]; then echo "release diff written to $out" >&2; fi
