#!/usr/bin/env bash
# The whole test suite, on a fresh machine: installs what is missing, builds the real control
# plane from Go modules (cached), then runs formatting checks, unit tests (*Test) and integration
# tests (*IT: real kube-apiserver, real UDP sockets) for every module.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"

start=$SECONDS
e2e/install-deps.sh
e2e/tools/build.sh >/dev/null
mvn -B -ntp verify "$@"
# The NAT lab needs root (network namespaces, iptables) and the relay jar that verify built.
if [ "$(id -u)" = 0 ] && [ -f relay-pod/target/quarkus-app/quarkus-run.jar ]; then
  e2e/natlab/run.sh
else
  echo "[test-all] SKIPPED the NAT lab (e2e/natlab/run.sh): it needs root and relay-pod's jar" >&2
fi
# Interop with Tailscale's own code (tailscale.com v1.102.3, built with Go into the tools cache):
# loopback only, no root; it needs the relay jar that verify built.
if [ -f relay-pod/target/quarkus-app/quarkus-run.jar ]; then
  e2e/interop/run.sh relay-pod/target/quarkus-app/quarkus-run.jar
else
  echo "[test-all] SKIPPED the interop harness (e2e/interop/run.sh): it needs relay-pod's jar" >&2
fi
# The tailnet lab: stock tailscaled clients behind hard NATs use a peer relay found through a real
# control server's netmap (Tailscale's testcontrol, DERP, STUN, built with Go into the tools cache).
if [ "$(id -u)" = 0 ] && [ -f relay-pod/target/quarkus-app/quarkus-run.jar ]; then
  e2e/tailnet/run.sh --relay stock
else
  echo "[test-all] SKIPPED the tailnet lab (e2e/tailnet/run.sh): it needs root and relay-pod's jar" >&2
fi
e2e/check-leftovers.sh
echo "[test-all] done in $((SECONDS - start)) s"
