#!/usr/bin/env bash
# Rewrites the committed test vectors from Tailscale's own Go code (tailscale.com as pinned in
# go.mod): relay-pod/src/test/resources/tailnet-vectors/noise.txt (cmd/noisevectors; NoiseVectors
# reads it) and derp.txt (cmd/derpvectors vectors; DerpVectorsTest checks the Java client byte for
# byte). Needs Go and the module cache (GOMODCACHE); nothing is fetched when the cache is warm.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
out=$here/../../relay-pod/src/test/resources/tailnet-vectors
mkdir -p "$out"
(cd "$here" && GOFLAGS=-mod=mod go run ./cmd/noisevectors) > "$out/noise.txt.tmp"
mv "$out/noise.txt.tmp" "$out/noise.txt"
(cd "$here" && GOFLAGS=-mod=mod go run ./cmd/derpvectors vectors) > "$out/derp.txt.tmp"
mv "$out/derp.txt.tmp" "$out/derp.txt"
echo "wrote $out/noise.txt and $out/derp.txt"
