#!/usr/bin/env bash
# Builds every bundle and release from three copies of the committed sources: a full clone, a shallow clone
# (`git clone --depth 1`, what CI checkouts give) and a source tarball without .git (`git archive`). Fails unless all
# three give the same manifest digests. Uncommitted changes are not part of it: commit first.
set -euo pipefail
cd "$(dirname "$0")/.."
MVN=${MVN:-mvn -B -Dstyle.color=never}
repo=$PWD
head=$(git rev-parse HEAD)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

if [[ $(git rev-parse --is-shallow-repository) == true ]]; then
  echo "note: $repo is itself shallow, so its \"full\" clone is too; the tarball still has no Git at all" >&2
fi
git -c advice.detachedHead=false clone -q --no-local "$repo" "$work/full-clone"
git -c advice.detachedHead=false clone -q --depth 1 "file://$repo" "$work/shallow-clone"
for clone in full-clone shallow-clone; do
  git -C "$work/$clone" -c advice.detachedHead=false checkout -q "$head" 2>/dev/null ||
    { echo "cannot check out $head in the $clone (is HEAD on a branch?)" >&2; exit 1; }
done
[[ $(git -C "$work/shallow-clone" rev-list --count HEAD) == 1 ]] || { echo "the shallow clone is not shallow" >&2; exit 1; }
mkdir "$work/tarball"
git archive --format=tar "$head" | tar -x -C "$work/tarball"

build() {
  (cd "$work/$1" && $MVN -q package -DskipTests -Dmaven.test.skip=true >"$work/$1.log" 2>&1) ||
    { tail -n 40 "$work/$1.log" >&2; echo "the build of the $1 failed" >&2; exit 1; }
  (cd "$work/$1" && "$repo/scripts/oci-layouts.sh" .) >"$work/$1.digests"
}

for copy in full-clone shallow-clone tarball; do
  build "$copy"
  [[ -s $work/$copy.digests ]] || { echo "the $copy built no OCI layout" >&2; exit 1; }
done
status=0
for copy in shallow-clone tarball; do
  if ! diff "$work/full-clone.digests" "$work/$copy.digests" >"$work/$copy.diff"; then
    echo "NOT reproducible: the $copy gives other digests than the full clone (< full clone, > $copy):" >&2
    cat "$work/$copy.diff" >&2
    status=1
  fi
done
((status == 0)) || exit 1
echo "reproducible: $(wc -l <"$work/full-clone.digests") artifacts, identical digests from a full clone, a shallow" \
  "clone and a tarball of ${head:0:12}"
cat "$work/full-clone.digests"
