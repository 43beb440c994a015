#!/usr/bin/env bash
# The control flow of scripts/k3d.sh (make cluster-up/cluster-down) without Docker: docker, k3d and kubectl are
# stand-ins on the PATH that record their calls and answer as a scenario says. It proves the preflight messages, the
# idempotent second runs and which k3d commands run; not that k3d creates the cluster (the extended workflow's k3d
# job does that for real).
set -euo pipefail
cd "$(dirname "$0")/.."
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir "$work/bin"
# Stand-ins: $work/calls records every call; the environment says how to answer.
cat >"$work/bin/docker" <<'STUB'
#!/usr/bin/env bash
echo "docker $*" >>"$CALLS"
[[ $1 == info && ${DOCKER_DOWN:-} ]] && exit 1
[[ $* == *MemTotal* ]] && echo "${DOCKER_MEM:-17179869184}"
exit 0
STUB
cat >"$work/bin/k3d" <<'STUB'
#!/usr/bin/env bash
echo "k3d $*" >>"$CALLS"
case $1 in
  version) echo "k3d version ${K3D_SAYS:-v5.9.0}"; echo "k3s version v1.35.4-k3s1 (default)" ;;
  cluster) [[ $2 != get || ${EXISTS:-} ]] ;;
  node) printf 'k3d-homestack-%s\n' server-0 agent-0 agent-1 ;;
esac
STUB
cat >"$work/bin/kubectl" <<'STUB'
#!/usr/bin/env bash
echo "kubectl $*" >>"$CALLS"
[[ $* == *virtualservices* && -n ${VS_HOSTS:-} ]] && echo "$VS_HOSTS"
exit 0
STUB
chmod +x "$work/bin/"*
export CALLS=$work/calls PATH=$work/bin:$PATH

fails=0
# expect STATUS TEXT [ENV=value...] -- ARGS: runs scripts/k3d.sh ARGS, checks the exit status and that TEXT is printed
expect() {
  local want=$1 text=$2 out status=0
  shift 2
  local envs=()
  while [[ $1 != -- ]]; do envs+=("$1"); shift; done
  shift
  : >"$CALLS"
  out=$(env "${envs[@]}" scripts/k3d.sh "$@" 2>&1) || status=$?
  if [[ $status != "$want" || $out != *"$text"* ]]; then
    echo "FAILED: k3d.sh $* (${envs[*]}): exit $status (want $want), output: $out" >&2
    fails=$((fails + 1))
  fi
}
called() { grep -qx "$1" "$CALLS" || { echo "FAILED: expected the call '$1'; calls: $(tr '\n' ';' <"$CALLS")" >&2; fails=$((fails + 1)); }; }
not_called() { ! grep -q "$1" "$CALLS" || { echo "FAILED: unexpected call '$1'" >&2; fails=$((fails + 1)); }; }

expect 1 "docker is not running" DOCKER_DOWN=1 -- up
expect 1 "k3d is v5.8.0, homestack pins v5.9.0" K3D_SAYS=v5.8.0 -- up
expect 1 "Docker has 4 GiB of memory, the stack needs 8" DOCKER_MEM=4294967296 -- up
not_called "k3d cluster create"
expect 0 "cluster homestack exists: 3 nodes" EXISTS=1 -- up
not_called "k3d cluster create"
if ! (exec 3<>/dev/tcp/127.0.0.1/8443) 2>/dev/null; then # the port check, where 8443 is free to listen on
  python3 -c 'import socket,time; s=socket.socket(); s.bind(("127.0.0.1",8443)); s.listen(); time.sleep(30)' &
  listener=$!
  for _ in $(seq 50); do (exec 3<>/dev/tcp/127.0.0.1/8443) 2>/dev/null && break; sleep 0.1; done
  expect 1 "port 8443 is in use on 127.0.0.1" -- up
  kill "$listener"
fi
expect 0 "cluster homestack is up" -- up
called "k3d cluster create --config clusters/k3d/cluster.yaml"
expect 0 "no cluster homestack: nothing to delete" -- down
not_called "k3d cluster delete"
expect 0 "cluster homestack deleted" EXISTS=1 -- down
called "k3d cluster delete --config clusters/k3d/cluster.yaml"
expect 2 "usage" -- sideways

# stack.sh status: the URLs are the cluster's VirtualService hosts on the k3d domain, each once, with the logins.
out=$(VS_HOSTS='sonarr.homestack.localhost grafana.homestack.localhost sonarr.homestack.localhost mesh.svc.internal' \
  scripts/stack.sh status 2>&1) || { echo "FAILED: stack.sh status: $out" >&2; fails=$((fails + 1)); }
urls=$'URLs (through the Istio gateway on localhost:8443):\n  https://grafana.homestack.localhost:8443\n  https://sonarr.homestack.localhost:8443\nArgo CD login'
[[ $out == *"$urls"* && $(grep -c https:// <<<"$out") == 2 && $out == *grafana-admin* && $out == *homestack-ca* ]] ||
  { echo "FAILED: stack.sh status does not list the VirtualServices' URLs and the logins: $out" >&2; fails=$((fails + 1)); }
out=$(scripts/stack.sh status 2>&1) || true
[[ $out == *"none yet: no VirtualService on k3d-homestack"* ]] ||
  { echo "FAILED: stack.sh status without VirtualServices: $out" >&2; fails=$((fails + 1)); }

((fails == 0)) || { echo "check-k3d-scripts: $fails check(s) failed" >&2; exit 1; }
echo "check-k3d-scripts: scripts/k3d.sh preflight, idempotent up/down; stack.sh status's URLs: OK (docker, k3d, kubectl stood in)"
