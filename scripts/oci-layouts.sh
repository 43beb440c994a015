#!/usr/bin/env bash
# Lists every OCI layout a build left under ROOT (default .), one line each, sorted:
#   <module dir> <artifact name> <tag> <manifest digest>
# Used by check-reproducible.sh (digests of two builds) and check-push.sh (what the registry must hold).
set -euo pipefail
root=${1:-.}

first() { { grep -o "\"$1\":\"[^\"]*\"" "$2" || true; } | head -n 1 | cut -d'"' -f4; }

find "$root" -path '*/target/oci/index.json' -not -path '*/.git/*' -not -path '*/src/it/*' -not -path '*/target/it/*' |
  sort | while read -r index; do
    oci=${index%/index.json}
    digest=$(first digest "$index")
    manifest=$oci/blobs/sha256/${digest#sha256:}
    # The manifest's own annotations sort before its layers', so the first title is the artifact's name. An image Jib
    # built has no manifest annotations: its index entry carries the title (ImageTarball).
    name=$(first org.opencontainers.image.title "$manifest")
    [[ -n $name ]] || name=$(first org.opencontainers.image.title "$index")
    printf '%s %s %s %s\n' "${oci%/target/oci}" "$name" "$(first org.opencontainers.image.ref.name "$index")" "$digest"
  done
