#!/usr/bin/env bash
# kind end-to-end test: a real cluster in Docker, both images built and loaded, the chart
# installed, a PeerRelay (NodeAddress exposure) reconciled to Ready, and two client pods that
# ping each other through the relay; finally the relay's forwarded-packet counter must have moved.
#
# Needs docker, kind, kubectl and helm (the GitHub workflow .github/workflows/kind-e2e.yml installs
# them). It cannot run on machines without a container engine; the README says where it runs.
#   e2e/kind/run.sh            RELAY_TARGET=relay (native, default) or relay-jvm
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$root"
cluster=${KIND_CLUSTER:-peerrelay-e2e}
relay_target=${RELAY_TARGET:-relay}
ns=relays

log() { printf '[kind-e2e] %s\n' "$*"; }
for t in docker kind kubectl helm; do
  command -v "$t" >/dev/null || { log "missing $t"; exit 1; }
done

if ! kind get clusters | grep -qx "$cluster"; then
  kind create cluster --name "$cluster" --wait 180s
fi
trap 'kubectl get pr,relaygrants,sts,pods,svc -A -o wide || true; kubectl -n peerrelay-system logs deploy/peerrelay --tail=200 || true' ERR

log "building images (relay target: $relay_target)"
docker build --target operator -t peerrelay/operator:e2e .
docker build --target "$relay_target" -t peerrelay/relay:e2e .
kind load docker-image --name "$cluster" peerrelay/operator:e2e peerrelay/relay:e2e

log "installing the chart"
helm upgrade --install peerrelay helm/peerrelay -n peerrelay-system --create-namespace \
  --set image.repository=peerrelay/operator --set image.tag=e2e --set image.pullPolicy=Never \
  --set relayImage.repository=peerrelay/relay --set relayImage.tag=e2e --wait --timeout 5m

kubectl create namespace "$ns" --dry-run=client -o yaml | kubectl apply -f -
# Relay pods use hostNetwork: the namespace must allow it.
kubectl label namespace "$ns" pod-security.kubernetes.io/enforce=privileged --overwrite

key() { docker run --rm peerrelay/relay:e2e keygen; }
a=$(key); b=$(key)
a_priv=$(grep -o 'discoprivkey:[0-9a-f]*' <<<"$a"); a_pub=$(grep -o 'discokey:[0-9a-f]*' <<<"$a")
b_priv=$(grep -o 'discoprivkey:[0-9a-f]*' <<<"$b"); b_pub=$(grep -o 'discokey:[0-9a-f]*' <<<"$b")

kubectl -n "$ns" apply -f - <<YAML
apiVersion: peerrelay.io/v1alpha1
kind: RelayGrant
metadata: {name: e2e-clients}
spec:
  src:
    - clientKeys: ["$a_pub", "$b_pub"]
  dst:
    selector: {matchLabels: {peerrelay.io/pool: e2e}}
---
apiVersion: peerrelay.io/v1alpha1
kind: PeerRelay
metadata:
  name: e2e
  labels: {peerrelay.io/pool: e2e}
spec:
  replicas: 1
  image: peerrelay/relay:e2e
  imagePullPolicy: Never
  exposure: {type: NodeAddress, nodeAddressType: InternalIP}
YAML

log "waiting for the PeerRelay to become Ready"
kubectl -n "$ns" wait --for=condition=Ready peerrelay/e2e --timeout=300s
kubectl -n "$ns" get peerrelay e2e -o wide
endpoint=$(kubectl -n "$ns" get peerrelay e2e -o jsonpath='{.status.endpoints[0].address}')
server=$(kubectl -n "$ns" get peerrelay e2e -o jsonpath='{.status.replicaStatuses[0].publicKey}')
log "relay endpoint $endpoint, server key $server"

client() { # client NAME OWN_PRIV PEER_PUB
  kubectl -n "$ns" run "$1" --image peerrelay/relay:e2e --image-pull-policy=Never --restart=Never \
    -- ping --relay "$endpoint" --server-key "$server" --key "$2" --peer "$3" --count 5 --timeout 60s
}
kubectl -n "$ns" delete pod client-a client-b --ignore-not-found
client client-a "$a_priv" "$b_pub"
client client-b "$b_priv" "$a_pub"
kubectl -n "$ns" wait --for=jsonpath='{.status.phase}'=Succeeded pod/client-a pod/client-b --timeout=180s
kubectl -n "$ns" logs client-a
kubectl -n "$ns" logs client-b

pod=$(kubectl -n "$ns" get pods -l peerrelay.io/relay=e2e -o jsonpath='{.items[0].metadata.name}')
port=$(kubectl -n "$ns" get peerrelay e2e -o jsonpath='{.spec.httpPort}')
forwarded=$(kubectl get --raw "/api/v1/namespaces/$ns/pods/$pod:${port:-9090}/proxy/metrics" \
  | awk '/^tailscaled_peer_relay_forwarded_packets_total/ {s += $2} END {print s + 0}')
log "relay forwarded $forwarded packets"
[ "${forwarded%.*}" -gt 0 ] || { log "FAIL: the relay forwarded nothing"; exit 1; }
log "PASS"
