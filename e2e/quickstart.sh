#!/usr/bin/env bash
# Quick start on a fresh machine: the whole product on a real Kubernetes cluster, for real.
#   1. builds the project (tests skipped) and brings up a two-node kind cluster
#      (e2e/kind/cluster.sh: Docker, and, where no registry can be reached, the node and base
#      images built here from Debian packages and Go modules; cached after the first run);
#   2. builds the operator and relay images from the Dockerfile and loads them into the cluster;
#   3. installs the Helm chart (helm/peerrelay) with those images;
#   4. applies a PeerRelay (NodeAddress exposure: the relay pod runs on a node, under the
#      kubelet, and advertises the node's address) and a RelayGrant for two fresh client keys;
#   5. runs two `peer-relay ping` clients on this machine that reach each other through the relay
#      pod, shows the PeerRelay status and the relay's metrics and sessions, and keeps the cluster
#      up until Ctrl-C (it prints the KUBECONFIG to use).
# QUICKSTART_EXIT=1 stops after step 5; the cluster is deleted on exit unless QUICKSTART_KEEP=1.
# A relay that does not become Ready within QUICKSTART_READY_TIMEOUT seconds (default 300) fails the
# run (exit 1) with its pod's description and logs.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
export KIND_CLUSTER=${KIND_CLUSTER:-peerrelay-quickstart}
E2E_TAG=quickstart klog_tag=quickstart
# shellcheck source=lib.sh
. e2e/lib.sh
# shellcheck source=kind/lib.sh
. e2e/kind/lib.sh
ns=quickstart
# The relay's UDP port, said explicitly (it is also the operator's default): not tailscaled's
# 41641, so a tailscaled on the same node or laptop keeps its port; not 3478 (STUN, which a
# tailnet's DERP servers use).
udp_port=40000
ready_timeout=${QUICKSTART_READY_TIMEOUT:-300}
work=${QUICKSTART_DIR:-$root/target/quickstart}
rm -rf "$work" && mkdir -p "$work"
t0=$SECONDS
say() { printf '\n\033[1m[quickstart] %s [%d s]\033[0m\n' "$*" "$((SECONDS - t0))"; }

finish() {
  if [ "${QUICKSTART_KEEP:-0}" = 1 ]; then
    klog "cluster kept: $(e2e/kind/cluster.sh env); e2e/kind/cluster.sh down deletes it"
  else
    KIND_CLUSTER=$KIND_CLUSTER e2e/kind/cluster.sh down
  fi
}

# not_ready: the PeerRelay did not become Ready; show why and fail the run.
not_ready() {
  log "the PeerRelay did not become Ready within $ready_timeout s; what Kubernetes says:"
  kubectl -n "$ns" get peerrelay local -o jsonpath='{.status}' 2>&1 | jq . >&2 || true
  kubectl -n "$ns" describe pods -l peerrelay.io/relay=local >&2 || true
  kubectl -n "$ns" logs -l peerrelay.io/relay=local --all-containers --tail=50 >&2 || true
  kubectl -n peerrelay-system logs deploy/peerrelay --tail=50 >&2 || true
  die "the relay pod is not Ready (its description and logs above)"
}

e2e/install-deps.sh
PATH=$(e2e/maven.sh):$PATH # the pinned Maven release (e2e/maven.sh)
export PATH
# The pinned tools, kubectl and kind included (built from the Go modules of e2e/tools/versions.env),
# so that the kubectl used here is never one that happens to be on PATH.
e2e/tools/build.sh kind >/dev/null
say "building the project (tests skipped; run e2e/test-all.sh for them)"
mvn -B -q -ntp -Dmaven.test.skip=true -Dspotless.check.skip=true package
say "a real Kubernetes cluster: kind, two nodes"
on_exit finish
e2e/kind/cluster.sh up
kind_tools
say "the operator and relay images, from the Dockerfile"
e2e/kind/build-images.sh
say "installing the Helm chart"
# --take-ownership: a cluster kept from chart 0.1.0 (QUICKSTART_KEEP=1) has CRDs no release owns
# (0.1.0 shipped them in crds/); 0.2.0 templates them, and helm adopts them instead of failing.
helm upgrade --install --take-ownership peerrelay helm/peerrelay -n peerrelay-system --create-namespace \
  --set image.repository=peerrelay/operator --set image.tag=e2e --set image.pullPolicy=Never \
  --set relayImage.repository=peerrelay/relay --set relayImage.tag=e2e --wait --timeout 5m

say "two client keys, a RelayGrant and a PeerRelay"
relay_jar=relay-pod/target/quarkus-app/quarkus-run.jar
relay() { java -XX:TieredStopAtLevel=1 -jar "$relay_jar" "$@"; }
relay keygen --out "$work/a.key" > "$work/a.pub"
relay keygen --out "$work/b.key" > "$work/b.pub"
pub() { grep -o 'discokey:[0-9a-f]\{64\}' "$1" | head -1; }
kubectl create namespace "$ns" --dry-run=client -o yaml | kubectl apply -f - >/dev/null
# Relay pods use hostNetwork: their namespace must allow it.
kubectl label namespace "$ns" pod-security.kubernetes.io/enforce=privileged --overwrite >/dev/null
cat > "$work/quickstart.yaml" <<YAML
apiVersion: peerrelay.io/v1alpha1
kind: RelayGrant
metadata: {name: laptops, namespace: $ns}
spec:
  src:
    - clientKeys: ["$(pub "$work/a.pub")", "$(pub "$work/b.pub")"]
  dst:
    selector: {matchLabels: {peerrelay.io/pool: local}}
---
apiVersion: peerrelay.io/v1alpha1
kind: PeerRelay
metadata: {name: local, namespace: $ns, labels: {peerrelay.io/pool: local}}
spec:
  replicas: 1
  udpPort: $udp_port
  image: peerrelay/relay:e2e
  exposure: {type: NodeAddress, nodeAddressType: InternalIP}
YAML
kubectl apply -f "$work/quickstart.yaml"
kubectl -n "$ns" wait --for=condition=Ready peerrelay/local --timeout="${ready_timeout}s" || not_ready
kubectl -n "$ns" get statefulset,pods,configmap,secret -l peerrelay.io/relay=local -o wide
endpoint=$(kubectl -n "$ns" get peerrelay local -o jsonpath='{.status.endpoints[0].address}')
server=$(kubectl -n "$ns" get peerrelay local -o jsonpath='{.status.replicaStatuses[0].publicKey}')
pod=$(kubectl -n "$ns" get peerrelay local -o jsonpath='{.status.replicaStatuses[0].podName}')
kind_assert_local "${endpoint%:*}"
klog "relay pod $pod on its node's address $endpoint, server key $server"

say "two clients on this machine ping each other through the relay pod"
ping_one() { # OWN PEER
  relay ping --relay "$endpoint" --server-key "$server" --key-file "$work/$1.key" \
    --peer "$(pub "$work/$2.pub")" --count 5 --timeout 60s 2>&1 | sed "s/^/  client $1: /"
}
ping_one a b & pa=$!
ping_one b a & pb=$!
wait $pa || die "client a did not reach b through the relay pod (its output above)"
wait $pb || die "client b did not reach a through the relay pod (its output above)"

say "the PeerRelay as Kubernetes sees it"
kubectl -n "$ns" get peerrelays.peerrelay.io -o wide
kubectl -n "$ns" get peerrelays.peerrelay.io local -o jsonpath='{.status}' | jq .
say "relay metrics (through the API server's pod proxy)"
kubectl get --raw "/api/v1/namespaces/$ns/pods/$pod:9090/proxy/metrics" | grep -E '^(tailscaled_peer_relay|peerrelay_allocations)' || true
# /sessions (client addresses) answers on the relay's loopback only: ask from inside the pod.
say "relay sessions (peer-relay sessions, run inside the relay pod)"
kubectl -n "$ns" exec "$pod" -- /usr/local/bin/peer-relay sessions

if [ "${QUICKSTART_EXIT:-0}" = 1 ]; then exit 0; fi
say "all running. Try: export KUBECONFIG=$KUBECONFIG; kubectl -n $ns get pr,relaygrants,sts,pods"
klog "press Ctrl-C to stop (deletes the cluster; QUICKSTART_KEEP=1 keeps it)"
while sleep 3600; do :; done
