#!/usr/bin/env bash
# Publishing a release version, and checking later that its sources still give what was published. One set of build
# flags for both (release.yaml and `make release`, nightly.yaml); docs/releases.md ("Release tags").
#   release.sh publish VERSION REGISTRY PREFIX   build with ${revision}=VERSION and push to REGISTRY/PREFIX: every
#                                                bundle, release-k3d (pulled from REGISTRY) and release-k3s (pulled
#                                                from its inventory's registry; while that has placeholders it is
#                                                refused, reported as a warning, and the rest stays published)
#   release.sh build VERSION REGISTRY PREFIX     only build the checked-out sources that way (target/oci)
#   release.sh drift VERSION REGISTRY PREFIX     rebuild the checked-out sources the same way, then compare
#   release.sh compare VERSION REGISTRY PREFIX   every built artifact's digest with REGISTRY/PREFIX/<name>:VERSION
# VERSION is the release tag (v1.2.3, v1.2.3-rc.1) or the same without the v. Plain HTTP for a local registry
# (localhost, *.localhost, 127.*) as `make push` decides it, or as PLAIN_HTTP=true|false says. Credentials:
# settings.xml for the push, skopeo's for reading.
set -euo pipefail
cd "$(dirname "$0")/.."
MVN=${MVN:-mvn -B -Dstyle.color=never}
[[ $# -eq 4 && $1 =~ ^(publish|build|drift|compare)$ ]] || { echo "usage: $0 publish|build|drift|compare VERSION REGISTRY PREFIX" >&2; exit 2; }
cmd=$1 version=${2#v} registry=$3 prefix=$4
[[ $version =~ ^[0-9]+\.[0-9]+\.[0-9]+([-.][0-9A-Za-z.-]+)?$ ]] ||
  { echo "release.sh: VERSION '$2' is not a release tag v<major>.<minor>.<patch>[-<pre-release>]" >&2; exit 2; }
host=${registry%:*}
if [[ -n ${PLAIN_HTTP:-} ]]; then plain=$PLAIN_HTTP
elif [[ $host == localhost || $host == *.localhost || $host == 127.* ]]; then plain=true
else plain=false; fi
common=(-DskipTests -Dinvoker.skip=true "-Drevision=$version" "-Dhomestack.repositoryPrefix=$prefix")
push=("-Dhomestack.registry=$registry" "-Dhomestack.plainHttp=$plain")
# release-k3d is pulled from where it is published; release-k3s from its inventory's registry
common+=("-Dhomestack.k3d.pullRegistry=$registry" "-Dhomestack.k3d.pullPlainHttp=$plain")

build() { # build GOAL [FLAGS...]; -fae: a refused k3s release stops nothing else
  local goal=$1 log status; shift
  log=$(mktemp)
  set +e
  $MVN -fae "$goal" "${common[@]}" "$@" 2>&1 | tee "$log"
  status=${PIPESTATUS[0]}
  set -e
  if ((status != 0)) && grep -q 'refusing to push release-k3s' "$log" &&
    [[ $(grep -c '\[ERROR\] Failed to execute goal' "$log") == 1 ]]; then
    echo "WARNING: release-k3s $version not published: $(grep -o 'refusing to push release-k3s: [^(]*' "$log" |
      head -n 1)(docs/deploy-k3s.md)" >&2
    status=0
  fi
  rm -f "$log"
  return "$status"
}

compare() { # every artifact built here against the registry; missing release-k3s is not drift (see publish)
  local tls=() drift=0 dir name digest got raw
  [[ $plain == true ]] && tls=(--tls-verify=false)
  raw=$(mktemp) && trap 'rm -f "$raw"' RETURN
  while read -r dir name _ digest; do
    if ! skopeo inspect "${tls[@]}" --raw "docker://$registry/$prefix/$name:$version" >"$raw" 2>/dev/null; then
      if [[ $name == release-k3s ]]; then echo "not published: $name:$version"; continue; fi
      echo "DRIFT: $dir: $registry/$prefix/$name:$version is not in the registry"; drift=1; continue
    fi
    got=sha256:$(sha256sum "$raw" | cut -d' ' -f1) # the manifest's exact bytes
    if [[ $got == "$digest" ]]; then echo "same: $name:$version $digest"
    else echo "DRIFT: $dir: $name:$version is $got in $registry, these sources give $digest"; drift=1; fi
  done < <(scripts/oci-layouts.sh .)
  ((drift == 0)) || { echo "release $version: the sources no longer give what was published" >&2; exit 1; }
  echo "release $version: no drift"
}

case $cmd in
  publish) build deploy "${push[@]}" ;;
  build) build package ;;
  drift) build install && compare ;;
  compare) compare ;;
esac
