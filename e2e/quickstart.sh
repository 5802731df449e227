#!/usr/bin/env bash
# Local quick start on a fresh machine: builds everything, starts a real Kubernetes control plane
# on loopback (etcd, kube-apiserver, kube-controller-manager built from Go modules), and keeps it
# running until Ctrl-C. Prints the kubeconfig to use with kubectl.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
work=${QUICKSTART_DIR:-$root/target/quickstart}
mkdir -p "$work"

e2e/install-deps.sh
e2e/tools/build.sh >/dev/null
echo "[quickstart] building the project (skipping tests) ..."
mvn -B -q -ntp -DskipTests install
mvn -B -q -ntp -pl test-support dependency:build-classpath -Dmdep.outputFile="$work/cp.txt" >/dev/null
cp_test_support="test-support/target/classes:$(cat "$work/cp.txt")"

pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  echo "[quickstart] stopped"
}
trap cleanup EXIT INT TERM

rm -f "$work/control-plane/ready"
java -cp "$cp_test_support" io.peerrelay.testsupport.LocalControlPlaneMain "$work/control-plane" \
  > "$work/control-plane.out" 2>&1 &
pids+=($!)
for _ in $(seq 1 240); do
  [ -f "$work/control-plane/ready" ] && break
  kill -0 "${pids[0]}" 2>/dev/null || { cat "$work/control-plane.out"; exit 1; }
  sleep 0.5
done
[ -f "$work/control-plane/ready" ] || { echo "[quickstart] control plane did not start"; cat "$work/control-plane.out"; exit 1; }
export KUBECONFIG="$work/control-plane/kubeconfig"
echo "[quickstart] kube-apiserver $(cat "$work/control-plane/ready") is up"
kubectl version 2>/dev/null | sed 's/^/[quickstart]   /' || true
echo "[quickstart] export KUBECONFIG=$KUBECONFIG"
echo "[quickstart] press Ctrl-C to stop"
wait "${pids[0]}"
