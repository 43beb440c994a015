#!/usr/bin/env bash
# Seals a Secret file offline for one environment, with the certificate committed for it
# (clusters/<env>/sealed-secrets/sealed-secrets-<env>.crt), and prints the SealedSecret (or writes it with --out).
# `make seal ENV=k3d IN=secret.yaml` runs this. The sealing is the homestack Maven plugin's `seal` goal; this wrapper
# only keeps standard output to the YAML and a failure to its one-line reason, instead of Maven's report.
# Needs the plugin in the local Maven repository: `mvn install` (or `make build`) once.
set -euo pipefail

usage() {
  cat <<'EOF'
usage: scripts/seal.sh [--scope strict|namespace-wide|cluster-wide] [--out FILE] ENV SECRET.yaml
       make seal ENV=k3d|k3s IN=SECRET.yaml [SCOPE=strict] [OUT=FILE]

  ENV          k3d (test key, public: never a real credential) or k3s (the home cluster)
  SECRET.yaml  one v1 Secret (data or stringData); keep it outside the repository and delete it afterwards
  --scope      strict (default: bound to namespace and name), namespace-wide, cluster-wide
  --out FILE   write the SealedSecret to FILE (replaced atomically) instead of standard output
EOF
}

scope=strict
out=""
while [ $# -gt 0 ]; do
  case "$1" in
    --scope) [ $# -ge 2 ] || { usage >&2; exit 2; }; scope=$2; shift 2 ;;
    --out) [ $# -ge 2 ] || { usage >&2; exit 2; }; out=$2; shift 2 ;;
    -h|--help) usage; exit 0 ;;
    --) shift; break ;;
    -*) echo "seal: unknown option $1" >&2; usage >&2; exit 2 ;;
    *) break ;;
  esac
done
if [ $# -ne 2 ] || [ -z "$1" ] || [ -z "$2" ]; then
  usage >&2
  exit 2
fi
env=$1
input=$2

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
revision=$(sed -n 's:.*<revision>\(.*\)</revision>.*:\1:p' "$root/pom.xml" | head -n 1)
plugin="io.homestack:bundle-maven-plugin:${revision}"

absolute() {
  case "$1" in
    /*) printf '%s\n' "$1" ;;
    *) printf '%s/%s\n' "$PWD" "$1" ;;
  esac
}

args=(-B -q -o "${plugin}:seal"
  "-Dhomestack.seal.environment=${env}"
  "-Dhomestack.seal.input=$(absolute "$input")"
  "-Dhomestack.seal.scope=${scope}"
  "-Dhomestack.seal.repositoryRoot=${root}")
if [ -n "$out" ]; then
  args+=("-Dhomestack.seal.output=$(absolute "$out")")
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# Run where there is no pom.xml: the goal needs no project, so a half-edited POM elsewhere cannot get in the way.
# jansi.noreset: Debian's Maven 3.8.7 (jansi 2.4) otherwise writes ESC[0m around its output, even with -B, and the
# YAML on standard output would start with it.
status=0
(cd "$work" && MAVEN_OPTS="${MAVEN_OPTS:-} -Djansi.noreset=true" mvn "${args[@]}") \
  >"$work/stdout" 2>"$work/stderr" || status=$?

if [ "$status" -eq 0 ]; then
  cat "$work/stdout"
  # notes of the goal (e.g. that the k3d key is public)
  if [ -s "$work/stderr" ]; then cat "$work/stderr" >&2; fi
  if [ -n "$out" ]; then echo "sealed $input for $env ($scope) into $out" >&2; fi
  exit 0
fi

if grep -q "${plugin}" "$work/stdout" && grep -q -E 'could not be resolved|No plugin found|has not been downloaded' "$work/stdout"; then
  echo "seal: the homestack Maven plugin ${revision} is not in the local Maven repository yet; build it once with" >&2
  echo "      mvn install -pl tooling/bundle-maven-plugin -am -DskipTests   (or: make build)" >&2
elif [ -s "$work/stderr" ]; then
  # The goal's own one-line reason (not a Secret, no such file, no certificate, unknown environment or scope).
  cat "$work/stderr" >&2
else
  cat "$work/stdout" >&2
fi
exit 1
