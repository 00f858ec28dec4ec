#!/usr/bin/env bash
# Rebuild vendor/plotly.js/plotly-sahel.min.js, the partial plotly.js bundle the page loads
# in place of Dash's full plotly.min.js (only the traces the atlas draws: scattermap, bar).
#
#   bash scripts/build_plotly.sh           # rebuild the vendored file
#   bash scripts/build_plotly.sh --check   # build elsewhere and compare, byte for byte
#
# Needs Node.js and npm. The build's packages are those of vendor/plotly.js/package-lock.json
# (plotly.js and esbuild pinned, every dependency locked with its integrity hash), installed
# with `npm ci` into build/plotly/. plotly.js must be the version Dash's dcc asks for (the
# one the pinned plotly package ships): this script refuses to build any other.
set -euo pipefail
cd "$(dirname "$0")/.."
VENDOR=vendor/plotly.js
WORK=build/plotly
rm -rf "$WORK"
mkdir -p "$WORK"
cp "$VENDOR/package.json" "$VENDOR/package-lock.json" "$VENDOR/entry.js" "$VENDOR/build.mjs" "$WORK/"
npm ci --prefix "$WORK" --no-audit --no-fund --loglevel=error
wanted=$(.venv/bin/python -c "from plotly.offline import get_plotlyjs_version; print(get_plotlyjs_version())")
built=$(node -p "require('./$WORK/node_modules/plotly.js/package.json').version")
if [ "$wanted" != "$built" ]; then
    echo "plotly.js $built in $VENDOR/package.json, but the plotly package ships $wanted:" \
        "pin plotly.js $wanted there and run npm install to update the lock" >&2
    exit 1
fi
if [ "${1:-}" = "--check" ]; then
    node "$WORK/build.mjs" "$WORK/plotly-sahel.min.js"
    cmp "$WORK/plotly-sahel.min.js" "$VENDOR/plotly-sahel.min.js"
    echo "$VENDOR/plotly-sahel.min.js is what the build gives, byte for byte"
else
    node "$WORK/build.mjs" "$VENDOR/plotly-sahel.min.js"
    sha256sum "$VENDOR/plotly-sahel.min.js"
fi
