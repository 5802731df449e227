#!/usr/bin/env bash
# Builds what the tailnet lab runs, from Go modules pinned in this directory's go.mod, into the
# project's tools cache; idempotent (a second run only checks the cache):
#   tailscaled, tailscale  stock Tailscale (tailscale.com/cmd/..., the version go.mod pins)
#   tailnet-lab            the lab's own program (main.go: control + DERP + STUN, transfer tools)
#
#   e2e/tailnet/build.sh            build what is missing, print the bin directory
#   e2e/tailnet/build.sh --print    only print the bin directory
#
# Cache: $PEERRELAY_TOOLS_CACHE (default ~/.cache/peerrelay/tools)/
#   tailscale-<version>-<digest of go.sum>/{tailscaled,tailscale}   (~5 min on 2 cores when cold)
#   tailnet-lab-<digest of go.mod, go.sum, *.go>/tailnet-lab        (~1 min)
# and tailnet-<version>/ holds links to the three, the directory this script prints.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
cache=${PEERRELAY_TOOLS_CACHE:-$HOME/.cache/peerrelay/tools}
version=$(awk '$1 == "tailscale.com" {print $2} $2 == "tailscale.com" && $1 == "require" {print $3}' "$here/go.mod" | head -1)
stock="$cache/tailscale-$version-$(sha256sum < "$here/go.sum" | cut -c1-10)"
lab="$cache/tailnet-lab-$(cat "$here/go.mod" "$here/go.sum" "$here"/*.go | sha256sum | cut -c1-10)"
bin="$cache/tailnet-$version"

log() { printf '[tailnet-build] %s\n' "$*" >&2; }
die() { printf '[tailnet-build] ERROR: %s\n' "$*" >&2; exit 1; }

if [ "${1:-}" = "--print" ]; then echo "$bin"; exit 0; fi
command -v go >/dev/null 2>&1 || die "no Go toolchain on PATH: install Go >= 1.26.6 (go.dev/dl) and run again"

mkdir -p "$bin" "$stock" "$lab"
# build DIR NAME PACKAGE: one binary into DIR, skipped when the cache has it; linked from $bin.
build() {
  local dir=$1 name=$2 pkg=$3
  if [ -x "$dir/$name" ]; then
    log "$name ($pkg, tailscale.com $version): cached at $dir/$name"
  else
    log "$name: building $pkg (tailscale.com $version) ..."
    local start=$SECONDS
    (cd "$here" && CGO_ENABLED=0 GOFLAGS=-mod=mod go build -trimpath -ldflags "-s -w" -o "$dir/$name.tmp" "$pkg") \
      || die "building $name failed (see the go output above); the Go module proxy must be reachable on a cold cache"
    mv "$dir/$name.tmp" "$dir/$name"
    log "$name: built in $((SECONDS - start)) s"
  fi
  ln -sfn "$dir/$name" "$bin/$name"
}
build "$stock" tailscaled tailscale.com/cmd/tailscaled
build "$stock" tailscale tailscale.com/cmd/tailscale
build "$lab" tailnet-lab .
echo "$bin"
