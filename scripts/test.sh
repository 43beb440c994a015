#!/usr/bin/env bash
# `make test` after lint: every module's tests (`mvn clean verify`) and, beside them at the lowest CPU priority, the two
# checks that need no test tool: make reproducible, then make fresh-clone. The tests spend much of their time waiting
# for engines (an API server, Argo CD, Home Assistant) with a core idle; the checks' Maven builds fill it, so they add
# little wall time (docs/performance.md). Then check-push and the summary. Fails if any of them failed; the checks'
# output is printed after the tests'.
set -uo pipefail
cd "$(dirname "$0")/.." || exit
MVN=${MVN:-mvn -B -Dstyle.color=never}

log=$(mktemp "${TMPDIR:-/tmp}/homestack-checks.XXXXXX")
# Its own process group (setsid), so that an interrupted run stops the checks' Maven builds too. nice 19: below the
# Go builds .ci/run runs beside the tests (nice 10), which late modules' tests wait for; the checks are awaited last.
setsid nice -n 19 bash -c 'scripts/check-reproducible.sh && scripts/check-fresh-clone.sh' >"$log" 2>&1 &
checks=$!
trap 'kill -- -"$checks" 2>/dev/null; rm -f "$log"' EXIT
echo "==> make reproducible and make fresh-clone run beside the tests (nice 19); their output follows the tests'"

status=0
# shellcheck disable=SC2086 # MVN is a command line
$MVN clean verify || status=$?
scripts/check-push.sh || status=1
checks_status=0
wait "$checks" || checks_status=$?
echo "==> make reproducible, make fresh-clone (run beside the tests):"
cat "$log"
((checks_status == 0)) || { echo "==> make reproducible or make fresh-clone FAILED (exit $checks_status, above)" >&2; status=1; }
java scripts/TestSummary.java . || status=1
exit "$status"
