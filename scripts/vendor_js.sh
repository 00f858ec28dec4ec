#!/usr/bin/env bash
# Copy the browser libraries the page loads on demand into assets/vendor/, from npm, at the
# pinned versions below, each with its licence. The page never asks a CDN: these copies
# are served by the app itself (dashboard/server.py keeps assets/vendor/ out of the
# scripts every page loads; assets/atlas/record.js imports them when a recording starts).
# Run it after changing a version, then commit assets/vendor/.
set -euo pipefail
cd "$(dirname "$0")/.."
MEDIABUNNY_VERSION=1.61.0  # WebM muxing over WebCodecs (MPL-2.0)
GIFENC_VERSION=1.0.3       # GIF encoding (MIT)
# what Dash's @babel/polyfill URL answers with (dashboard/polyfill.py), in vendor/ (MIT)
REGENERATOR_VERSION=0.14.1
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# npm pack checks each tarball against the registry's integrity hash
npm pack --silent --pack-destination "$work" \
    "mediabunny@$MEDIABUNNY_VERSION" "gifenc@$GIFENC_VERSION" \
    "regenerator-runtime@$REGENERATOR_VERSION" >/dev/null
rm -rf assets/vendor/mediabunny-* assets/vendor/gifenc-*
take() {  # take NAME VERSION FILE... : unpack NAME's tarball, copy FILEs to assets/vendor/NAME-VERSION/
    local name=$1 version=$2
    shift 2
    mkdir -p "$work/$name" "assets/vendor/$name-$version"
    tar xzf "$work/$name-$version.tgz" -C "$work/$name"
    for file in "$@"; do
        cp "$work/$name/package/$file" "assets/vendor/$name-$version/"
    done
}
take mediabunny "$MEDIABUNNY_VERSION" dist/bundles/mediabunny.min.mjs LICENSE
take gifenc "$GIFENC_VERSION" dist/gifenc.esm.js dist/gifenc.esm.js.map LICENSE.md
mkdir -p "$work/regenerator-runtime" vendor/regenerator-runtime
tar xzf "$work/regenerator-runtime-$REGENERATOR_VERSION.tgz" -C "$work/regenerator-runtime"
cp "$work/regenerator-runtime/package/runtime.js" "$work/regenerator-runtime/package/LICENSE" \
    vendor/regenerator-runtime/
echo "assets/vendor: mediabunny $MEDIABUNNY_VERSION, gifenc $GIFENC_VERSION;" \
    "vendor/regenerator-runtime: $REGENERATOR_VERSION"
