#!/usr/bin/env bash
# Runs Theme Check (@shopify/theme-check-node, pinned in package.json, with
# the theme-app-extension config) on the theme app extension and fails on
# any offense. Installs the pinned packages first when they are missing.
#   tools/theme-check/run.sh [extension folder]
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
ext="${1:-$here/../../shopify/extensions/luneo-theme}"
if [ ! -d "$here/node_modules/@shopify/theme-check-node" ]; then
	(cd "$here" && npm ci --no-audit --no-fund --loglevel=error)
fi
exec node "$here/check.mjs" "$ext"
