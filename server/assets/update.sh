#!/usr/bin/env bash
# Refreshes the vendored browser assets from the versions pinned in package-lock.json.
# The copies under vendor/ are committed so that `cargo build` needs no npm; CI can run this
# script and `git diff --exit-code vendor/` to check they still match the npm package.
set -euo pipefail
cd "$(dirname "$0")"
# --ignore-scripts: swagger-ui-dist depends on an install-time telemetry script we do not want.
npm ci --ignore-scripts --no-audit --no-fund
src=node_modules/swagger-ui-dist
dst=vendor/swagger-ui-dist
rm -rf "$dst"
mkdir -p "$dst"
cp "$src/swagger-ui-bundle.js" "$src/swagger-ui.css" "$src/LICENSE" "$src/NOTICE" "$dst/"
rm -rf node_modules
