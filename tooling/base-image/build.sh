#!/usr/bin/env bash
# Builds the base image of homestack's Java components without any container registry (docs/decisions.md, "Java
# component images with Jib"): the Debian packages pinned in java17.lock are downloaded with apt-get (checked against
# their SHA-256), unpacked with dpkg-deb into one root filesystem and packed as ONE deterministic layer (sorted, fixed
# mtime, uid/gid 0) of a docker-save tarball, the format jib-maven-plugin reads as a `tar://` base image, offline.
# The image's config digest (its ID) must be the lock's `image` line: the same pins give the same bytes everywhere.
# Cached by digest in $HOMESTACK_BASE_IMAGE_DIR (default ~/.cache/homestack/base-images): a second run does nothing.
#   build.sh           build (or find) java17-<digest hex>.tar and print its path
#   build.sh --digest  build it and print the digest it really has, whatever the lock says (when bumping a package)
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
LOCK=$HERE/java17.lock
DIR=${HOMESTACK_BASE_IMAGE_DIR:-$HOME/.cache/homestack/base-images}
EPOCH=1767225600 # every mtime: the root POM's project.build.outputTimestamp, 2026-01-01T00:00:00Z
JAVA_HOME=/usr/lib/jvm/java-17-openjdk-amd64
# Only where this machine is not Debian 12 (below).
DEBIAN_IMAGE=${HOMESTACK_DEBIAN_IMAGE:-debian:12}
OS_RELEASE=${HOMESTACK_OS_RELEASE:-/etc/os-release}

die() { printf 'base-image/build.sh: %s\n' "$*" >&2; exit 1; }

pinned=$(awk '$1 == "image" {print $2}' "$LOCK")
[[ $pinned =~ ^sha256:[0-9a-f]{64}$ ]] || die "$LOCK: no 'image sha256:<64 hex>' line"
out=$DIR/java17-${pinned#sha256:}.tar
if [[ ${1:-} != --digest && -f $out ]]; then echo "$out"; exit 0; fi

# Not on Debian 12 (Ubuntu, macOS, GitHub's runners): this script in a Debian 12 container, where Docker is (a k3d
# user has it). The container only lends apt-get its Debian 12 archive: every package's SHA-256 and the image digest
# are checked inside exactly as here, so the container's own version cannot change the result.
if ! grep -qsx 'ID=debian' "$OS_RELEASE" || ! grep -qsx 'VERSION_ID="12"' "$OS_RELEASE"; then
  [[ -z ${HOMESTACK_BASE_IMAGE_IN_CONTAINER:-} ]] || die "the container $DEBIAN_IMAGE is not Debian 12"
  if ! { command -v docker >/dev/null && docker info >/dev/null 2>&1; }; then
    # shellcheck source=/dev/null
    die "needs Debian 12's apt archive, or Docker to run a Debian 12 container; this machine is $(
      (. "$OS_RELEASE" && echo "$PRETTY_NAME") 2>/dev/null || uname -sr)"
  fi
  echo "base-image/build.sh: not Debian 12, building in a $DEBIAN_IMAGE container (packages and digest checked there)" >&2
  mkdir -p "$DIR"
  result=$(docker run --rm -e HOMESTACK_BASE_IMAGE_IN_CONTAINER=1 -e HOMESTACK_BASE_IMAGE_DIR=/out \
    -e OWNER="$(id -u):$(id -g)" -v "$HERE:/src:ro" -v "$DIR:/out" "$DEBIAN_IMAGE" \
    bash -c 'apt-get update -qq >&2 && /src/build.sh "$@"; s=$?; chown -R "$OWNER" /out; exit $s' bash "$@") ||
    die "the build in the $DEBIAN_IMAGE container failed (above)"
  if [[ ${1:-} == --digest ]]; then echo "$result"; else echo "$out"; fi
  exit 0
fi

for tool in apt-get dpkg-deb tar sha256sum; do command -v "$tool" >/dev/null || die "$tool is missing (a Debian machine)"; done
mkdir -p "$DIR/debs"
work=$(mktemp -d) # not under $HOME: apt-get downloads as _apt, who must reach it
trap 'rm -rf "$work"' EXIT
mkdir "$work/rootfs" "$work/image" "$work/dl"
chmod 755 "$work" && chmod 777 "$work/dl" # apt-get downloads as the unprivileged _apt user

while read -r package version sha; do
  [[ -z $package || $package == \#* || $package == image ]] && continue
  deb=$DIR/debs/${package}_${version//:/%3a}_amd64.deb
  if [[ ! -f $deb ]] || ! echo "$sha  $deb" | sha256sum -c --status; then
    (cd "$work/dl" && apt-get download -q "$package=$version" >&2) || die "cannot download $package=$version with apt-get
  (run apt-get update; a Debian security update may have replaced that version: bump it in $LOCK)"
    mv "$work"/dl/*.deb "$deb"
    echo "$sha  $deb" | sha256sum -c --status || die "$deb is not the package $LOCK pins (SHA-256 $sha)"
  fi
  dpkg-deb -x "$deb" "$work/rootfs"
done <"$LOCK"

# What a runtime needs besides the packages: a writable /tmp, mount points, the users Pods run as; no documentation.
rm -rf "$work/rootfs/usr/share/doc" "$work/rootfs/usr/share/man" "$work/rootfs/usr/share/lintian"
install -d -m 1777 "$work/rootfs/tmp"
install -d -m 755 "$work/rootfs/proc" "$work/rootfs/sys" "$work/rootfs/dev" # where a runtime mounts them
printf 'root:x:0:0:root:/root:/sbin/nologin\nnonroot:x:65532:65532:nonroot:/tmp:/sbin/nologin\n' >"$work/rootfs/etc/passwd"
printf 'root:x:0:\nnonroot:x:65532:\n' >"$work/rootfs/etc/group"
chmod 644 "$work/rootfs/etc/passwd" "$work/rootfs/etc/group"

tar --sort=name --mtime="@$EPOCH" --owner=0 --group=0 --numeric-owner --format=gnu -C "$work/rootfs" \
  -cf "$work/layer.tar" .
diff_id=sha256:$(sha256sum "$work/layer.tar" | cut -d' ' -f1)
mkdir "$work/image/${diff_id#sha256:}"
mv "$work/layer.tar" "$work/image/${diff_id#sha256:}/layer.tar"
packages=$(awk '!/^#/ && NF == 3 {printf "%s%s=%s", sep, $1, $2; sep=","}' "$LOCK")
printf '{"architecture":"amd64","config":{"Env":["PATH=%s/bin:/usr/sbin:/usr/bin:/sbin:/bin","JAVA_HOME=%s"],"Labels":{"io.homestack.base.packages":"%s"},"User":"65532"},"created":"1970-01-01T00:00:00Z","os":"linux","rootfs":{"diff_ids":["%s"],"type":"layers"}}' \
  "$JAVA_HOME" "$JAVA_HOME" "$packages" "$diff_id" >"$work/config.json"
digest=sha256:$(sha256sum "$work/config.json" | cut -d' ' -f1)
mv "$work/config.json" "$work/image/${digest#sha256:}.json"
printf '[{"Config":"%s.json","RepoTags":["homestack/java17-base:%s"],"Layers":["%s/layer.tar"]}]' \
  "${digest#sha256:}" "${digest#sha256:0:12}" "${diff_id#sha256:}" >"$work/image/manifest.json"

if [[ ${1:-} == --digest ]]; then echo "$digest"; exit 0; fi
[[ $digest == "$pinned" ]] || die "the packages of $LOCK give the image $digest, but the lock pins $pinned
  (a changed pin: run build.sh --digest and update the 'image' line and tooling/component-parent/pom.xml)"
# Entries named without "./": Jib refuses to unpack "./" ("outside destination").
(cd "$work/image" && tar --sort=name --mtime="@$EPOCH" --owner=0 --group=0 --numeric-owner --format=gnu \
  -cf "$work/image.tar" manifest.json "${digest#sha256:}.json" "${diff_id#sha256:}")
mv "$work/image.tar" "$out"
echo "$out"
