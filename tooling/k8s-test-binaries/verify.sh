#!/usr/bin/env bash
# Smoke test of what build.sh built: etcd + kube-apiserver (+ kube-scheduler, kube-controller-manager, kwok,
# sealed-secrets-controller, kubeseal) started by hand on loopback with self-signed certs, then kubectl against it.
# Leaves nothing running. Needs openssl and curl.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=versions.env
. "$HERE/versions.env"
DIR=${HOMESTACK_K8S_BIN_DIR:-$HOME/.kubeapitest}
B=$DIR/k8s/${K8S_VERSION#v}-$(uname -s | tr '[:upper:]' '[:lower:]')-amd64
T=$(mktemp -d)
PIDS=()
cleanup() {
  local p _
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
  for _ in $(seq 1 20); do kill -0 "${PIDS[@]}" 2>/dev/null || break; sleep 0.5; done
  for p in "${PIDS[@]}"; do kill -9 "$p" 2>/dev/null || true; done
  rm -rf "$T"
}
trap cleanup EXIT
fail() {
  echo "FAIL: $*" >&2; tail -n 20 "$T"/*.log >&2 || true
  [[ -z ${KUBECONFIG:-} ]] || "$B/kubectl" get all,events -A >&2 || true
  exit 1
}
port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
wait_for() { local _; for _ in $(seq 1 "$1"); do eval "$2" >/dev/null 2>&1 && return 0; sleep 1; done; fail "timeout: $2"; }
start() { local name=$1; shift; "$@" >"$T/$name.log" 2>&1 & PIDS+=($!); }

cd "$T"
openssl req -x509 -newkey rsa:2048 -nodes -keyout ca.key -out ca.crt -days 1 -subj /CN=verify-ca 2>/dev/null
openssl req -newkey rsa:2048 -nodes -keyout server.key -out server.csr -subj /CN=kube-apiserver 2>/dev/null
openssl x509 -req -in server.csr -CA ca.crt -CAkey ca.key -CAcreateserial -out server.crt -days 1 \
  -extfile <(printf 'subjectAltName=IP:127.0.0.1,DNS:localhost,IP:10.0.0.1') 2>/dev/null
openssl req -newkey rsa:2048 -nodes -keyout admin.key -out admin.csr -subj /O=system:masters/CN=admin 2>/dev/null
openssl x509 -req -in admin.csr -CA ca.crt -CAkey ca.key -CAcreateserial -out admin.crt -days 1 2>/dev/null
openssl genrsa -out sa.key 2048 2>/dev/null

EP=$(port) EPP=$(port) AP=$(port)
start etcd "$B/etcd" --data-dir "$T/etcd" --listen-client-urls "http://127.0.0.1:$EP" \
  --advertise-client-urls "http://127.0.0.1:$EP" --listen-peer-urls "http://127.0.0.1:$EPP" \
  --initial-advertise-peer-urls "http://127.0.0.1:$EPP" --initial-cluster "default=http://127.0.0.1:$EPP" --unsafe-no-fsync
start kube-apiserver "$B/kube-apiserver" --etcd-servers "http://127.0.0.1:$EP" --bind-address 127.0.0.1 \
  --advertise-address 127.0.0.1 --secure-port "$AP" --cert-dir "$T/certs" --tls-cert-file server.crt \
  --tls-private-key-file server.key --client-ca-file ca.crt --authorization-mode Node,RBAC \
  --service-account-issuer "https://127.0.0.1:$AP" --service-account-key-file sa.key \
  --service-account-signing-key-file sa.key --service-cluster-ip-range 10.0.0.0/24 --allow-privileged
export KUBECONFIG=$T/kubeconfig
kubectl() { "$B/kubectl" "$@"; }
kubectl config set-cluster v --server "https://127.0.0.1:$AP" --certificate-authority ca.crt --embed-certs >/dev/null
kubectl config set-credentials admin --client-certificate admin.crt --client-key admin.key --embed-certs >/dev/null
kubectl config set-context v --cluster v --user admin >/dev/null && kubectl config use-context v >/dev/null
wait_for 60 'kubectl get --raw /readyz'
kubectl version
kubectl get ns
V=$(curl -sf --cacert ca.crt --cert admin.crt --key admin.key "https://127.0.0.1:$AP/version" | sed -n 's/.*"gitVersion": "\(.*\)".*/\1/p')
[[ $V == "$K8S_VERSION" ]] || fail "/version gitVersion is '$V', expected $K8S_VERSION"
echo "OK /version gitVersion=$V"

# every upstream CRD is accepted and becomes Established
for d in "$DIR"/crds/*/*/; do kubectl apply --server-side -f "$d" >/dev/null || fail "CRDs in $d"; done
kubectl wait --for condition=Established crd --all --timeout 60s >/dev/null || fail "CRDs not Established"
echo "OK $(kubectl get crd -o name | wc -l) CRDs from $DIR/crds Established"

# kube-scheduler + kube-controller-manager + kwok: a Deployment's pod lands on a fake node and runs
start kube-controller-manager "$B/kube-controller-manager" --kubeconfig "$KUBECONFIG" --bind-address 127.0.0.1 \
  --secure-port 0 --root-ca-file ca.crt --service-account-private-key-file sa.key --use-service-account-credentials \
  --leader-elect=false
start kube-scheduler "$B/kube-scheduler" --kubeconfig "$KUBECONFIG" --bind-address 127.0.0.1 --secure-port 0 --leader-elect=false
start kwok "$B/kwok" --kubeconfig "$KUBECONFIG" --config "$B/kwok-stages.yaml" --manage-all-nodes=false \
  --manage-nodes-with-annotation-selector kwok.x-k8s.io/node=fake --cidr 10.244.0.0/24 --node-ip 10.0.0.2
kubectl apply -f - <<'EOF' >/dev/null
apiVersion: v1
kind: Node
metadata: {name: fake-0, annotations: {kwok.x-k8s.io/node: fake}, labels: {type: kwok}}
status: {phase: Running}
EOF
wait_for 60 "kubectl get node fake-0 -o jsonpath='{.status.conditions[?(@.type==\"Ready\")].status}' | grep -qx True"
echo "OK kwok made node fake-0 Ready"
wait_for 60 'kubectl get sa default -n default'
kubectl create deployment web --image=example.invalid/web:1 >/dev/null
wait_for 90 "kubectl get pods -l app=web -o jsonpath='{.items[0].status.phase}' | grep -qx Running"
kubectl get pods -o wide
echo "OK kube-controller-manager + kube-scheduler + kwok ran a Deployment's pod"

# sealed-secrets-controller from outside the cluster (KUBECONFIG), then seal with kubeseal and let it unseal
SP=$(port) MP=$(port)
POD_NAMESPACE=kube-system start sealed-secrets-controller "$B/sealed-secrets-controller" \
  --listen-addr "127.0.0.1:$SP" --listen-metrics-addr "127.0.0.1:$MP" --key-prefix sealed-secrets-key
wait_for 60 "curl -sf http://127.0.0.1:$SP/v1/cert.pem -o cert.pem"
kubectl create secret generic s1 -n default --from-literal=k=hello --dry-run=client -o yaml |
  "$B/kubeseal" --cert cert.pem -o yaml >sealed.yaml
kubectl apply -f sealed.yaml >/dev/null
wait_for 60 'kubectl get secret s1 -n default'
[[ $(kubectl get secret s1 -n default -o jsonpath='{.data.k}' | base64 -d) == hello ]] || fail "unsealed value differs"
echo "OK sealed-secrets-controller (KUBECONFIG) unsealed a SealedSecret made by kubeseal"
echo "verify: all OK"
