# shellcheck shell=bash
# Sourced by seal.sh, unseal.sh and diff.sh: runs one goal of the homestack Maven plugin without a project, so standard output
# carries the goal's output and nothing else, and a failure its one-line reason instead of Maven's report.
# Needs the plugin in the local Maven repository: `mvn install` (or `make build`) once.

homestack_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

# A path as the goal sees it, which runs in another directory.
absolute() {
  case "$1" in
    /*) printf '%s\n' "$1" ;;
    *) printf '%s/%s\n' "$PWD" "$1" ;;
  esac
}

# goal_arguments NAME "$@": the scripts' shared command line, [--out FILE] ARG1 ARG2; -h prints usage (the caller's
# function). Sets out (or ""), first and second; a wrong command line prints usage and exits 2.
# shellcheck disable=SC2034 # out, first and second are read by the sourcing script
goal_arguments() {
  local name=$1
  shift
  out=""
  while [ $# -gt 0 ]; do
    case "$1" in
      --out) [ $# -ge 2 ] || { usage >&2; exit 2; }; out=$2; shift 2 ;;
      -h|--help) usage; exit 0 ;;
      --) shift; break ;;
      -*) echo "$name: unknown option $1" >&2; usage >&2; exit 2 ;;
      *) break ;;
    esac
  done
  if [ $# -ne 2 ] || [ -z "$1" ] || [ -z "$2" ]; then
    usage >&2
    exit 2
  fi
  first=$1 second=$2
}

# run_plugin_goal GOAL -Dproperty=value...   (exits 1 on failure)
run_plugin_goal() {
  local goal=$1 revision plugin status=0
  shift
  # the POM's version, or the one a versioned build installed (release.yaml: HOMESTACK_PLUGIN_VERSION=<tag version>)
  revision=${HOMESTACK_PLUGIN_VERSION:-$(sed -n 's:.*<revision>\(.*\)</revision>.*:\1:p' "$homestack_root/pom.xml" | head -n 1)}
  plugin="io.homestack:bundle-maven-plugin:${revision}"
  goal_work=$(mktemp -d)
  trap 'rm -rf "$goal_work"' EXIT

  # Run where there is no pom.xml: the goal needs no project, so a half-edited POM elsewhere cannot get in the way.
  # jansi.noreset: Debian's Maven 3.8.7 (jansi 2.4) otherwise writes ESC[0m around its output, even with -B, and the
  # YAML on standard output would start with it.
  (cd "$goal_work" && MAVEN_OPTS="${MAVEN_OPTS:-} -Djansi.noreset=true" mvn -B -q -o "${plugin}:${goal}" "$@") \
    >"$goal_work/stdout" 2>"$goal_work/stderr" || status=$?

  if [ "$status" -eq 0 ]; then
    cat "$goal_work/stdout"
    # notes of the goal (e.g. that the k3d key is public)
    if [ -s "$goal_work/stderr" ]; then cat "$goal_work/stderr" >&2; fi
    return 0
  fi
  if grep -q "${plugin}" "$goal_work/stdout" &&
    grep -q -E 'could not be resolved|No plugin found|has not been downloaded' "$goal_work/stdout"; then
    echo "${goal}: the homestack Maven plugin ${revision} is not in the local Maven repository yet; build it once with" >&2
    echo "      mvn install -pl tooling/bundle-maven-plugin -am -DskipTests   (or: make build)" >&2
  elif [ -s "$goal_work/stderr" ]; then
    # The goal's own one-line reason.
    cat "$goal_work/stderr" >&2
  else
    cat "$goal_work/stdout" >&2
  fi
  exit 1
}
