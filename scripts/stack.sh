#!/usr/bin/env bash
# make stack-up / stack-down / status: the release on the k3d cluster of `make cluster-up` (docs/k3d.md).
#   up:     push every bundle and the release to the k3d registry (make push), install upstream Argo CD at
#           ARGOCD_VERSION and then the argocd bundle's render (server-side applies; from then on Argo CD manages
#           itself), apply the release's root Application, and wait with progress until every Application is Synced
#           and Healthy (the Java watcher make preview uses); else print what failed in Argo CD's words and exit 1.
#   down:   delete the root Application (Argo CD prunes what the release created), then Argo CD itself.
#   status: the Applications, and the URLs of the cluster's VirtualServices with the logins and the CA to trust.
# Every kubectl call names the k3d context, so no other cluster is touched. Needs Docker (the extended workflow runs it).
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=../tooling/k8s-test-binaries/versions.env
. tooling/k8s-test-binaries/versions.env
ctx=k3d-homestack
kc=(kubectl --context "$ctx")
read -r -a mvn <<<"${MVN:-mvn -B}"
root=clusters/k3d/target/root-application-k3d.yaml
# Upstream's Argo CD install at the pinned tag: the copy sources.sh took from Argo CD's Go module (make deps) when it
# is there (the same files, checked by the Go checksum database), else kustomize fetches the tag from GitHub.
install=${HOMESTACK_K8S_BIN_DIR:-$HOME/.kubeapitest}/sources/github.com/argoproj/argo-cd@$ARGOCD_VERSION/manifests/cluster-install
[[ -d $install ]] || install="https://github.com/argoproj/argo-cd/manifests/cluster-install?ref=$ARGOCD_VERSION"

die() { echo "stack-$action: $*" >&2; exit 1; }

urls() {
  local hosts host
  # Every host the release routes through the gateway, as the cluster has it (what Argo CD deployed, not a list here).
  hosts=$("${kc[@]}" get virtualservices.networking.istio.io -A \
    -o jsonpath='{.items[*].spec.hosts[*]}' 2>/dev/null | tr ' ' '\n' |
    grep '\.homestack\.localhost$' | sort -u) || true
  echo "URLs (through the Istio gateway on localhost:8443):"
  [[ -n $hosts ]] || echo "  none yet: no VirtualService on $ctx"
  for host in $hosts; do echo "  https://$host:8443"; done
  cat <<MSG
Argo CD login: admin, password:
  kubectl --context $ctx -n argocd get secret argocd-initial-admin-secret -o jsonpath='{.data.password}' | base64 -d
Grafana login (the sealed Secret observability/grafana-admin):
  kubectl --context $ctx -n observability get secret grafana-admin -o jsonpath='{.data.admin-user}' | base64 -d
  kubectl --context $ctx -n observability get secret grafana-admin -o jsonpath='{.data.admin-password}' | base64 -d
The CA to trust (cert-manager's homestack-ca):
  kubectl --context $ctx -n cert-manager get secret homestack-ca -o jsonpath='{.data.ca\.crt}' | base64 -d > homestack-ca.crt
MSG
}

action=${1:-}
[[ $action =~ ^(up|down|status)$ ]] || { echo "usage: stack.sh up | down | status" >&2; exit 2; }
for tool in kubectl k3d java "${mvn[0]}"; do command -v "$tool" >/dev/null || die "$tool is not on the PATH (docs/k3d.md)"; done
"${kc[@]}" get --raw /readyz >/dev/null 2>&1 || die "no k3d cluster (kubectl context $ctx): run make cluster-up"

case $action in
  up)
    make --no-print-directory push MVN="${mvn[*]} -Dinvoker.skip=true" # tests skipped, the plugin ITs too
    echo "==> Argo CD $ARGOCD_VERSION: upstream's cluster-install ($install), then the argocd bundle"
    "${kc[@]}" apply --server-side --force-conflicts -k "$install" >/dev/null
    "${kc[@]}" wait --for=condition=Established --timeout=60s crd/applications.argoproj.io crd/appprojects.argoproj.io
    "${kc[@]}" apply --server-side --force-conflicts -f platform/argocd/target/bundle/k3d/ >/dev/null
    "${kc[@]}" -n argocd rollout status statefulset/argocd-application-controller --timeout=300s
    "${kc[@]}" -n argocd rollout status deploy/argocd-repo-server --timeout=300s
    echo "==> the release's root Application ($root)"
    "${kc[@]}" apply -f "$root"
    cp=$PWD/tooling/bundle-test/target/stack-classpath
    "${mvn[@]}" -q dependency:build-classpath -pl tooling/bundle-test -Dmdep.outputFile="$cp" >/dev/null
    KUBECONFIG=$(k3d kubeconfig write homestack) java -cp "tooling/bundle-test/target/classes:$(cat "$cp")" \
      io.homestack.bundle.test.preview.StackWait "${STACK_TIMEOUT:-1200}"
    urls
    ;;
  down)
    apps() { "${kc[@]}" -n argocd get applications.argoproj.io -o name 2>/dev/null || true; }
    others() { apps | grep -vE '/argocd(-install)?$' || true; } # every Application but Argo CD's own
    unfinalize() { "${kc[@]}" -n argocd patch "$1" --type merge -p '{"metadata":{"finalizers":null}}' >/dev/null || true; }
    # The root first (no finalizer: its bundle Applications stay, but nothing recreates them), then every bundle but
    # Argo CD's own, which Argo CD prunes (their finalizer), waiting up to 10 minutes; what is left then loses its
    # finalizer. Argo CD itself goes last, unpruned: its Applications, upstream's install, the namespace.
    if [[ -f $root ]]; then "${kc[@]}" delete --ignore-not-found -f "$root"; fi
    for app in $(others); do "${kc[@]}" -n argocd delete "$app" --wait=false; done
    for _ in $(seq 120); do
      [[ -z $(others) ]] && break
      echo "waiting for Argo CD to prune: $(others | sed 's|.*/||' | tr '\n' ' ')"
      sleep 5
    done
    for app in $(apps); do unfinalize "$app"; "${kc[@]}" -n argocd delete "$app" --ignore-not-found; done
    "${kc[@]}" delete --ignore-not-found -k "$install" >/dev/null || true
    "${kc[@]}" delete namespace argocd --ignore-not-found
    echo "stack removed from $ctx (the cluster stays: make cluster-down)"
    ;;
  status)
    "${kc[@]}" -n argocd get applications.argoproj.io \
      -o custom-columns='APPLICATION:.metadata.name,WAVE:.metadata.annotations.argocd\.argoproj\.io/sync-wave,SYNC:.status.sync.status,HEALTH:.status.health.status' \
      2>/dev/null || echo "no Argo CD on $ctx: run make stack-up"
    urls
    ;;
esac
