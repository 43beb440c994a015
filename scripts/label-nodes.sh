#!/usr/bin/env bash
# Labels the home cluster's machines as clusters/k3s/inventory.yaml says (hardware/nvidia, hardware/zigbee,
# hardware/usb, storage/nas): the hard node affinity of hardware-bound workloads selects on them. The kubectl commands
# are generated from the inventory by the homestack Maven plugin's `node-labels` goal; without --apply they are only
# printed. `kubectl label --overwrite`: running it again changes nothing. Needs the plugin installed (make build).
#   make label-nodes              print the commands
#   make label-nodes APPLY=1      run them against the current kubectl context (the home cluster)
set -euo pipefail

apply=false
if [ "${1:-}" = --apply ]; then apply=true; shift; fi
inventory=${1:-clusters/k3s/inventory.yaml}

# shellcheck source=plugin-goal.sh
. "$(dirname "${BASH_SOURCE[0]}")/plugin-goal.sh"

commands=$(run_plugin_goal node-labels "-Dhomestack.inventory=$(absolute "$inventory")")
if ! $apply; then
  printf '%s\n' "$commands"
  exit 0
fi
while read -r line; do
  [ -n "$line" ] || continue
  echo "+ $line" >&2
  # The generated line is `kubectl label node <name> --overwrite k=v...`, validated words only: split on spaces.
  read -r -a words <<<"$line"
  "${words[@]}"
done <<<"$commands"
