#!/usr/bin/env bash
# Builds every bundle and release twice from clean and fails unless both builds give the same manifest digests.
set -euo pipefail
cd "$(dirname "$0")/.."
MVN=${MVN:-mvn -B -Dstyle.color=never}

digests() {
  find . -path '*/target/oci/index.json' -not -path './.git/*' | sort | while read -r index; do
    printf '%s %s\n' "${index%/target/oci/index.json}" "$(sed -n 's/.*"digest":"\(sha256:[0-9a-f]*\)".*/\1/p' "$index")"
  done
}

build() { $MVN -q clean package -DskipTests -Dmaven.test.skip=true >/dev/null; digests; }

first=$(build)
[[ -n $first ]] || { echo "no OCI layouts were built" >&2; exit 1; }
second=$(build)
if [[ $first != "$second" ]]; then
  echo "NOT reproducible: digests differ between two clean builds" >&2
  diff <(echo "$first") <(echo "$second") >&2 || true
  exit 1
fi
echo "reproducible: $(wc -l <<<"$first") artifacts, identical digests in two clean builds"
echo "$first"
