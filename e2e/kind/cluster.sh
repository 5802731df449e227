#!/usr/bin/env bash
# A one-node kind cluster, idempotently, on this machine:
#   e2e/kind/cluster.sh up      Docker (e2e/kind/docker.sh), the node image (stock kindest/node
#                               where a registry answers, else built here by images.sh node),
#                               then the cluster; an existing healthy cluster is reused
#   e2e/kind/cluster.sh down    deletes the cluster (the Docker daemon stays, for the next run)
#   e2e/kind/cluster.sh env     prints `export KUBECONFIG=...; export PATH=...`
# KIND_CLUSTER (default peerrelay) names the cluster; its kubeconfig is
# ~/.cache/peerrelay/kind/$KIND_CLUSTER.kubeconfig (never ~/.kube/config).
set -euo pipefail
klog_tag=cluster
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

healthy() {
  [ -f "$KUBECONFIG" ] && kind get clusters 2>/dev/null | grep -qx "$KIND_CLUSTER" \
    && [ "$(docker inspect -f '{{.State.Running}}' "$KIND_CLUSTER-control-plane" 2>/dev/null)" = true ] \
    && kubectl get --raw /readyz >/dev/null 2>&1
}

write_config() { # write_config MODE FILE
  {
    echo "kind: Cluster"
    echo "apiVersion: kind.x-k8s.io/v1alpha4"
    # Two nodes: relay pods use hostNetwork, so two replicas need two nodes.
    echo "nodes: [{role: control-plane}, {role: worker}]"
    # kindnetd's image cannot be had where nothing is pulled: a bridge per node plus routes
    # (cni_routes below) instead.
    [ "$1" = stock ] || echo "networking: {disableDefaultCNI: true}"
    # The kubelet re-syncs pods (and so mounted ConfigMaps) every 10 s instead of every minute:
    # live config changes reach the relay within the e2e test's patience.
    cat <<YAML
kubeadmConfigPatches:
  - |
    kind: KubeletConfiguration
    syncFrequency: 10s
YAML
    # The local etcd image carries the etcd the project builds (e2e/tools/versions.env).
    [ "$1" = stock ] || cat <<YAML
  - |
    kind: ClusterConfiguration
    etcd:
      local:
        imageTag: $ETCD_VERSION
    dns:
      imageTag: $COREDNS_VERSION
YAML
  } > "$2"
}

node_ip() { docker inspect -f '{{range .NetworkSettings.Networks}}{{.IPAddress}} {{end}}' "$1" | awk '{print $1}'; }

# What kindnetd does, for a fixed set of nodes: each node's bridge CNI config with the podCIDR
# the controller-manager gave it, and a route to every other node's podCIDR via that node.
cni_routes() {
  local nodes n m cidr
  nodes=$(kind get nodes --name "$KIND_CLUSTER")
  for n in $nodes; do
    for _ in $(seq 1 120); do
      cidr=$(kubectl get node "$n" -o jsonpath='{.spec.podCIDR}' 2>/dev/null || true)
      [ -n "$cidr" ] && break
      sleep 1
    done
    [ -n "$cidr" ] || kdie "node $n got no podCIDR from the controller-manager"
    kind_assert_local "$(node_ip "$n")"
    docker exec "$n" sh -c "sed 's#@POD_CIDR@#$cidr#' /kind/cni/10-peerrelay-bridge.conflist > /etc/cni/net.d/10-peerrelay-bridge.conflist"
    for m in $nodes; do
      [ "$m" = "$n" ] || docker exec "$m" ip route replace "$cidr" via "$(node_ip "$n")"
    done
    echo "node $n: podCIDR $cidr via $(node_ip "$n")"
  done
}

up() {
  local t0=$SECONDS mode image
  ktimed "Docker engine" "$kind_here/docker.sh"
  mode=$(kind_mode)
  kind_tools
  if healthy; then
    klog "cluster $KIND_CLUSTER is up already: reusing it"
  else
    kind delete cluster --name "$KIND_CLUSTER" >/dev/null 2>&1 || true
    if [ "$mode" = local ]; then
      ktimed "base images (Debian bookworm, JRE 17)" "$kind_here/images.sh" base
      klog "node image: building or reusing (first run on a machine: ~20-40 min of Go builds) ..."
      image=$("$kind_here/node-image.sh")
    else
      image=$KIND_STOCK_IMAGE
    fi
    mkdir -p "$kind_state"
    write_config "$mode" "$kind_state/$KIND_CLUSTER.config.yaml"
    ktimed "kind create cluster $KIND_CLUSTER ($image)" kind create cluster --name "$KIND_CLUSTER" \
      --image "$image" --config "$kind_state/$KIND_CLUSTER.config.yaml" --kubeconfig "$KUBECONFIG" --wait 0s
    [ "$mode" = stock ] || ktimed "pod network (bridge per node, routes between nodes)" cni_routes
    # Relays run on every node, the control plane included.
    kubectl taint nodes --all node-role.kubernetes.io/control-plane- >/dev/null 2>&1 || true
  fi
  local n
  for n in $(kind get nodes --name "$KIND_CLUSTER"); do kind_assert_local "$(node_ip "$n")"; done
  ktimed "waiting for the nodes" kubectl wait node --all --for=condition=Ready --timeout=300s
  ktimed "waiting for CoreDNS" kubectl -n kube-system rollout status deploy/coredns --timeout=180s
  klog "cluster $KIND_CLUSTER ready in $((SECONDS - t0)) s: nodes $(kubectl get nodes -o jsonpath='{range .items[*]}{.metadata.name}={.status.addresses[0].address} {end}'), KUBECONFIG=$KUBECONFIG"
}

case "${1:-up}" in
  up) up ;;
  down)
    kind_tools
    kind delete cluster --name "$KIND_CLUSTER" 2>&1 | sed 's/^/    /' >&2 || true
    rm -f "$KUBECONFIG" ;;
  env) kind_tools; echo "export KUBECONFIG=$KUBECONFIG; export PATH=$(dirname "$(command -v kubectl)"):\$PATH" ;;
  *) kdie "usage: $0 up|down|env" ;;
esac
