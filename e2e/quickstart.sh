#!/usr/bin/env bash
# Local quick start on a fresh machine: the whole product on one machine, for real.
#   1. builds everything and a real Kubernetes control plane (etcd, kube-apiserver,
#      kube-controller-manager from Go modules; cached after the first run) and starts it;
#   2. installs the CRDs and runs the operator against it;
#   3. applies a PeerRelay (exposure None, static endpoint on loopback) and a RelayGrant for two
#      freshly generated client keys; the operator creates the StatefulSet, the relay's key Secret
#      and its config ConfigMap;
#   4. plays the kubelet for the relay pod (there is no kubelet here): runs `peer-relay serve` with
#      the ConfigMap's config and the Secret's key, keeps the files in sync with the API like a
#      kubelet does (so live edits reach the relay), and mirrors the relay's /readyz into the
#      pod's Ready condition;
#   5. runs two `peer-relay ping` clients that reach each other through the relay, shows the
#      PeerRelay status and the relay's metrics, and keeps everything up until Ctrl-C.
# QUICKSTART_EXIT=1 stops after step 5 (used to check the script end to end).
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
work=${QUICKSTART_DIR:-$root/target/quickstart}
ns=quickstart
udp_port=${QUICKSTART_UDP_PORT:-41641}
http_port=${QUICKSTART_HTTP_PORT:-19090}
rm -rf "$work" && mkdir -p "$work"/relay/config "$work"/relay/key "$work"/clients

say() { printf '\n\033[1m[quickstart] %s\033[0m\n' "$*"; }
log() { printf '[quickstart] %s\n' "$*"; }

e2e/install-deps.sh
e2e/tools/build.sh >/dev/null
say "building the project (tests skipped; run e2e/test-all.sh for them)"
mvn -B -q -ntp -Dmaven.test.skip=true -Dspotless.check.skip=true install
mvn -B -q -ntp -pl test-support,operator dependency:build-classpath -Dmdep.outputFile=target/cp.txt >/dev/null
relay_jar=relay-pod/target/quarkus-app/quarkus-run.jar
relay() { java -XX:TieredStopAtLevel=1 -jar "$relay_jar" "$@"; }

pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  log "stopped everything"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

say "starting a real control plane"
java -cp "test-support/target/classes:$(cat test-support/target/cp.txt)" \
  io.peerrelay.testsupport.LocalControlPlaneMain "$work/control-plane" > "$work/control-plane.log" 2>&1 &
pids+=($!)
for _ in $(seq 1 240); do
  [ -f "$work/control-plane/ready" ] && break
  kill -0 "${pids[0]}" 2>/dev/null || { cat "$work/control-plane.log"; exit 1; }
  sleep 0.5
done
[ -f "$work/control-plane/ready" ] || { cat "$work/control-plane.log"; exit 1; }
export KUBECONFIG="$work/control-plane/kubeconfig"
log "kube-apiserver $(cat "$work/control-plane/ready") is up; export KUBECONFIG=$KUBECONFIG"

say "installing the CRDs and starting the operator"
kubectl apply -f crds/ >/dev/null
kubectl wait --for=condition=Established crd/peerrelays.peerrelay.io crd/relaygrants.peerrelay.io >/dev/null
java -cp "operator/target/classes:$(cat operator/target/cp.txt)" io.peerrelay.operator.OperatorMain \
  --leader-election=false --health-port=0 --metrics-port=0 > "$work/operator.log" 2>&1 &
pids+=($!)

say "generating two client keys and applying a RelayGrant and a PeerRelay"
relay keygen --out "$work/clients/a.key" > "$work/clients/a.pub"
relay keygen --out "$work/clients/b.key" > "$work/clients/b.pub"
pub() { grep -o 'discokey:[0-9a-f]\{64\}' "$1" | head -1; }
kubectl create namespace "$ns" >/dev/null
# Relay pods use hostNetwork: their namespace must allow it.
kubectl label namespace "$ns" pod-security.kubernetes.io/enforce=privileged >/dev/null
cat > "$work/quickstart.yaml" <<YAML
apiVersion: peerrelay.io/v1alpha1
kind: RelayGrant
metadata: {name: laptops, namespace: $ns}
spec:
  src:
    - clientKeys: ["$(pub "$work/clients/a.pub")", "$(pub "$work/clients/b.pub")"]
  dst:
    selector: {matchLabels: {peerrelay.io/pool: local}}
---
apiVersion: peerrelay.io/v1alpha1
kind: PeerRelay
metadata: {name: local, namespace: $ns, labels: {peerrelay.io/pool: local}}
spec:
  replicas: 1
  udpPort: $udp_port
  httpPort: $http_port
  exposure: {type: None}
  staticEndpoints:
    - address: 127.0.0.1:$udp_port
YAML
kubectl apply -f "$work/quickstart.yaml"

say "waiting for the operator to render the relay's config and key"
pod=local-0-0
for _ in $(seq 1 120); do
  kubectl -n "$ns" get configmap local-0 -o jsonpath='{.data.relay\.yaml}' 2>/dev/null | grep -q discokey && break
  sleep 0.5
done
kubectl -n "$ns" get statefulset,configmap,secret,pdb -l peerrelay.io/relay=local

# The kubelet stand-in: sync ConfigMap and Secret into files (atomically, like kubelet's symlink
# swap) and mirror the relay's readiness into the pod status.
sync_files() {
  kubectl -n "$ns" get configmap local-0 -o jsonpath='{.data.relay\.yaml}' \
    | sed "s#^keyFile: .*#keyFile: $work/relay/key/private.key#" > "$work/relay/config/.relay.yaml.new" \
    && mv "$work/relay/config/.relay.yaml.new" "$work/relay/config/relay.yaml"
}
kubectl -n "$ns" get secret local-0 -o jsonpath='{.data.private\.key}' | base64 -d > "$work/relay/key/private.key"
chmod 600 "$work/relay/key/private.key"
sync_files
say "playing kubelet: peer-relay serve with the operator's config"
# java directly (not through the shell function) so that $! is the relay process itself.
java -jar "$relay_jar" serve --config "$work/relay/config/relay.yaml" --no-ipv6 > "$work/relay.log" 2>&1 &
pids+=($!)
(
  while sleep 2; do
    sync_files 2>/dev/null || true
    ready=False
    curl -fsS "http://127.0.0.1:$http_port/readyz" >/dev/null 2>&1 && ready=True
    kubectl -n "$ns" patch pod "$pod" --subresource=status --type=merge -p \
      "{\"status\":{\"phase\":\"Running\",\"conditions\":[{\"type\":\"Ready\",\"status\":\"$ready\"},{\"type\":\"ContainersReady\",\"status\":\"$ready\"}]}}" \
      >/dev/null 2>&1 || true
  done
) &
pids+=($!)
for _ in $(seq 1 100); do curl -fsS "http://127.0.0.1:$http_port/readyz" >/dev/null 2>&1 && break; sleep 0.3; done
server=$(kubectl -n "$ns" get secret local-0 -o jsonpath='{.metadata.annotations.peerrelay\.io/public-key}')
log "relay ready on 127.0.0.1:$udp_port, server key $server"

say "two clients ping each other through the relay"
ping_one() { # OWN PEER
  relay ping --relay "127.0.0.1:$udp_port" --server-key "$server" --key-file "$work/clients/$1.key" \
    --peer "$(pub "$work/clients/$2.pub")" --count 5 --timeout 30s 2>&1 | sed "s/^/  client $1: /"
}
ping_one a b & pa=$!
ping_one b a & pb=$!
wait $pa; wait $pb

say "the PeerRelay as Kubernetes sees it"
for _ in $(seq 1 30); do
  [ "$(kubectl -n "$ns" get peerrelays.peerrelay.io local -o jsonpath='{.status.conditions[?(@.type=="Ready")].status}')" = True ] && break
  sleep 1
done
kubectl -n "$ns" get peerrelays.peerrelay.io -o wide
kubectl -n "$ns" get peerrelays.peerrelay.io local -o jsonpath='{.status}' | python3 -m json.tool
say "relay metrics"
curl -fsS "http://127.0.0.1:$http_port/metrics" | grep -E '^(tailscaled_peer_relay|peerrelay_allocations)' || true
curl -fsS "http://127.0.0.1:$http_port/sessions"; echo

if [ "${QUICKSTART_EXIT:-0}" = 1 ]; then exit 0; fi
say "all running. Try: export KUBECONFIG=$KUBECONFIG; kubectl -n $ns get pr,relaygrants,sts,cm,secrets"
log "logs: $work/{control-plane,operator,relay}.log; press Ctrl-C to stop"
wait "${pids[0]}"
