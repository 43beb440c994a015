#!/usr/bin/env bash
# make preview / make preview-down: the release being built, synced by the real Argo CD on the containerless control
# plane (envtest) with a local registry, no Docker. `up` builds the release (tests skipped), starts the preview in the
# background, shows its output until the sync has settled and leaves it running; `down` stops it and everything it
# started. Both are idempotent. State (pid, log, kubeconfig, run directories) in PREVIEW_DIR (default .preview).
#   preview.sh up [release module]     (default clusters/k3d)
#   preview.sh down
set -euo pipefail
cd "$(dirname "$0")/.."
action=${1:?usage: preview.sh up [release-module] | down}
release=${2:-clusters/k3d}
dir=$(realpath -m "${PREVIEW_DIR:-.preview}")
pidfile=$dir/pid
log=$dir/preview.log
main=io.homestack.bundle.test.preview.Preview
read -r -a mvn <<<"${MVN:-mvn -B}"
export MAVEN_OPTS="${MAVEN_OPTS:-} -Djansi.noreset=true" # Debian's Maven prints colour resets even with -B

# Our preview only: a live pid whose command line runs the preview's main class (a reused pid is not ours).
running() { [[ -f $pidfile ]] && ps -o args= -p "$(cat "$pidfile")" 2>/dev/null | grep -q "$main"; }

# SIGTERM: the preview's shutdown hook stops the control plane, Argo CD, redis and the registry (killed after 60 s).
stop() {
  local pid
  pid=$(cat "$pidfile")
  kill "$pid" 2>/dev/null || true # (it may have stopped already)
  for _ in $(seq 600); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  if kill -0 "$pid" 2>/dev/null; then echo "preview (pid $pid) did not stop in 60 s: killed" >&2; kill -9 "$pid"; fi
  rm -f "$pidfile"
}

# What a preview killed with -9 (no shutdown hook) left running: the processes its run directories recorded (pid and
# executable, which the kit's orphan check reads too) and the registry, whose command line names its run directory.
stop_leftovers() {
  local left=() pids pid exe
  for pids in "$dir"/envtest/*/pids; do
    [[ -f $pids ]] || continue
    while read -r pid exe; do
      if [[ $(readlink "/proc/$pid/exe" 2>/dev/null) == "$exe" ]]; then left+=("$pid"); fi
    done <"$pids"
  done
  mapfile -t left < <({ printf '%s\n' "${left[@]}"; pgrep -f -- "$dir/envtest/"; } | awk NF | sort -nu)
  if ((${#left[@]})); then echo "stopping what a killed preview left: pids ${left[*]}"; kill -9 "${left[@]}" || true; fi
  rm -rf "$dir/envtest" "$dir/mirror" "$dir/kubeconfig" # run directories: etcd data, certificates, logs
}

case $action in
  up)
    if running; then
      echo "preview already running (pid $(cat "$pidfile")): kubectl --kubeconfig $dir/kubeconfig get applications -n argocd"
      echo "its log: $log; stop it with: make preview-down"
      exit 0
    fi
    missing=()
    for tool in java "${mvn[0]}" docker-registry redis-server; do command -v "$tool" >/dev/null || missing+=("$tool"); done
    if ((${#missing[@]})); then echo "make preview needs ${missing[*]}: not found on the PATH; run make deps" >&2; exit 1; fi
    mkdir -p "$dir"
    echo "building $release and what it needs (tests skipped)"
    "${mvn[@]}" -q -Dstyle.color=never install -DskipTests -pl "$release,tooling/bundle-test" -am
    "${mvn[@]}" -q -Dstyle.color=never dependency:build-classpath -pl tooling/bundle-test -Dmdep.outputFile="$dir/classpath"
    # An argument file keeps the command line short: `ps` shows the main class, which running() looks for.
    printf -- '-cp "%s"\n' "$PWD/tooling/bundle-test/target/classes:$(cat "$dir/classpath")" >"$dir/java-args"
    nohup java @"$dir/java-args" "$main" "$release" "$dir" >"$log" 2>&1 &
    echo $! >"$pidfile"
    tail -n +1 -f --pid="$(cat "$pidfile")" "$log" &
    tailer=$!
    trap 'kill "$tailer" 2>/dev/null || true; echo "interrupted: stopping the preview"; stop; stop_leftovers; exit 130' INT TERM
    while running && ! grep -q '^\[preview\] READY' "$log"; do sleep 1; done
    sleep 0.5
    trap - INT TERM
    kill "$tailer" 2>/dev/null || true
    if ! running; then
      rm -f "$pidfile"
      echo "make preview failed (the preview exited); its log: $log" >&2
      exit 1
    fi
    echo "preview running in the background (pid $(cat "$pidfile")); log: $log; stop it with: make preview-down"
    ;;
  down)
    if running; then
      echo "stopping the preview (pid $(cat "$pidfile"))"
      stop
      echo "preview stopped"
    else
      rm -f "$pidfile"
      echo "no preview running"
    fi
    stop_leftovers
    ;;
  *) echo "usage: preview.sh up [release-module] | down" >&2; exit 2 ;;
esac
