#!/usr/bin/env bash
# Builds what the tailnet lab runs, from the Go module e2e/go (tailscale.com pinned in its go.mod),
# into the project's tools cache; idempotent (a second run only checks the cache):
#   tailscaled, tailscale  stock Tailscale (tailscale.com/cmd/..., the version go.mod pins)
#   tailnet-lab            the lab's own program (e2e/go/cmd/tailnet-lab: control + DERP + STUN
#                          from e2e/go/internal/tsservers, transfer tools)
#
#   e2e/tailnet/build.sh            build what is missing, print the bin directory
#   e2e/tailnet/build.sh --print    only print the bin directory
#
# Cache: $PEERRELAY_TOOLS_CACHE (default ~/.cache/peerrelay/tools)/
#   tailscale-<version>-<digest of go.sum>/{tailscaled,tailscale}   (~5 min on 2 cores when cold)
#   tailnet-lab-<digest of its sources>/tailnet-lab                  (~1 min)
# and tailnet-<version>/ holds links to the three, the directory this script prints.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
mod=$(cd "$here/../go" && pwd)
E2E_TAG=tailnet-build
# shellcheck source=../lib.sh
. "$here/../lib.sh"
cache=${PEERRELAY_TOOLS_CACHE:-$HOME/.cache/peerrelay/tools}
version=$(awk '$1 == "tailscale.com" {print $2}' "$mod/go.mod" | head -1)
stock="$cache/tailscale-$version-$(sha256sum < "$mod/go.sum" | cut -c1-10)"
bin="$cache/tailnet-$version"

if [ "${1:-}" = "--print" ]; then echo "$bin"; exit 0; fi
command -v go >/dev/null 2>&1 || die "no Go toolchain on PATH: install Go >= 1.26.6 (go.dev/dl) and run again"

mkdir -p "$bin" "$stock"
# stock NAME: Tailscale's own program tailscale.com/cmd/NAME, skipped when the cache has it.
stock() {
  local name=$1 pkg=tailscale.com/cmd/$1
  if [ -x "$stock/$name" ]; then
    log "$name ($pkg $version): cached at $stock/$name"
  else
    log "$name: building $pkg $version ..."
    local start=$SECONDS
    (cd "$mod" && CGO_ENABLED=0 GOFLAGS=-mod=mod go build -trimpath -ldflags "-s -w" -o "$stock/$name.tmp" "$pkg") \
      || die "building $name failed (see the go output above); the Go module proxy must be reachable on a cold cache"
    mv "$stock/$name.tmp" "$stock/$name"
    log "$name: built in $((SECONDS - start)) s"
  fi
  ln -sfn "$stock/$name" "$bin/$name"
}
stock tailscaled
stock tailscale
ln -sfn "$(go_cmd tailnet-lab)" "$bin/tailnet-lab"
echo "$bin"
