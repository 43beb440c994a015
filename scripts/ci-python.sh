#!/usr/bin/env bash
# GitHub's Debian 12 job container (pr-validation.yaml): Python $HA_PYTHON for Home Assistant's venv, from uv
# (actions/setup-python has no Debian builds), at the same path in every job, so that the cached venv finds its
# interpreter. Exports HOMESTACK_PYTHON (homeassistant.sh) to the job's later steps.
set -euo pipefail
python3 -m venv /opt/uv
/opt/uv/bin/pip install -q --disable-pip-version-check "uv==${UV_VERSION:?}"
/opt/uv/bin/uv python install "${HA_PYTHON:?}"
echo "HOMESTACK_PYTHON=$(/opt/uv/bin/uv python find "$HA_PYTHON")" >>"${GITHUB_ENV:?}"
