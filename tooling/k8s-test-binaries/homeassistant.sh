#!/usr/bin/env bash
# Installs Home Assistant (HOMEASSISTANT_VERSION, versions.env) from PyPI into a venv, $DIR/homeassistant/<version>/,
# for apps/home-automation's engine proof (HomeAssistantIT), together with what HA would otherwise pip-install while
# it runs: the requirements of the integrations the bundle sets up (INTEGRATIONS and their dependencies, from that
# release's manifests) and of its check_config script, all under HA's own package_constraints.txt. The tests run HA
# with --skip-pip, so they need no network. Cached: a complete venv of the same pins is not touched again.
#
#   homeassistant.sh            install (about 6 minutes cold, docs/performance.md), or nothing when cached
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=versions.env
. "$HERE/versions.env"
DIR=${HOMESTACK_K8S_BIN_DIR:-$HOME/.kubeapitest}
VENV=$DIR/homeassistant/$HOMEASSISTANT_VERSION
# The integrations apps/home-automation/manifests/base/home-assistant sets up beyond HA's core and HA's always-loaded
# defaults whose requirements are not HA's own dependencies (frontend, isal, ...); HomeAssistantIT fails on any
# integration that does not set up, so a missing one here is found there.
INTEGRATIONS="mqtt prometheus frontend recorder history logbook hardware network backup isal"
STAMP="homeassistant $HOMEASSISTANT_VERSION integrations: $INTEGRATIONS"

log() { printf '==> %s\n' "$*" >&2; }
die() { printf 'homeassistant.sh: %s\n' "$*" >&2; exit 1; }

find_python() { # python$HOMEASSISTANT_PYTHON on the PATH, else pyenv's newest $HOMEASSISTANT_PYTHON.x, else HOMESTACK_PYTHON
  local p pyenv_root
  pyenv_root=$(pyenv root 2>/dev/null || echo "$HOME/.pyenv")
  for p in "${HOMESTACK_PYTHON:-}" "python$HOMEASSISTANT_PYTHON" \
    $(printf '%s\n' "$pyenv_root"/versions/"$HOMEASSISTANT_PYTHON".*/bin/python3 | sort -rV); do
    # runs, not only exists: pyenv's shims exist for every version pyenv has, and fail for those not selected
    [[ -n $p ]] && "$p" -c '' 2>/dev/null && { "$p" -c 'import sys; print(sys.executable)'; return; }
  done
  die "no Python $HOMEASSISTANT_PYTHON: install it (pyenv install $HOMEASSISTANT_PYTHON) or set HOMESTACK_PYTHON"
}

if [[ -f $VENV/.complete && $(<"$VENV/.complete") == "$STAMP" ]]; then
  log "Home Assistant $HOMEASSISTANT_VERSION is up to date in $VENV"
  exit 0
fi
t0=$SECONDS
python=$(find_python)
log "installing Home Assistant $HOMEASSISTANT_VERSION with $python ($("$python" --version)) into $VENV"
rm -rf "$VENV" && mkdir -p "${VENV%/*}"
"$python" -m venv "$VENV"
pip=("$VENV/bin/python" -m pip install --disable-pip-version-check --quiet)
"${pip[@]}" "homeassistant==$HOMEASSISTANT_VERSION"
constraints=$("$VENV/bin/python" -c 'import homeassistant, pathlib; print(pathlib.Path(homeassistant.__file__).parent / "package_constraints.txt")')
# The manifests' requirements are exact pins (name==version) of this release, as HA would install them.
"$VENV/bin/python" - "$INTEGRATIONS" >"$VENV/integration-requirements.txt" <<'PY' || die "cannot read the manifests"
import json, pathlib, sys
import homeassistant
from homeassistant.scripts import check_config

components = pathlib.Path(homeassistant.__file__).parent / "components"
todo, seen, requirements = sys.argv[1].split(), set(), set(check_config.REQUIREMENTS)
while todo:
    domain = todo.pop()
    if domain not in seen:
        seen.add(domain)
        manifest = json.loads((components / domain / "manifest.json").read_text())
        requirements.update(manifest.get("requirements", []))
        todo.extend(manifest.get("dependencies", []))
print("\n".join(sorted(requirements)))
PY
"${pip[@]}" -c "$constraints" -r "$VENV/integration-requirements.txt"
"$VENV/bin/python" -m pip freeze --disable-pip-version-check >"$VENV/freeze.txt"
echo "$STAMP" >"$VENV/.complete"
log "installed Home Assistant $HOMEASSISTANT_VERSION in $((SECONDS - t0))s: $VENV/bin/hass"
