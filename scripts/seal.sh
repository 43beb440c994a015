#!/usr/bin/env bash
# Seals a Secret file offline for one environment, with the certificate committed for it
# (clusters/<env>/sealed-secrets/sealed-secrets-<env>.crt), and prints the SealedSecret (or writes it with --out).
# `make seal ENV=k3d IN=secret.yaml` runs this: the homestack Maven plugin's `seal` goal, through plugin-goal.sh.
set -euo pipefail

usage() {
  cat <<'EOF'
usage: scripts/seal.sh [--scope strict|namespace-wide|cluster-wide] [--out FILE] ENV SECRET.yaml
       make seal ENV=k3d|k3s IN=SECRET.yaml [SCOPE=strict] [OUT=FILE]

  ENV          k3d (test key, public: never a real credential) or k3s (the home cluster)
  SECRET.yaml  one v1 Secret (data or stringData); keep it outside the repository and delete it afterwards
  --scope      strict (default: bound to namespace and name), namespace-wide, cluster-wide
  --out FILE   write the SealedSecret to FILE (replaced atomically) instead of standard output
EOF
}

scope=strict
out=""
while [ $# -gt 0 ]; do
  case "$1" in
    --scope) [ $# -ge 2 ] || { usage >&2; exit 2; }; scope=$2; shift 2 ;;
    --out) [ $# -ge 2 ] || { usage >&2; exit 2; }; out=$2; shift 2 ;;
    -h|--help) usage; exit 0 ;;
    --) shift; break ;;
    -*) echo "seal: unknown option $1" >&2; usage >&2; exit 2 ;;
    *) break ;;
  esac
done
if [ $# -ne 2 ] || [ -z "$1" ] || [ -z "$2" ]; then
  usage >&2
  exit 2
fi
env=$1
input=$2

# shellcheck source=plugin-goal.sh
. "$(dirname "${BASH_SOURCE[0]}")/plugin-goal.sh"

args=("-Dhomestack.seal.environment=${env}"
  "-Dhomestack.seal.input=$(absolute "$input")"
  "-Dhomestack.seal.scope=${scope}"
  "-Dhomestack.seal.repositoryRoot=${homestack_root}")
if [ -n "$out" ]; then
  args+=("-Dhomestack.seal.output=$(absolute "$out")")
fi
run_plugin_goal seal "${args[@]}"
if [ -n "$out" ]; then echo "sealed $input for $env ($scope) into $out" >&2; fi
