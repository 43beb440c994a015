#!/usr/bin/env bash
# Publishing end to end (`make registry-up push`, docs/lifecycle.md) against fresh local registries (Debian's
# docker-registry via scripts/registry.sh) on free ports:
#   1. `make push` pushes every bundle and release; every manifest is read back over the registry's HTTP API and must
#      hash to the digest in target/oci, every blob it names must be there, its CycloneDX SBOM must be attached as a
#      referrer, and the catalog holds exactly those.
#   2. A release alone (`mvn deploy -pl clusters/k3d`) is refused by an empty registry, naming every pinned bundle,
#      and pushes nothing.
#   3. The k3s release (`make push-k3s`, not part of `make push`) is refused while clusters/k3s/inventory.yaml has
#      placeholders, naming the file and each key, and pushes nothing of its own.
#   4. A tagged release (`make release VERSION=v0.0.1-check` as release.yaml runs it, after VERSION=1.2 is refused:
#      scripts/release.sh publish, with ${revision} = the version) publishes every bundle and release-k3d pulled
#      from that registry (the k3s release refused as in 3, a warning); nightly's drift
#      check (release.sh compare) finds no drift, and finds it once an artifact in the registry is replaced; the
#      release diff (release-diff.sh) of the same sources against the published release says "No changes".
#      In a copy of the working tree, so that target/ here keeps the build of step 1; nothing goes into ~/.m2.
# Without docker-registry or curl it skips with the reason, except in CI (CI=true), where that fails.
set -euo pipefail
cd "$(dirname "$0")/.."
MVN=${MVN:-mvn -B -Dstyle.color=never}
RELEASE=${RELEASE:-clusters/k3d}

for tool in docker-registry curl skopeo; do
  if ! command -v "$tool" >/dev/null; then
    if [[ ${CI:-} == true ]]; then echo "check-push: $tool is missing (make deps)" >&2; exit 1; fi
    echo "check-push: SKIPPED, $tool is missing (make deps)"
    exit 0
  fi
done

work=$(mktemp -d)
export XDG_CACHE_HOME=$work   # registry.sh keeps each registry's data here: empty at the start, removed at the end
ports=()
cleanup() {
  for p in "${ports[@]}"; do scripts/registry.sh stop "127.0.0.1:$p" >/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT

fail() { echo "check-push: FAILED: $*" >&2; exit 1; }

# 10000-19999: below the kernel's ephemeral ports (32768 and up by default), which an outgoing connection may take
# before the registry binds, and below the test kit's FreePorts (the 12000 ports under them), so a test beside this
# one never gets the same port.
free_port() {
  local p
  for _ in $(seq 100); do
    p=$((10000 + RANDOM % 10000))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then echo "$p"; return; fi
  done
  fail "no free port"
}

# Sets $port. Not called as $(start_registry): a subshell's ports+= would be lost and cleanup would leave the
# registry running.
start_registry() {
  port=$(free_port)
  scripts/registry.sh start "127.0.0.1:$port" >&2
  ports+=("$port")
}

digests() { grep -o '"digest":"sha256:[0-9a-f]*"' "$1" | cut -d'"' -f4; }
catalog() { curl -fsS "http://127.0.0.1:$1/v2/_catalog" | grep -o '"[a-z0-9._/-]*/[a-z0-9._-]*"' | tr -d '"' | sort; }

# 1. Everything, the documented way.
start_registry
base=http://127.0.0.1:$port
make -s push REGISTRY="127.0.0.1:$port" MVN="$MVN" >"$work/push.log" 2>&1 ||
  { tail -n 60 "$work/push.log" >&2; fail "make push REGISTRY=127.0.0.1:$port"; }
# make push leaves the k3s release out (step 3)
scripts/oci-layouts.sh . | { grep -v '^\./clusters/k3s ' || true; } >"$work/layouts"
[[ -s $work/layouts ]] || fail "make push built no OCI layout"
while read -r dir name tag digest; do
  manifest=$work/$name.json
  curl -fsS -H 'Accept: application/vnd.oci.image.manifest.v1+json' -o "$manifest" \
    "$base/v2/homestack/$name/manifests/$tag" || fail "$dir: homestack/$name:$tag is not in the registry"
  got=sha256:$(sha256sum "$manifest" | cut -d' ' -f1)
  [[ $got == "$digest" ]] || fail "$dir: the registry's homestack/$name:$tag is $got, target/oci has $digest"
  while read -r blob; do
    curl -fsS -o /dev/null -I "$base/v2/homestack/$name/blobs/$blob" || fail "$dir: blob $blob of homestack/$name missing"
  done < <(digests "$manifest")
  # its SBOM, an OCI referrer found through the referrers tag schema (this registry has no referrers API)
  curl -fsS -H 'Accept: application/vnd.oci.image.index.v1+json' -o "$work/$name.referrers" \
    "$base/v2/homestack/$name/manifests/${digest/:/-}" || fail "$dir: no SBOM attached to homestack/$name@$digest"
  grep -q '"artifactType":"application/vnd.cyclonedx+json"' "$work/$name.referrers" ||
    fail "$dir: the referrers of homestack/$name@$digest hold no CycloneDX SBOM"
  echo "pushed and read back: homestack/$name:$tag $digest (with its SBOM)"
done <"$work/layouts"
diff <(awk '{print "homestack/" $2}' "$work/layouts" | sort) <(catalog "$port") >&2 ||
  fail "the registry's catalog is not exactly the built artifacts (< built, > in the registry)"

# 2. A release before its bundles.
start_registry
release_json=$RELEASE/target/bundle/.homestack/release.json
[[ -f $release_json ]] || fail "$release_json was not built"
if $MVN deploy -DskipTests -pl "$RELEASE" -Dhomestack.registry="127.0.0.1:$port" >"$work/release.log" 2>&1; then
  fail "mvn deploy -pl $RELEASE pushed the release to an empty registry"
fi
grep -q "is not pushed: it pins" "$work/release.log" || { tail -n 40 "$work/release.log" >&2; fail "no refusal in the log"; }
while read -r digest; do
  grep -q "@$digest" "$work/release.log" || fail "the refusal does not name the pinned bundle $digest"
done < <(digests "$release_json")
[[ -z $(catalog "$port") ]] || fail "the refused release left repositories in the registry: $(catalog "$port")"
echo "refused as it should: $(grep -o 'release [a-z0-9-]* is not pushed: it pins [0-9]* bundle(s)' "$work/release.log" | head -n 1)"

# 3. The k3s release while the inventory has its committed placeholders.
start_registry
if make -s push-k3s REGISTRY="127.0.0.1:$port" MVN="$MVN" >"$work/k3s.log" 2>&1; then
  fail "make push-k3s published the k3s release although clusters/k3s/inventory.yaml has placeholders"
fi
grep -q "refusing to push release-k3s: .*clusters/k3s/inventory.yaml: .*registry is 'registry.home.example.net', a placeholder" \
  "$work/k3s.log" || { tail -n 40 "$work/k3s.log" >&2; fail "no placeholder refusal naming the inventory and the key"; }
! catalog "$port" | grep -qx homestack/release-k3s || fail "the refused k3s release is in the registry"
echo "refused as it should: $(grep -o 'refusing to push release-k3s: [^(]*' "$work/k3s.log" | head -n 1)"

# 4. A release tag's publish, and the drift check of it.
start_registry
v=0.0.1-check
mkdir "$work/src" && tar --exclude=./.git --exclude=./.preview --exclude=target -cf - . | tar -xf - -C "$work/src"
src_mvn="$MVN -Dmaven.install.skip=true"
release() { (cd "$work/src" && MVN="$src_mvn" scripts/release.sh "$@"); }
if make -C "$work/src" release VERSION=1.2 REGISTRY="127.0.0.1:$port" >"$work/bad-version.log" 2>&1 ||
  ! grep -q "VERSION '1.2' is not a release tag" "$work/bad-version.log"; then
  cat "$work/bad-version.log" >&2; fail "make release VERSION=1.2 was not refused with the rule"
fi
make -C "$work/src" release VERSION="v$v" REGISTRY="127.0.0.1:$port" PREFIX=check/homestack MVN="$src_mvn" \
  >"$work/publish.log" 2>&1 ||
  { tail -n 40 "$work/publish.log" >&2; fail "make release VERSION=v$v"; }
grep -q "WARNING: release-k3s $v not published: refusing to push release-k3s" "$work/publish.log" ||
  fail "release.sh publish did not warn that the k3s release was refused"
diff <(awk '$2 != "release-k3s" {print "check/homestack/" $2}' "$work/layouts" | sort) <(catalog "$port") >&2 ||
  fail "release.sh publish $v: the catalog is not every artifact but release-k3s (< built, > in the registry)"
grep -q "repoURL: oci://127.0.0.1:$port/check/homestack/release-k3d$" "$work/src/clusters/k3d/target/root-application-k3d.yaml" ||
  fail "release.sh publish: the k3d root Application does not pull from the registry it was published to"
release compare "$v" "127.0.0.1:$port" check/homestack >"$work/compare.log" 2>&1 ||
  { cat "$work/compare.log" >&2; fail "release.sh compare found drift right after publishing"; }
# The release diff CI attaches (scripts/release-diff.sh): the same sources against what they published, nothing changed.
# The plugin at the POM's version is in ~/.m2 since step 1's make push.
(cd "$work/src" && scripts/release-diff.sh "127.0.0.1:$port" check/homestack "$work/release-diff.md" "$v") \
  >"$work/diff.log" 2>&1 || { tail -n 40 "$work/diff.log" >&2; fail "release-diff.sh against release-k3d:$v"; }
grep -q "^No changes" "$work/release-diff.md" ||
  { cat "$work/release-diff.md" >&2; fail "the release diff of the sources that were just published is not empty"; }
skopeo copy -q --src-tls-verify=false --dest-tls-verify=false "docker://127.0.0.1:$port/check/homestack/media:$v" \
  "docker://127.0.0.1:$port/check/homestack/storage:$v"
if release compare "$v" "127.0.0.1:$port" check/homestack >"$work/drift.log" 2>&1; then
  fail "release.sh compare missed storage:$v replaced by another manifest"
fi
grep -q "^DRIFT: ./platform/storage: storage:$v is " "$work/drift.log" || { cat "$work/drift.log" >&2; fail "no DRIFT line for storage"; }
echo "release $v published with the version as \${revision}; drift check: none, then storage's replacement found"
echo "check-push: OK, $(wc -l <"$work/layouts") artifacts pushed and read back"
