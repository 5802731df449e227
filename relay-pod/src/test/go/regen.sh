#!/usr/bin/env bash
# Rebuilds the committed test vectors from Tailscale's own Go code (tailscale.com v1.102.3):
#   noisevectors/ -> relay-pod/src/test/resources/tailnet-vectors/noise.txt
# Needs Go and the module cache (GOMODCACHE); nothing is fetched when the cache is warm.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
out="$here/../resources/tailnet-vectors"
mkdir -p "$out"
(cd "$here/noisevectors" && GOFLAGS=-mod=mod go run .) > "$out/noise.txt.tmp"
mv "$out/noise.txt.tmp" "$out/noise.txt"
echo "wrote $out/noise.txt"
