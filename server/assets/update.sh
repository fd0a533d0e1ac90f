#!/usr/bin/env bash
# Refreshes the vendored browser assets from the versions pinned in package-lock.json.
# The copies under vendor/ are committed so that `cargo build` needs no npm; CI can run this
# script and `git diff --exit-code vendor/` to check they still match the npm package.
set -euo pipefail
cd "$(dirname "$0")"
# --ignore-scripts: swagger-ui-dist depends on an install-time telemetry script we do not want.
npm ci --ignore-scripts --no-audit --no-fund
rm -rf vendor
# copy PACKAGE DEST FILE...: the files of one npm package into vendor/DEST.
copy() {
    local src="node_modules/$1" dst="vendor/$2"
    shift 2
    mkdir -p "$dst"
    for file in "$@"; do cp "$src/$file" "$dst/"; done
}
copy swagger-ui-dist swagger-ui-dist swagger-ui-bundle.js swagger-ui.css LICENSE NOTICE
# The NL Design System look of the pages: the Utrecht components (class-based CSS) and the
# design tokens of the NL Design System's example theme ("voorbeeld"; EUPL-1.2, unlike the
# Utrecht tokens, which are the municipality's own brand).
copy @utrecht/component-library-css utrecht-component-library-css dist/index.css LICENSE.md
copy @nl-design-system-unstable/voorbeeld-design-tokens voorbeeld-design-tokens dist/theme.css LICENSE.md
rm -rf node_modules
