#!/usr/bin/env bash
# The whole test suite, on a fresh machine: installs what is missing, builds the real control
# plane from Go modules (cached), then runs formatting checks, unit tests (*Test) and integration
# tests (*IT: real kube-apiserver, real UDP sockets) for every module, the NAT lab, the interop
# harness and the kind e2e (a real cluster with the project's images). Each stage prints its time.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"

start=$SECONDS
times=()
# stage NAME CMD...: runs one stage and records how long it took.
stage() {
  local name=$1 t=$SECONDS; shift
  echo "[test-all] ---- $name" >&2
  "$@"
  times+=("$(printf '%-28s %5d s' "$name" $((SECONDS - t)))")
  echo "[test-all] ---- $name: $((SECONDS - t)) s" >&2
}
report() {
  echo "[test-all] stage times:" >&2
  for t in "${times[@]}"; do echo "[test-all]   $t" >&2; done
}
trap report EXIT

stage "install-deps" e2e/install-deps.sh
stage "tools (Go, cached)" sh -c 'e2e/tools/build.sh >/dev/null'
stage "mvn verify" mvn -B -ntp verify "$@"
# The NAT lab needs root (network namespaces, iptables) and the relay jar that verify built.
if [ "$(id -u)" = 0 ] && [ -f relay-pod/target/quarkus-app/quarkus-run.jar ]; then
  stage "NAT lab" e2e/natlab/run.sh
else
  echo "[test-all] SKIPPED the NAT lab (e2e/natlab/run.sh): it needs root and relay-pod's jar" >&2
fi
# Interop with Tailscale's own code (tailscale.com v1.102.3, built with Go into the tools cache):
# loopback only, no root; it needs the relay jar that verify built.
if [ -f relay-pod/target/quarkus-app/quarkus-run.jar ]; then
  stage "interop" e2e/interop/run.sh relay-pod/target/quarkus-app/quarkus-run.jar
else
  echo "[test-all] SKIPPED the interop harness (e2e/interop/run.sh): it needs relay-pod's jar" >&2
fi
# The tailnet lab: stock tailscaled clients behind hard NATs use a peer relay found through a real
# control server's netmap (Tailscale's testcontrol, DERP, STUN, built with Go into the tools cache).
if [ "$(id -u)" = 0 ] && [ -f relay-pod/target/quarkus-app/quarkus-run.jar ]; then
  stage "tailnet lab" e2e/tailnet/run.sh --relay both
else
  echo "[test-all] SKIPPED the tailnet lab (e2e/tailnet/run.sh): it needs root and relay-pod's jar" >&2
fi
# The kind e2e: a real cluster, images built from the Dockerfile with the jars verify built.
# Needs a running Docker or root to start one (e2e/kind/docker.sh); PEERRELAY_SKIP_KIND=1 skips it.
if [ "${PEERRELAY_SKIP_KIND:-0}" = 1 ]; then
  echo "[test-all] SKIPPED the kind e2e (PEERRELAY_SKIP_KIND=1)" >&2
elif [ "$(id -u)" = 0 ] || docker info >/dev/null 2>&1; then
  stage "kind e2e" e2e/kind/run.sh
else
  echo "[test-all] SKIPPED the kind e2e (e2e/kind/run.sh): no running Docker and not root to start one" >&2
fi
stage "leftovers check" e2e/check-leftovers.sh
echo "[test-all] done in $((SECONDS - start)) s"
