#!/usr/bin/env bash
# Fails when a process started by this checkout's tests (etcd, kube-apiserver,
# kube-controller-manager, a relay, the interop harness) is still running: tests must stop
# everything they start. A process counts as ours when it runs one of those programs and its
# working directory is inside this checkout (test JVMs and scripts start them from here), so
# another checkout's runs on the same machine are not blamed.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
bin=$("$root/e2e/tools/build.sh" --print)
cache=$(dirname "$bin")
sleep 1
left=""
for pid in $(pgrep -f -- "$cache/|quarkus-run.jar|peerrelay-natlab|e2e/interop/" || true); do
  [ "$pid" = $$ ] && continue
  cwd=$(readlink "/proc/$pid/cwd" 2>/dev/null || true)
  case "$cwd/" in
    "$root"/*) left+="$(ps -o pid=,args= -p "$pid" 2>/dev/null || true)"$'\n' ;;
  esac
done
left=$(printf '%s' "$left" | grep -v -e check-leftovers -e '^$' || true)
# The kind e2e deletes its cluster when it ends; the Docker daemon it may have started
# (e2e/kind/docker.sh) is meant to stay, for the next run.
if command -v docker >/dev/null 2>&1 && docker info >/dev/null 2>&1; then
  left+=$(docker ps -a --filter label=io.x-k8s.kind.cluster=peerrelay-e2e --format '{{.Names}} (kind e2e node container)' || true)
fi
if [ -n "$left" ]; then
  echo "[leftovers] processes started by the tests are still running:" >&2
  echo "$left" >&2
  exit 1
fi
echo "[leftovers] none: every process started by the tests has stopped"
