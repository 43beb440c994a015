#!/usr/bin/env bash
# Starts or stops a local OCI registry (Debian's docker-registry) with its data under ~/.cache/homestack/registry.
#   registry.sh start|stop [host:port]     (default localhost:5111)
set -euo pipefail

action=${1:?usage: registry.sh start|stop [host:port]}
addr=${2:-localhost:5111}
port=${addr##*:}
dir=${XDG_CACHE_HOME:-$HOME/.cache}/homestack/registry-$port
pidfile=$dir/pid

running() { [[ -f $pidfile ]] && kill -0 "$(cat "$pidfile")" 2>/dev/null; }

case $action in
  start)
    command -v docker-registry >/dev/null || { echo "docker-registry not found: apt-get install docker-registry" >&2; exit 1; }
    if running; then echo "registry already running on 127.0.0.1:$port (pid $(cat "$pidfile"))"; exit 0; fi
    mkdir -p "$dir/data"
    printf 'version: 0.1\nstorage:\n  filesystem:\n    rootdirectory: %s\nhttp:\n  addr: 127.0.0.1:%s\n' \
      "$dir/data" "$port" >"$dir/config.yml"
    nohup docker-registry serve "$dir/config.yml" >"$dir/registry.log" 2>&1 &
    echo $! >"$pidfile"
    for _ in $(seq 100); do
      # Ready only while our own process lives: another server on a taken port answers too.
      running || { echo "registry exited (port $port taken?); see $dir/registry.log" >&2; rm -f "$pidfile"; exit 1; }
      if curl -fsS "http://127.0.0.1:$port/v2/" >/dev/null 2>&1; then echo "registry on 127.0.0.1:$port"; exit 0; fi
      sleep 0.1
    done
    echo "registry did not start; see $dir/registry.log" >&2
    exit 1
    ;;
  stop)
    if running; then kill "$(cat "$pidfile")"; echo "registry on port $port stopped"; else echo "no registry running on port $port"; fi
    rm -f "$pidfile"
    ;;
  *) echo "usage: registry.sh start|stop [host:port]" >&2; exit 2 ;;
esac
