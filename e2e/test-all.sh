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
e2e/check-leftovers.sh
echo "[test-all] done in $((SECONDS - start)) s"
