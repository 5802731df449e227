#!/usr/bin/env bash
# Fails when a process started by the tests (etcd, kube-apiserver, kube-controller-manager, a
# relay) is still running: tests must stop everything they start.
set -euo pipefail
bin=$("$(dirname "${BASH_SOURCE[0]}")/tools/build.sh" --print)
sleep 1
left=$(pgrep -af -- "$bin/|$(dirname "$bin")/|quarkus-run.jar" | grep -v -e pgrep -e check-leftovers || true)
if [ -n "$left" ]; then
  echo "[leftovers] processes started by the tests are still running:" >&2
  echo "$left" >&2
  exit 1
fi
echo "[leftovers] none: every process started by the tests has stopped"
