#!/usr/bin/env bash
# Nothing may tell a user to run a make target that does not exist: every `make <target>...` written as a command
# (in backticks, {@code}, a string, after ": " or "$ ", or at the start of a line) in the docs, READMEs, scripts,
# sources and YAML comments names targets of the Makefile.
set -euo pipefail
cd "$(dirname "$0")/.."
mapfile -t targets < <(sed -n 's/^\([a-zA-Z][a-zA-Z0-9_-]*\):.*/\1/p' Makefile)
status=0
while IFS=: read -r file line text; do
  words=$(grep -oE '(`|\{@code |" ?|: |\$ |\(|^[[:space:]]*)make( [a-z][a-z0-9-]*)+' <<<"$text" | sed -E 's/.*make //') || continue
  for w in $words; do
    if [[ " ${targets[*]} " != *" $w "* ]]; then
      echo "$file:$line: 'make $w' is not a target of the Makefile" >&2
      status=1
    fi
  done
done < <(git ls-files -z -- '*.md' '*.java' '*.sh' '*.yaml' '*.yml' '*.groovy' 'Makefile' '.ci/run' |
  xargs -0 grep -nE '(^|[^a-z])make [a-z]' /dev/null)
exit $status
