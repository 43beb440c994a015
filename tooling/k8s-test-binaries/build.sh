#!/usr/bin/env bash
# Builds the containerless envtest control plane (kube-apiserver, etcd, kubectl, kube-controller-manager,
# kube-scheduler, kwok, kubeseal, sealed-secrets-controller, Argo CD's application controller and repo server,
# helm, kustomize; prometheus, promtool, alloy-syntax, otelcol and jaeger for the observability proofs; velero,
# velero-plugin-for-aws and versitygw for the backup proofs; cosign for the release signing proof) from the
# official Go modules at the versions pinned in versions.env, in fabric8 kube-api-test's layout, and copies upstream
# CRDs out of the projects' Go modules. Cached by version: a second run does nothing. See README.md.
#
#   build.sh [kubernetes|etcd|kwok|sealed-secrets|argocd|helm|kustomize|prometheus|alloy-syntax|otelcol|jaeger|velero|versitygw|cosign|crds ...]  all (default) or these
#   build.sh --except TOOL...                                  all but these
#   build.sh --update-modules [TOOL ...]                       regenerate modules/*/go.{mod,sum} (all, or these) from versions.env
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=versions.env
. "$HERE/versions.env"
# Every build runs with one toolchain, GO_TOOLCHAIN (versions.env), which the go command fetches; GO_MIN is the oldest
# go command that switches toolchains (GOTOOLCHAIN)
export GOTOOLCHAIN=$GO_TOOLCHAIN
GO_MIN=1.21.0
DIR=${HOMESTACK_K8S_BIN_DIR:-$HOME/.kubeapitest}
OS=$(uname -s | tr '[:upper:]' '[:lower:]')
case $(uname -m) in x86_64 | amd64) ARCH=amd64 ;; aarch64 | arm64) ARCH=arm64 ;; *) ARCH=$(uname -m) ;; esac
PLAT=${K8S_VERSION#v}-$OS-$ARCH # kube-api-test: k8s/<version without v>-<os>-<arch>
BIN=$DIR/k8s/$PLAT
WORK=$DIR/.work
STAGE=$WORK/$PLAT.partial # becomes $BIN once etcd, kube-apiserver and kubectl are in it
SS=github.com/bitnami-labs/sealed-secrets

log() { printf '==> %s\n' "$*" >&2; }
die() { printf 'build.sh: %s\n' "$*" >&2; exit 1; }

need_go() {
  [[ -n ${GO_OK:-} ]] && return
  command -v go >/dev/null || die "Go not found. Install Go >= $GO_MIN (it fetches $GO_TOOLCHAIN) and rerun,
  or skip this: when online, kube-api-test downloads kube-apiserver+etcd+kubectl itself into \$KUBE_API_TEST_DIR
  (default ~/.kubeapitest); kube-controller-manager, kube-scheduler, kwok and sealed-secrets then stay unavailable."
  local v; v=$(go env GOVERSION); v=${v#go}
  [[ $v == "${GO_TOOLCHAIN#go}" ]] || die "the go command runs Go $v, not GOTOOLCHAIN=$GO_TOOLCHAIN: Go >= $GO_MIN fetches
  it through the module proxy (see README.md)"
  GO_OK=1
}

jfield() { sed -n "s/^[[:space:]]*\"$1\": \"\\(.*\\)\",\\{0,1\\}\$/\\1/p"; }

# mod_get MOD@VER: sets MOD_DIR (the module in the module cache) or, when only the module's go directive is
# newer than this Go (it is downloaded and verified all the same), MOD_ZIP (its zip in the download cache).
mod_get() {
  local json err
  MOD_DIR='' MOD_ZIP=''
  json=$(cd "$WORK" && GOWORK=off go mod download -json "$1" 2>&1) || true # $WORK has no go.mod
  MOD_DIR=$(jfield Dir <<<"$json")
  [[ -n $MOD_DIR ]] && return
  err=$(jfield Error <<<"$json")
  MOD_ZIP=$(jfield Zip <<<"$json")
  [[ $err == *"requires go "* && -f $MOD_ZIP ]] && return
  [[ $err == *verifying* ]] && die "cannot verify $1 against the Go checksum database (GOSUMDB=$(go env GOSUMDB)):
  ${err}
  Make GOSUMDB reachable (or set GOSUMDB to a checksum database mirror you trust) and rerun.
  build.sh never disables verification; if you accept unverified modules, set GONOSUMDB/GOSUMDB=off yourself."
  die "cannot download $1: ${err:-$json}"
}

# module_copy WRAPPER MOD@VER PATH W: MOD@VER copied, writable, to W/src for the caller to patch, and W/build holding
# modules/WRAPPER's go.mod/go.sum with module PATH replaced by that copy (relative: reproducible build info)
module_copy() {
  mod_get "$2"
  rm -rf "$4" && mkdir -p "$4/build" && cp -r "$MOD_DIR" "$4/src" && chmod -R u+w "$4/src"
  cp "$HERE/modules/$1/go.mod" "$HERE/modules/$1/go.sum" "$4/build/"
  (cd "$4/build" && go mod edit -replace "$3=../src")
}

pins() { awk -v m="$2" -v v="$3" '{for(i=1;i<NF;i++) if($i==m && $(i+1)==v) f=1} END{exit !f}' "$HERE/modules/$1/go.mod" ||
  die "modules/$1/go.mod does not pin $2 $3 (versions.env): run '$0 --update-modules' and commit modules/"; }

# -dwarf=false: the linker's -w drops the DWARF anyway; not generating it saves ~12 % of the compile CPU (measured,
# docs/performance.md).
gobuild() { # gobuild MODULE_DIR LDFLAGS -o OUT PKG...
  local mod=$1 ldf=$2; shift 2
  (cd "$mod" && CGO_ENABLED=0 nice -n 10 go build -trimpath -buildvcs=false -gcflags=all=-dwarf=false -ldflags "-s -w $ldf" "$@")
}

module_date() { # module_date MODULE: the release's commit time from the proxy's .info (reproducible, not the wall clock)
  go list -m -f '{{.Time.UTC.Format "2006-01-02T15:04:05Z"}}' "$1"
}

build_kubernetes() {
  pins kubernetes k8s.io/kubernetes "$K8S_VERSION"
  local minor=${K8S_VERSION#v1.} date p ldf=""
  date=$(cd "$HERE/modules/kubernetes" && module_date k8s.io/kubernetes)
  for p in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
    ldf+=" -X $p.gitVersion=$K8S_VERSION -X $p.gitMajor=1 -X $p.gitMinor=${minor%%.*} -X $p.gitTreeState=clean -X $p.buildDate=$date"
  done
  gobuild "$HERE/modules/kubernetes" "$ldf" -o "$OUT/" k8s.io/kubernetes/cmd/kube-apiserver \
    k8s.io/kubernetes/cmd/kube-controller-manager k8s.io/kubernetes/cmd/kube-scheduler k8s.io/kubernetes/cmd/kubectl
}

build_etcd() {
  pins etcd go.etcd.io/etcd/server/v3 "$ETCD_VERSION"
  gobuild "$HERE/modules/etcd" "" -o "$OUT/etcd" go.etcd.io/etcd/server/v3
}

build_kwok() {
  pins kwok sigs.k8s.io/kwok "$KWOK_VERSION"
  gobuild "$HERE/modules/kwok" "" -o "$OUT/kwok" sigs.k8s.io/kwok/cmd/kwok
  mod_get "sigs.k8s.io/kwok@$KWOK_VERSION"
  local f
  for f in node/fast/node-initialize node/heartbeat-with-lease/node-heartbeat-with-lease \
    pod/fast/pod-ready pod/fast/pod-complete pod/fast/pod-delete; do
    echo "---"; cat "$MOD_DIR/kustomize/stage/$f.yaml"
  done >"$OUT/kwok-stages.yaml"
}

build_sealed_secrets() {
  pins sealed-secrets "$SS" "$SEALED_SECRETS_VERSION"
  local ldf="-X main.VERSION=$SEALED_SECRETS_VERSION" w="$WORK/sealed-secrets-$SEALED_SECRETS_VERSION"
  gobuild "$HERE/modules/sealed-secrets" "$ldf" -o "$OUT/kubeseal" github.com/bitnami/sealed-secrets/cmd/kubeseal
  # The controller only does rest.InClusterConfig(): build it from a patched copy of the module that uses
  # clientcmd.BuildConfigFromFlags("", $KUBECONFIG), which falls back to the in-cluster config when it is unset.
  module_copy sealed-secrets "$SS@$SEALED_SECRETS_VERSION" github.com/bitnami/sealed-secrets "$w"
  sed -i 's#"k8s.io/client-go/rest"#"k8s.io/client-go/tools/clientcmd"#; s#rest\.InClusterConfig()#clientcmd.BuildConfigFromFlags("", os.Getenv("KUBECONFIG"))#' \
    "$w/src/pkg/controller/main.go"
  grep -q 'clientcmd.BuildConfigFromFlags' "$w/src/pkg/controller/main.go" || die "sealed-secrets patch no longer applies"
  gobuild "$w/build" "$ldf+kubeconfig" -o "$OUT/sealed-secrets-controller" github.com/bitnami/sealed-secrets/cmd/controller
  rm -rf "$w"
}

build_argocd() { # go.mod needs Go 1.27, like kustomize's (GO_TOOLCHAIN)
  [[ $ARGOCD_VERSION == "$CRD_ARGO_CD_VERSION" ]] || die "versions.env: ARGOCD_VERSION and CRD_ARGO_CD_VERSION differ"
  pins argocd github.com/argoproj/argo-cd/v3 "$ARGOCD_VERSION"
  local m=$HERE/modules/argocd p=github.com/argoproj/argo-cd/v3/common ldf date kubectl
  date=$(cd "$m" && module_date github.com/argoproj/argo-cd/v3)
  kubectl=$(cd "$m" && go list -m -f '{{with .Replace}}{{.Version}}{{else}}{{.Version}}{{end}}' k8s.io/client-go)
  # As upstream's Makefile, except gitCommit (the proxy doesn't know it): the version reads v3.6.1+unknown
  ldf="-X $p.version=${ARGOCD_VERSION#v} -X $p.buildDate=$date -X $p.gitTag=$ARGOCD_VERSION -X $p.gitTreeState=clean"
  ldf+=" -X $p.kubectlVersion=$kubectl -X $p.extraBuildInfo=homestack-slim:application-controller+repo-server"
  # `argocd admin redis-initial-password` is one file of upstream's package admin, whose other files link ~480 more
  # packages (cloud SDKs, the notifications engine): main.go's import of it points, in a copy of this module, at a
  # package of that one file, copied unchanged from the module (docs/decisions.md, "argocd-redis")
  local w="$WORK/argocd-$ARGOCD_VERSION" admin=github.com/argoproj/argo-cd/v3/cmd/argocd/commands/admin
  mod_get "github.com/argoproj/argo-cd/v3@$ARGOCD_VERSION"
  [[ -n $MOD_DIR ]] || die "argocd $ARGOCD_VERSION: the module is not extracted (GOTOOLCHAIN=$GOTOOLCHAIN)"
  rm -rf "$w" && mkdir -p "$w/admin" && cp "$m/go.mod" "$m/go.sum" "$m/main.go" "$w/"
  cp "$MOD_DIR/${admin#github.com/argoproj/argo-cd/v3/}/redis_initial_password.go" "$w/admin/" && chmod -R u+w "$w"
  sed -i "s#\"$admin\"#\"homestack.local/k8s-test-binaries/argocd/admin\"#" "$w/main.go"
  grep -q '"homestack.local/k8s-test-binaries/argocd/admin"' "$w/main.go" || die "modules/argocd/main.go no longer imports $admin"
  gobuild "$w" "$ldf" -o "$OUT/argocd" .
  rm -rf "$w"
  ln -sfn argocd "$OUT/argocd-application-controller" && ln -sfn argocd "$OUT/argocd-repo-server"
}

build_helm() {
  pins helm helm.sh/helm/v4 "$HELM_VERSION"
  # helm v4 has no kube-version ldflags: offline it assumes Kubernetes 1.<client-go minor> (see README.md)
  gobuild "$HERE/modules/helm" "-X helm.sh/helm/v4/internal/version.version=$HELM_VERSION -X helm.sh/helm/v4/internal/version.gitTreeState=clean" \
    -o "$OUT/helm" helm.sh/helm/v4/cmd/helm
}

build_kustomize() {
  pins kustomize sigs.k8s.io/kustomize/kustomize/v5 "$KUSTOMIZE_VERSION"
  local date; date=$(cd "$HERE/modules/kustomize" && module_date sigs.k8s.io/kustomize/kustomize/v5)
  # the version comes from the build info (the kustomize module's version); Argo CD parses `kustomize version`
  gobuild "$HERE/modules/kustomize" "-X sigs.k8s.io/kustomize/api/provenance.buildDate=$date" \
    -o "$OUT/kustomize" sigs.k8s.io/kustomize/kustomize/v5
}

build_alloy_syntax() { # main.go is ours: Alloy's parser over files (docs/decisions.md, "Alloy's validator")
  pins alloy-syntax github.com/grafana/alloy/syntax "$ALLOY_SYNTAX_VERSION"
  gobuild "$HERE/modules/alloy-syntax" "" -o "$OUT/alloy-syntax" .
}

# The collector's sources come from the builder (a generator: its own wrapper module); they are compiled with the
# go.mod/go.sum committed beside the manifest, never with a module graph resolved at build time.
ocb_generate() { # ocb_generate DIR: the builder's sources for modules/otelcol/builder-config.yaml in DIR/dist
  pins otelcol-builder go.opentelemetry.io/collector/cmd/builder "$OTELCOL_BUILDER_VERSION"
  grep -q "^  version: ${OTELCOL_VERSION#v}\$" "$HERE/modules/otelcol/builder-config.yaml" ||
    die "modules/otelcol/builder-config.yaml: dist.version is not OTELCOL_VERSION ${OTELCOL_VERSION#v}"
  mkdir -p "$1" && cp "$HERE/modules/otelcol/builder-config.yaml" "$1/"
  gobuild "$HERE/modules/otelcol-builder" "" -o "$1/ocb" go.opentelemetry.io/collector/cmd/builder
  (cd "$1" && ./ocb --config builder-config.yaml --skip-compilation "${@:2}" >ocb.log 2>&1) || die "the builder failed: $(tail -5 "$1/ocb.log")"
}

build_otelcol() {
  local w="$WORK/otelcol-$OTELCOL_VERSION"
  rm -rf "$w" && ocb_generate "$w" --skip-get-modules
  cp "$HERE/modules/otelcol/go.mod" "$HERE/modules/otelcol/go.sum" "$w/dist/"
  gobuild "$w/dist" "" -o "$OUT/otelcol" .
  rm -rf "$w"
}

build_jaeger() { # the version stamp as upstream's Makefile sets it (no commit: the proxy doesn't know it)
  pins jaeger github.com/jaegertracing/jaeger "$JAEGER_VERSION"
  local m=$HERE/modules/jaeger p=github.com/jaegertracing/jaeger/internal/version date w="$WORK/jaeger-$JAEGER_VERSION"
  date=$(cd "$m" && module_date github.com/jaegertracing/jaeger)
  # Built from a copy of the module whose component list is ours (modules/jaeger/_components.go): only the components
  # the bundle's configuration uses, not upstream's Kafka, Zipkin, Prometheus exporter, ... (docs/decisions.md)
  module_copy jaeger "github.com/jaegertracing/jaeger@$JAEGER_VERSION" github.com/jaegertracing/jaeger "$w"
  [[ -f $w/src/cmd/jaeger/internal/components.go ]] || die "jaeger $JAEGER_VERSION has no cmd/jaeger/internal/components.go"
  cp "$m/_components.go" "$w/src/cmd/jaeger/internal/components.go"
  gobuild "$w/build" "-X $p.latestVersion=$JAEGER_RELEASE -X $p.date=$date" \
    -o "$OUT/jaeger" github.com/jaegertracing/jaeger/cmd/jaeger
  rm -rf "$w"
}

build_prometheus() { # the server (its HTTP API; no web UI assets) and promtool, as upstream's .promu.yml but the tags
  pins prometheus github.com/prometheus/prometheus "$PROMETHEUS_VERSION"
  local m=$HERE/modules/prometheus p=github.com/prometheus/common/version date ver
  mod_get "github.com/prometheus/prometheus@$PROMETHEUS_VERSION"
  ver=$(<"$MOD_DIR/VERSION") # v0.314.0 is Prometheus 3.14.0
  date=$(cd "$m" && go list -m -f '{{.Time.UTC.Format "20060102-15:04:05"}}' github.com/prometheus/prometheus)
  # remove_all_sd (upstream's build tag) keeps only the static, file and http service discoveries: the tests scrape
  # nothing, and it leaves out 230 of 1491 packages (the cloud SDKs, client-go)
  gobuild "$m" "-X $p.Version=$ver -X $p.Branch=HEAD -X $p.BuildUser=homestack -X $p.BuildDate=$date" \
    -tags netgo,remove_all_sd -o "$OUT/" github.com/prometheus/prometheus/cmd/prometheus github.com/prometheus/prometheus/cmd/promtool
}

build_velero() { # the server/CLI stamped as upstream's hack/build.sh does (no commit: the proxy doesn't know it)
  [[ $VELERO_VERSION == "$CRD_VELERO_VERSION" ]] || die "versions.env: VELERO_VERSION and CRD_VELERO_VERSION differ"
  pins velero github.com/vmware-tanzu/velero "$VELERO_VERSION"
  pins velero k8s.io/cli-runtime "$VELERO_CLI_RUNTIME_VERSION"
  local p=github.com/vmware-tanzu/velero/pkg/buildinfo w="$WORK/velero-$VELERO_VERSION" f
  # The server's controller-runtime manager keeps its default metrics listener on :8080 (no flag sets it): two servers
  # (the kit's, a test's) cannot run on one machine. Built from a copy of the module whose manager disables that
  # listener (BindAddress "0"); Velero's own metrics (--metrics-address) are untouched.
  module_copy velero "github.com/vmware-tanzu/velero@$VELERO_VERSION" github.com/vmware-tanzu/velero "$w"
  f=$w/src/pkg/cmd/server/server.go
  sed -i 's#^\(\t*\)ctrl "sigs.k8s.io/controller-runtime"$#&\n\1metricsserver "sigs.k8s.io/controller-runtime/pkg/metrics/server"#' "$f"
  sed -i 's#^\(\t*\)Scheme: scheme,$#&\n\1Metrics: metricsserver.Options{BindAddress: "0"},#' "$f"
  { grep -q 'BindAddress: "0"' "$f" && grep -q '^\s*metricsserver "' "$f"; } || die "the velero patch no longer applies"
  gobuild "$w/build" "-X $p.Version=$VELERO_VERSION -X $p.GitTreeState=clean -X $p.ImageRegistry=velero" \
    -o "$OUT/velero" github.com/vmware-tanzu/velero/cmd/velero
  rm -rf "$w"
}

build_velero_plugin_for_aws() { # its own wrapper module: the plugin pins its own Velero (v1.18.1), as its image does
  pins velero-plugin-for-aws github.com/vmware-tanzu/velero-plugin-for-aws "$VELERO_PLUGIN_AWS_VERSION"
  gobuild "$HERE/modules/velero-plugin-for-aws" "" -o "$OUT/velero-plugin-for-aws" \
    github.com/vmware-tanzu/velero-plugin-for-aws/velero-plugin-for-aws
}

build_versitygw() { # main.Version/BuildTime as upstream's Makefile (Build is the commit: unknown here)
  pins versitygw github.com/versity/versitygw "$VERSITYGW_VERSION"
  local date; date=$(cd "$HERE/modules/versitygw" && module_date github.com/versity/versitygw)
  gobuild "$HERE/modules/versitygw" "-X main.Version=$VERSITYGW_VERSION -X main.BuildTime=$date" \
    -o "$OUT/versitygw" github.com/versity/versitygw/cmd/versitygw
}

build_cosign() { # cmd/cosign as upstream's Makefile stamps it (no commit: the proxy doesn't know it); no pivkey/pkcs11 (cgo)
  pins cosign github.com/sigstore/cosign/v3 "$COSIGN_VERSION"
  local p=sigs.k8s.io/release-utils/version date
  date=$(cd "$HERE/modules/cosign" && module_date github.com/sigstore/cosign/v3)
  gobuild "$HERE/modules/cosign" "-X $p.gitVersion=$COSIGN_VERSION -X $p.gitTreeState=clean -X $p.buildDate=$date" \
    -o "$OUT/cosign" github.com/sigstore/cosign/v3/cmd/cosign
}

step() { # step TOOL VERSION FILE...: build TOOL into $OUT unless its stamp (version, toolchain, wrapper module checksum) and files are there
  local tool=$1 ver=$2 stamp="$OUT/.stamp-$1-$2" f t0=$SECONDS want; shift 2
  want="$tool $ver $GOTOOLCHAIN $(cat "$HERE/modules/$tool"/* | cksum)"
  [[ -e $stamp && $(<"$stamp") == "$want" ]] || rm -f "$stamp"
  for f in "${@/#/$OUT/}"; do [[ -e $f ]] || rm -f "$stamp"; done
  if [[ ! -e $stamp ]]; then
    need_go && log "building $tool $ver (cold: minutes; see README.md)"
    # built into a directory of its own, then renamed into place: a binary that is there is whole (the test kit's
    # PendingBuild waits for it while this runs)
    local final=$OUT OUT
    OUT=$(mktemp -d "$final/.building-$tool.XXXXXX")
    "build_${tool//-/_}"
    for f; do mv -fT "$OUT/$f" "$final/$f"; done
    rm -rf "$OUT"
    OUT=$final
    echo "$want" >"$stamp"
    log "built $tool $ver in $((SECONDS - t0))s"
  fi
  for f; do BINS+=("$f $ver"); done
}

crd() { # crd PROJECT MODULE VERSION PATH...: the CRDs under PATHs of MODULE@VERSION into crds/PROJECT/VERSION
  local proj=$1 mod=$2 ver=$3 dest="$DIR/crds/$1/$3" t p f; shift 3
  if [[ ! -e $dest/.complete ]]; then
    need_go && log "copying $proj $ver CRDs from $mod"
    t=$(mktemp -d "$WORK/crd.XXXXXX") && mkdir "$t/src" "$t/out"
    mod_get "$mod@$ver"
    for p; do
      if [[ -n $MOD_DIR ]]; then cp -r "$MOD_DIR/$p" "$t/src/"
      else command -v unzip >/dev/null || die "unzip is needed to read $mod@$ver (its go directive is newer than this Go)"
        unzip -q "$MOD_ZIP" "$mod@$ver/$p*" -d "$t/src"; fi
    done
    while IFS= read -r f; do cp "$f" "$t/out/"; done < <(grep -rl --include='*.yaml' '^kind: CustomResourceDefinition' "$t/src")
    [[ -n $(ls "$t/out") ]] || die "no CRDs found in $mod@$ver under $*"
    chmod -R u+w "$t" && rm -rf "$dest" && mkdir -p "${dest%/*}" && mv "$t/out" "$dest" && rm -rf "$t"
    touch "$dest/.complete"
  fi
  SUMMARY+=("$(printf '%-26s %-9s %s (%s files)' "crds/$proj" "$ver" "crds/$proj/$ver" "$(find "$dest" -name '*.yaml' | wc -l)")")
}

newmod() { mkdir -p "$HERE/modules/$1" && cd "$HERE/modules/$1" && rm -f go.mod go.sum && # keeps main.go, _components.go
  printf 'module homestack.local/k8s-test-binaries/%s\n\ngo 1.26\n' "$1" >go.mod; }

# Argo CD: upstream's replace block (x/tools, yaml.v2, k8s.io/* staging modules, ...) minus its local replaces (the
# nested gitops-engine module is served by the proxy at the same version). main.go is ours. Needs Go 1.27.
update_argocd() {
  local gm k
  newmod argocd
  mod_get "github.com/argoproj/argo-cd/v3@$ARGOCD_VERSION"; gm=$MOD_DIR/go.mod
  awk '/^replace \($/ {b=1; next} b && /^\)/ {b=0; next} b {print; next} /^replace / {sub(/^replace /, ""); print}' "$gm" |
    sed 's#//.*##' | awk 'NF && $(NF-1) != "=>" {print (NF == 5 ? $1 "@" $2 : $1) "=" $(NF-1) "@" $NF}' |
    while read -r k; do go mod edit -replace="$k"; done
  go get "github.com/argoproj/argo-cd/v3@$ARGOCD_VERSION" "github.com/argoproj/argo-cd/gitops-engine/v3@$ARGOCD_VERSION"
  go mod tidy
}

update_modules() { # update_modules [TOOL ...]: those wrapper modules, or every one
  need_go
  local gm k s want=" ${*:-all} "
  only() { [[ $want == " all " || $want == *" $1 "* ]]; }
  ! only kubernetes || (newmod kubernetes
    mod_get "k8s.io/kubernetes@$K8S_VERSION"; gm=$MOD_DIR/go.mod
    { grep '^godebug' "$gm" || true; } >>go.mod # keep upstream's GODEBUG defaults
    s=v0.${K8S_VERSION#v1.}                         # staging modules are released as v0.<minor>.<patch>
    awk '$1 ~ /^k8s\.io\// && $2 == "v0.0.0" {print $1}' "$gm" | while read -r k; do go mod edit -replace="$k=$k@$s"; done
    go get -tool "k8s.io/kubernetes/cmd/"{kube-apiserver,kube-controller-manager,kube-scheduler,kubectl}"@$K8S_VERSION")
  ! only etcd || (newmod etcd && go get -tool "go.etcd.io/etcd/server/v3@$ETCD_VERSION")
  ! only kwok || (newmod kwok && go get -tool "sigs.k8s.io/kwok/cmd/kwok@$KWOK_VERSION")
  # v0.40 renamed its module path to github.com/bitnami/sealed-secrets, which the proxy doesn't serve
  ! only sealed-secrets || (newmod sealed-secrets && go mod edit -replace "github.com/bitnami/sealed-secrets=$SS@$SEALED_SECRETS_VERSION" &&
    go get -tool "github.com/bitnami/sealed-secrets/cmd/"{kubeseal,controller}"@$SEALED_SECRETS_VERSION")
  ! only helm || (newmod helm && go get -tool "helm.sh/helm/v4/cmd/helm@$HELM_VERSION")
  # upstream's one replace (cloud.google.com/go); its excludes only matter in its own main module
  ! only prometheus || (newmod prometheus && go mod edit -replace cloud.google.com/go=cloud.google.com/go@v0.123.0 &&
    go get -tool "github.com/prometheus/prometheus/cmd/"{prometheus,promtool}"@$PROMETHEUS_VERSION")
  ! only argocd || update_argocd
  ! only kustomize || (newmod kustomize # a kube-openapi the proxy serves first, see versions.env
    [[ -z ${KUSTOMIZE_KUBE_OPENAPI_VERSION:-} ]] || go get "k8s.io/kube-openapi@$KUSTOMIZE_KUBE_OPENAPI_VERSION"
    go get -tool "sigs.k8s.io/kustomize/kustomize/v5@$KUSTOMIZE_VERSION")
  ! only alloy-syntax || (newmod alloy-syntax && go get "github.com/grafana/alloy/syntax@$ALLOY_SYNTAX_VERSION" && go mod tidy)
  ! only otelcol-builder || (newmod otelcol-builder && go get -tool "go.opentelemetry.io/collector/cmd/builder@$OTELCOL_BUILDER_VERSION")
  ! only otelcol || (w=$(mktemp -d "$WORK/ocb.XXXXXX") && ocb_generate "$w" && cp "$w/dist/go.mod" "$w/dist/go.sum" "$HERE/modules/otelcol/" &&
    rm -rf "$w")
  ! only jaeger || (newmod jaeger && go get -tool "github.com/jaegertracing/jaeger/cmd/jaeger@$JAEGER_VERSION")
  ! only velero || (newmod velero && mod_get "github.com/vmware-tanzu/velero@$VELERO_VERSION" &&
    awk '$1 == "replace" && $3 == "=>" {print $2 "=" $4 "@" $5}' "$MOD_DIR/go.mod" |
    while read -r k; do go mod edit -replace="$k"; done &&
    go get "k8s.io/cli-runtime@$VELERO_CLI_RUNTIME_VERSION" && go get -tool "github.com/vmware-tanzu/velero/cmd/velero@$VELERO_VERSION")
  ! only velero-plugin-for-aws || (newmod velero-plugin-for-aws &&
    go get -tool "github.com/vmware-tanzu/velero-plugin-for-aws/velero-plugin-for-aws@$VELERO_PLUGIN_AWS_VERSION")
  ! only versitygw || (newmod versitygw && go get -tool "github.com/versity/versitygw/cmd/versitygw@$VERSITYGW_VERSION")
  ! only cosign || (newmod cosign && go get -tool "github.com/sigstore/cosign/v3/cmd/cosign@$COSIGN_VERSION")
  log "modules/ regenerated from versions.env; review and commit them"
}

mkdir -p "$WORK"
exec 9>"$WORK/.lock"
flock 9 2>/dev/null || true # one build at a time per directory
# build.pid: while this holds the lock, the test kit waits for a binary it misses (PendingBuild) instead of failing
trap 'chmod -R u+w "$WORK"/crd.* 2>/dev/null || true; rm -rf "$WORK"/crd.* "$BIN"/.building-* "$STAGE"/.building-* "$WORK/build.pid"' EXIT
echo $$ >"$WORK/build.pid"
if [[ ${1:-} == --update-modules ]]; then update_modules "${@:2}"; exit 0; fi
ALL="kubernetes etcd kwok sealed-secrets helm kustomize argocd prometheus alloy-syntax otelcol jaeger velero versitygw cosign crds"
if [[ ${1:-} == --except ]]; then # --except TOOL...: all but these (.ci/run builds them beside make test)
  WANT=" $ALL "
  for t in "${@:2}"; do [[ $WANT == *" $t "* ]] || die "--except $t: not one of: $ALL"; WANT=${WANT/ $t / }; done
else
  WANT=" ${*:-$ALL} "
fi
[[ $WANT != *" velero "* ]] || WANT+="velero-plugin-for-aws " # Velero's tests load the plugin
OUT=$BIN; [[ -d $BIN ]] || OUT=$STAGE
mkdir -p "$OUT"
SUMMARY=() BINS=()
# wanted TOOL VERSION FILE...: step, if TOOL was asked for. Called plainly, never in a && or || list: there bash
# ignores set -e inside the function, and a failed build would get its stamp.
wanted() { [[ $WANT == *" $1 "* ]] || return 0; step "$@"; }
# Two lanes run at once, so that one lane's module downloads and single-threaded links overlap the other's compiles and a
# cold build keeps both cores busy. They hold about equal cold CPU both in what .ci/run builds first and in what it
# builds beside make test (docs/performance.md), each lane in the order the tests need them. kustomize follows helm in
# its lane: it reuses most of what helm compiled (one toolchain: GO_TOOLCHAIN).
lane_1() {
  wanted etcd "$ETCD_VERSION" etcd
  wanted kubernetes "$K8S_VERSION" kube-apiserver kubectl kube-controller-manager kube-scheduler
  # +redis-password-file: the build's copy (build_argocd); a new one gets a new suffix, so that caches rebuild
  wanted argocd "$ARGOCD_VERSION+redis-password-file" argocd argocd-application-controller argocd-repo-server
  wanted versitygw "$VERSITYGW_VERSION" versitygw # the loki module's tests need it, before the backup modules
  # +manager-metrics-off: the build's patch (build_velero); a new patch gets a new suffix, so that caches rebuild
  wanted velero "$VELERO_VERSION+manager-metrics-off" velero
}
lane_2() {
  wanted helm "$HELM_VERSION" helm
  wanted kustomize "$KUSTOMIZE_VERSION" kustomize
  wanted kwok "$KWOK_VERSION" kwok kwok-stages.yaml
  wanted sealed-secrets "$SEALED_SECRETS_VERSION" kubeseal sealed-secrets-controller
  wanted prometheus "$PROMETHEUS_VERSION" prometheus promtool
  wanted otelcol "$OTELCOL_VERSION" otelcol
  wanted cosign "$COSIGN_VERSION" cosign
  wanted alloy-syntax "$ALLOY_SYNTAX_VERSION" alloy-syntax
  wanted jaeger "$JAEGER_VERSION" jaeger
  wanted velero-plugin-for-aws "$VELERO_PLUGIN_AWS_VERSION" velero-plugin-for-aws
}
lanes=$(mktemp -d "$WORK/lanes.XXXXXX")
pids=()
for lane in 1 2; do # each lane reports what it built (BINS) and whether it ran Go (GO_OK)
  (set -e; "lane_$lane"; printf '%s\n' "${BINS[@]}" >"$lanes/$lane.bins"; echo "${GO_OK:-}" >"$lanes/$lane.go") &
  pids+=($!)
done
failed=0
for p in "${pids[@]}"; do wait "$p" || failed=1; done # both lanes finish (what one built stays cached) before a failure ends this
((failed == 0)) || { rm -rf "$lanes"; die "a build failed (its error is above)"; }
for lane in 1 2; do
  while IFS= read -r f; do [[ -z $f ]] || BINS+=("$f"); done <"$lanes/$lane.bins"
  [[ -z $(<"$lanes/$lane.go") ]] || GO_OK=1
done
rm -rf "$lanes"
if [[ $OUT == "$STAGE" && -x $STAGE/etcd && -x $STAGE/kube-apiserver && -x $STAGE/kubectl ]]; then
  mkdir -p "${BIN%/*}" && mv "$STAGE" "$BIN" && OUT=$BIN
fi
if [[ $WANT == *" crds "* ]]; then
  crd sealed-secrets "$SS" "$SEALED_SECRETS_VERSION" helm/sealed-secrets/crds
  crd cert-manager github.com/cert-manager/cert-manager "$CRD_CERT_MANAGER_VERSION" deploy/crds
  crd prometheus-operator github.com/prometheus-operator/prometheus-operator "$CRD_PROMETHEUS_OPERATOR_VERSION" example/prometheus-operator-crd
  crd argo-cd github.com/argoproj/argo-cd/v3 "$CRD_ARGO_CD_VERSION" manifests/crds
  crd velero github.com/vmware-tanzu/velero "$CRD_VELERO_VERSION" config/crd/v1/bases config/crd/v2alpha1/bases
  crd istio istio.io/api "$CRD_ISTIO_VERSION" kubernetes/customresourcedefinitions.gen.yaml
fi
[[ -n ${GO_OK:-} ]] || log "everything is up to date"
echo "Filled $DIR"
[[ $OUT == "$BIN" ]] || echo "  (incomplete: $OUT becomes $BIN once etcd and kubernetes are built)"
for f in "${BINS[@]}"; do printf '  %-26s %-9s %s\n' "${f% *}" "${f#* }" "${OUT#"$DIR"/}/${f% *}"; done
[[ ${#SUMMARY[@]} -eq 0 ]] || printf '  %s\n' "${SUMMARY[@]}"
