#!/usr/bin/env bash
# The home cluster's sealed-secrets keypair (docs/sealed-secrets.md §1, docs/deploy-k3s.md), against the current kubectl
# context:
#   fetch-cert [FILE]  the certificate the controller seals with (its newest key) into FILE
#                      (default clusters/k3s/sealed-secrets/sealed-secrets-k3s.crt); commit it
#   backup FILE        every sealing key (private keys, PLAIN TEXT: keep FILE offline, never commit it), mode 0600
#   restore FILE       put the keys of a backup back (before the controller starts, or restart it after)
# Each is idempotent: running it again writes the same file or changes nothing. Files are replaced atomically.
# SEALED_SECRETS_NAMESPACE: where the controller keeps its keys (default kube-system).
set -euo pipefail

ns=${SEALED_SECRETS_NAMESPACE:-kube-system}
selector=sealedsecrets.bitnami.com/sealed-secrets-key
die() { echo "sealing-key: $*" >&2; exit 1; }

# write_atomically FILE MODE: standard input into FILE via a temporary file next to it
write_atomically() {
  local tmp
  tmp=$(mktemp "$1.XXXXXX")
  chmod "$2" "$tmp"
  cat >"$tmp" || { rm -f "$tmp"; return 1; }
  mv -f "$tmp" "$1"
}

keys() { kubectl get secret -n "$ns" -l "$selector" "$@"; }

case "${1:-}" in
  fetch-cert)
    out=${2:-clusters/k3s/sealed-secrets/sealed-secrets-k3s.crt}
    # the controller seals with the newest active key
    crt=$(keys -l "$selector=active" --sort-by=.metadata.creationTimestamp -o jsonpath='{.items[-1:].data.tls\.crt}')
    [ -n "$crt" ] || die "no active sealing key in namespace $ns: has the sealed-secrets controller started?"
    base64 -d <<<"$crt" | write_atomically "$out" 0644
    echo "sealing certificate of namespace $ns -> $out (commit it)" >&2
    ;;
  backup)
    [ $# -eq 2 ] || die "usage: $0 backup FILE"
    [ -n "$(keys -o name)" ] || die "no sealing key in namespace $ns: nothing to back up"
    # without the fields the API server sets, so that the backup applies to a new cluster
    keys -o yaml | grep -v -E '^    (resourceVersion|uid|creationTimestamp): ' | write_atomically "$2" 0600
    echo "$(keys -o name | wc -l) sealing key(s) of namespace $ns -> $2 (PLAIN TEXT: store it offline, then delete it here)" >&2
    ;;
  restore)
    [ $# -eq 2 ] || die "usage: $0 restore FILE"
    [ -f "$2" ] || die "$2: no such backup"
    kubectl apply -n "$ns" -f "$2"
    echo "restored; if the controller is already running, restart it so it reads them:" >&2
    echo "  kubectl -n $ns delete pod -l app.kubernetes.io/name=sealed-secrets" >&2
    ;;
  *) die "usage: $0 fetch-cert [FILE] | backup FILE | restore FILE" ;;
esac
