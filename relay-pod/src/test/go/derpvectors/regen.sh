#!/usr/bin/env bash
# Regenerates relay-pod/src/test/resources/tailnet-vectors/derp.txt with Tailscale's own code
# (tailscale.com as pinned in go.mod). DerpVectorsTest checks the Java client byte for byte.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
out="$here/../../resources/tailnet-vectors/derp.txt"
mkdir -p "$(dirname "$out")"
(cd "$here" && GOFLAGS=-mod=mod go run . vectors) > "$out.tmp"
mv "$out.tmp" "$out"
echo "wrote $out"
