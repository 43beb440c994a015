#!/usr/bin/env bash
# Measures build times for docs/performance.md: full install (tests skipped), one bundle with -am, a no-change
# rebuild, and the plugin's own time per goal and bundle. Prints the median of RUNS runs (default 3).
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${RUNS:-3}
export MAVEN_OPTS="${MAVEN_OPTS:-} -Djansi.noreset=true" # Debian's Maven prints colour resets even with -B
MVN=(mvn -B -o -Dstyle.color=never -DskipTests -Dinvoker.skip)
LOG=$(mktemp)
trap 'rm -f "$LOG"' EXIT

median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }

# time_runs LABEL clean|keep MAVEN-ARGS...: RUNS timed builds (after an untimed `mvn clean` when asked); prints the
# median wall time.
time_runs() {
  local label=$1 prepare=$2; shift 2
  local times=() start
  for _ in $(seq "$RUNS"); do
    [[ $prepare == clean ]] && "${MVN[@]}" -q clean >/dev/null
    start=$(date +%s%N)
    "${MVN[@]}" "$@" >"$LOG" 2>&1 || { cat "$LOG" >&2; exit 1; }
    times+=("$((($(date +%s%N) - start) / 1000000))")
  done
  printf '%-40s %7.1f s (median of %s)\n' "$label" "$(printf '%s\n' "${times[@]}" | median | awk '{print $1/1000}')" "$RUNS"
}

"${MVN[@]}" -q install >/dev/null # warm the local repository and the JIT-independent caches
time_runs "mvn install (tests skipped)" clean install
time_runs "mvn install -pl apps/media -am" clean install -pl apps/media -am
time_runs "no-change rebuild (mvn install)" keep install

echo
echo "plugin time per bundle (render + validate + package, last run):"
grep -E '\] homestack:(render|validate|package|release) took' "$LOG" |
  sed -E 's/.*\[([^]]+)\] homestack:([a-z]+) took ([0-9]+) ms/\1 \2 \3/' |
  awk '{t[$1]+=$3; g[$1]=g[$1] " " $2 "=" $3} END {for (b in t) printf "  %-14s %5d ms  (%s )\n", b, t[b], g[b]}' | sort
