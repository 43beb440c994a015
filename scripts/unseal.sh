#!/usr/bin/env bash
# Disaster recovery (docs/sealed-secrets.md): opens a SealedSecret offline with the sealed-secrets key backup (or PEM
# private keys) and prints the Secret, or writes it with --out (mode 0600). `make unseal KEY=... IN=...` runs this:
# the homestack Maven plugin's `unseal` goal, through plugin-goal.sh.
set -euo pipefail

usage() {
  cat <<'USAGE'
usage: scripts/unseal.sh [--out FILE] KEYS SEALED.yaml
       make unseal KEY=key-backup.yaml IN=SEALED.yaml [OUT=FILE]

  KEYS         the key backup (kubectl get secret -n kube-system -l sealedsecrets.bitnami.com/sealed-secrets-key
               -o yaml) or PEM private key files, comma-separated
  SEALED.yaml  one SealedSecret
  --out FILE   write the Secret to FILE (mode 0600, replaced atomically) instead of standard output; it is plain
               text: keep it outside the repository and delete it afterwards
USAGE
}

# shellcheck source=plugin-goal.sh
. "$(dirname "${BASH_SOURCE[0]}")/plugin-goal.sh"
goal_arguments unseal "$@"

keys=()
IFS=, read -ra given <<<"$first"
for k in "${given[@]}"; do keys+=("$(absolute "$k")"); done
args=("-Dhomestack.unseal.keys=$(IFS=,; echo "${keys[*]}")" "-Dhomestack.unseal.input=$(absolute "$second")")
if [ -n "$out" ]; then
  args+=("-Dhomestack.unseal.output=$(absolute "$out")")
fi
run_plugin_goal unseal "${args[@]}"
if [ -n "$out" ]; then echo "unsealed $second into $out (plain text: delete it when done)" >&2; fi
