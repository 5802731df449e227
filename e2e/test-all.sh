#!/usr/bin/env bash
# The whole test suite, on a fresh machine: installs what is missing, builds the real control
# plane from Go modules (cached), then runs formatting checks, unit tests (*Test) and integration
# tests (*IT: real kube-apiserver, real UDP sockets) for every module, the NAT lab, the interop
# harness, the tailnet lab and the kind e2e (a real cluster with the project's images); what each
# layer proves: e2e/TESTING.md. Each stage prints its time and result; a table closes the run.
# The leftover check (no process started by the tests still running) runs from the exit trap, so
# it runs after a failed stage or a Ctrl-C too, and fails a run that leaves something behind.
# Extra arguments go to mvn verify (e.g. -pl operator).
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
E2E_TAG=test-all
# shellcheck source=lib.sh
. e2e/lib.sh

start=$SECONDS
jar=relay-pod/target/quarkus-app/quarkus-run.jar
finish() {
  timed "leftovers check" e2e/check-leftovers.sh || { [ "$E2E_RC" != 0 ] || E2E_RC=1; }
  print_times
  case $E2E_RC in
    0) log "PASS in $((SECONDS - start)) s" ;;
    130 | 143) log "interrupted after $((SECONDS - start)) s" ;;
    *) log "FAILED (exit $E2E_RC) after $((SECONDS - start)) s" ;;
  esac
}
on_exit finish

timed "install-deps" e2e/install-deps.sh
PATH=$(e2e/maven.sh):$PATH # every mvn below, in this script and the ones it runs: e2e/maven.sh
export PATH
timed "tools (Go, cached)" sh -c 'e2e/tools/build.sh >/dev/null'
# The later stages' Go programs (kind tools, MetalLB, tailscaled, the lab programs) compile in the
# background at the lowest priority while mvn verify runs: on a cold cache that is most of the
# Go build, done in the cycles the tests leave idle. Its log is shown after verify.
prefetch_log=$(mktemp "${TMPDIR:-/tmp}/peerrelay-prefetch.XXXXXX")
on_exit "rm -f '$prefetch_log'"
spawn "$prefetch_log" setsid -w nice -n 19 e2e/tools/prefetch.sh
prefetch_pid=$LAST_PID
timed "mvn verify" mvn -B -ntp verify "$@"
prefetch_wait() {
  local rc=0
  wait "$prefetch_pid" || rc=$?
  grep -E "built in|ready in|ERROR|FAIL" "$prefetch_log" >&2 || true
  [ $rc = 0 ] || { tail -n 30 "$prefetch_log" >&2; log "the background Go build failed (exit $rc); the stages below build what they need themselves"; }
  return 0
}
timed "tools (background, rest)" prefetch_wait
# The labs need the relay jar that verify built (absent when -pl leaves relay-pod out). The NAT
# and tailnet labs need root and network namespaces: they exit 77 (SKIPPED) where they cannot.
if [ -f "$jar" ]; then
  timed "NAT lab" e2e/natlab/run.sh "$jar"
  # Tailscale's own code (tailscale.com v1.102.3, built with Go into the tools cache); loopback.
  timed "interop" e2e/interop/run.sh "$jar"
  # Stock tailscaled clients behind hard NATs find the relay through a real control server's
  # netmap (Tailscale's testcontrol, DERP, STUN).
  timed "tailnet lab" e2e/tailnet/run.sh --relay both --jar "$jar"
else
  for s in "NAT lab" interop "tailnet lab"; do not_run "$s" "no relay jar at $jar"; done
fi
# The kind e2e: a real cluster, images built from the Dockerfile with the jars verify built.
# Needs a running Docker or root to start one (e2e/kind/docker.sh); PEERRELAY_SKIP_KIND=1 skips it.
if [ "${PEERRELAY_SKIP_KIND:-0}" = 1 ]; then
  not_run "kind e2e" "PEERRELAY_SKIP_KIND=1"
elif [ "$(id -u)" = 0 ] || docker info >/dev/null 2>&1; then
  timed "kind e2e" e2e/kind/run.sh
else
  not_run "kind e2e" "no running Docker and not root to start one"
fi
