#!/usr/bin/env bash
# make cluster-up / make cluster-down: the k3d cluster of clusters/k3d/cluster.yaml (1 server, 2 agents labelled as
# clusters/k3d/inventory.yaml says, the registry registry.localhost:5111). Both are idempotent: a second run says
# what exists and exits 0. `up` checks first: docker running, k3d at K3D_VERSION (versions.env), the ports free,
# enough memory. Needs Docker, so it cannot run in this repository's own tests; the extended workflow runs it.
#   k3d.sh up | down
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=../tooling/k8s-test-binaries/versions.env
. tooling/k8s-test-binaries/versions.env
config=clusters/k3d/cluster.yaml
name=homestack registry=registry.localhost
# The host ports cluster.yaml binds (load balancer and registry), read from it: one place.
mapfile -t ports < <(sed -nE 's/^ *- port: 127\.0\.0\.1:([0-9]+):.*/\1/p; s/^ *hostPort: "([0-9]+)".*/\1/p' "$config")
min_mem_gib=${MIN_MEM_GIB:-8} # the whole release (Istio, cert-manager, Argo CD, media) on three k3s nodes

die() { echo "cluster-$action: $*" >&2; exit 1; }
exists() { k3d cluster get "$name" >/dev/null 2>&1; }

preflight() {
  command -v docker >/dev/null || die "docker is not installed (k3d runs the nodes as Docker containers)"
  docker info >/dev/null 2>&1 || die "docker is not running (or this user may not use it): docker info failed"
  command -v k3d >/dev/null || die "k3d is not installed: install k3d $K3D_VERSION (https://k3d.io)"
  local v
  v=$(k3d version | sed -n 's/^k3d version \(v[0-9.]*\).*/\1/p')
  [[ $v == "$K3D_VERSION" ]] || die "k3d is ${v:-unknown}, homestack pins $K3D_VERSION (tooling/k8s-test-binaries/versions.env)"
  for p in "${ports[@]}"; do
    if (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then die "port $p is in use on 127.0.0.1 (cluster.yaml maps it)"; fi
  done
  local bytes # what Docker may use: the machine's memory on Linux, the VM's with Docker Desktop
  bytes=$(docker info --format '{{.MemTotal}}')
  ((bytes >= min_mem_gib * 1024 * 1024 * 1024)) ||
    die "Docker has $((bytes / 1024 / 1024 / 1024)) GiB of memory, the stack needs $min_mem_gib (MIN_MEM_GIB=... to try anyway)"
}

action=${1:-}
case $action in
  up)
    command -v k3d >/dev/null && exists && {
      echo "cluster $name exists: $(k3d node list --no-headers 2>/dev/null | grep -c "k3d-$name-") nodes, registry $registry:5111"
      echo "kubectl --context k3d-$name get nodes; stop it with: make cluster-down"
      exit 0
    }
    preflight
    k3d cluster create --config "$config"
    kubectl --context "k3d-$name" get nodes -L hardware/usb,hardware/zigbee,storage/nas
    echo "cluster $name is up (kubectl context k3d-$name); next: make stack-up"
    ;;
  down)
    if command -v k3d >/dev/null && exists; then
      k3d cluster delete --config "$config" # also deletes the registry it created
      echo "cluster $name deleted"
    else
      echo "no cluster $name: nothing to delete"
    fi
    ;;
  *) echo "usage: k3d.sh up | down" >&2; exit 2 ;;
esac
