#!/usr/bin/env bash
# Rebuild letopis/serve/static/vendor from the npm registry: the versions pinned in
# tools/package.json and tools/package-lock.json, installed with `npm ci`, copied as they ship.
set -euo pipefail
cd "$(dirname "$0")"
npm ci --no-audit --no-fund --ignore-scripts
out=../letopis/serve/static/vendor
rm -rf "$out" && mkdir -p "$out"
cp node_modules/echarts/dist/echarts.min.js "$out/"
cp node_modules/echarts/LICENSE "$out/echarts.LICENSE"
cp node_modules/topojson-client/dist/topojson-client.min.js "$out/"
cp node_modules/topojson-client/LICENSE "$out/topojson-client.LICENSE"
cp node_modules/world-atlas/countries-110m.json "$out/"
cp node_modules/world-atlas/LICENSE "$out/world-atlas.LICENSE"
cp node_modules/swagger-ui-dist/swagger-ui-bundle.js node_modules/swagger-ui-dist/swagger-ui.css "$out/"
cp node_modules/swagger-ui-dist/LICENSE "$out/swagger-ui.LICENSE"
ls -l "$out"
