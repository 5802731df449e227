#!/usr/bin/env bash
# Compiles, ahead of need, the Go programs that the stages after `mvn verify` run: the kind
# cluster's tools and MetalLB (e2e/tools/build.sh kind metallb), stock tailscaled and the lab
# programs (e2e/tailnet/build.sh, e2e/go/cmd/interop). e2e/test-all.sh starts it at the lowest CPU
# priority while mvn verify runs, so on a cold cache the compile uses the cycles the tests leave
# idle instead of running after them; with warm caches it only checks them (seconds).
# On SIGTERM it stops every compile it started (it runs as the leader of its own process group).
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
E2E_TAG=prefetch
# shellcheck source=../lib.sh
. "$here/../lib.sh"
trap 'trap - TERM; kill -TERM 0 2>/dev/null; exit 143' TERM
start=$SECONDS
# The kind e2e's tools unless it is skipped; MetalLB unless its stage is (PEERRELAY_KIND_LB=0).
if [ "${PEERRELAY_SKIP_KIND:-0}" != 1 ]; then
  if [ "${PEERRELAY_KIND_LB:-1}" = 0 ]; then "$here/build.sh" kind >/dev/null; else "$here/build.sh" kind metallb >/dev/null; fi
fi
"$here/../tailnet/build.sh" >/dev/null
go_cmd interop >/dev/null
log "ready in $((SECONDS - start)) s"
