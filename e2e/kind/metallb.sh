#!/usr/bin/env bash
# MetalLB in L2 mode in the kind cluster, so that LoadBalancer Services get an address that
# clients on the cluster's Docker network reach through ARP on its bridge:
#   e2e/kind/metallb.sh install   the controller and speaker images (local mode: built here from
#                                 the Go module e2e/tools/metallb and loaded into the nodes; stock
#                                 mode: pulled by the nodes), then the module's own manifest
#                                 config/manifests/metallb-native.yaml; returns without waiting
#   e2e/kind/metallb.sh pool      waits for MetalLB, then an IPAddressPool and an L2Advertisement
#                                 on a range of the kind network that is routed via its bridge and
#                                 held by no container; prints the range
# The pool never holds an address outside the Docker network these scripts created.
set -euo pipefail
klog_tag=metallb
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
kind_tools
src=$(cd "$kind_root/e2e/tools/metallb" && GOFLAGS=-mod=mod go list -m -f '{{.Dir}}' go.universe.tf/metallb) \
  || kdie "cannot find the MetalLB module source (e2e/tools/metallb/go.mod): the module proxy must be reachable on a cold cache"
manifest=$src/config/manifests/metallb-native.yaml
[ -f "$manifest" ] || kdie "no $manifest in go.universe.tf/metallb $METALLB_VERSION"

# image COMPONENT: quay.io/metallb/COMPONENT:VERSION, the name the manifest uses, built from the
# binary on the local Debian base unless an image from the same inputs exists.
image() {
  local c=$1 bin tag input ctx
  bin=$("$kind_root/e2e/tools/build.sh" metallb 2>/dev/null)/metallb-$c
  [ -x "$bin" ] || kdie "e2e/tools/build.sh metallb built no $bin"
  tag=quay.io/metallb/$c:$METALLB_VERSION
  input=$(readlink -f "$bin")@$(docker image inspect -f '{{.Id}}' "$LOCAL_BASE_IMAGE")
  if [ "$(docker image inspect -f '{{index .Config.Labels "io.peerrelay.input"}}' "$tag" 2>/dev/null)" != "$input" ]; then
    ctx=$(mktemp -d /var/tmp/peerrelay-metallb.XXXXXX)
    cp -L "$bin" "$ctx/$c"
    docker build -q -t "$tag" --build-arg BASE="$LOCAL_BASE_IMAGE" --build-arg BIN="$c" \
      --build-arg INPUT="$input" -f "$kind_here/metallb.Dockerfile" "$ctx" >/dev/null
    rm -rf "$ctx"
  fi
  echo "$tag"
}

install() {
  if [ "$(kind_mode)" = local ]; then
    ktimed "MetalLB $METALLB_VERSION binaries (Go, cached)" "$kind_root/e2e/tools/build.sh" metallb
    local images=() c
    for c in controller speaker; do images+=("$(image "$c")"); done
    ktimed "kind load docker-image ${images[*]}" kind load docker-image --name "$KIND_CLUSTER" "${images[@]}"
  fi
  # Server-side: the CRDs are too big for client-side apply's last-applied annotation.
  ktimed "kubectl apply $manifest" kubectl apply --server-side --force-conflicts -f "$manifest"
}

ip2int() { local IFS=.; set -- $1; echo $(( ($1 << 24) + ($2 << 16) + ($3 << 8) + $4 )); }
int2ip() { echo "$(( $1 >> 24 & 255 )).$(( $1 >> 16 & 255 )).$(( $1 >> 8 & 255 )).$(( $1 & 255 ))"; }

# The pool's range: 16 addresses near the top of the kind network's IPv4 subnet (Docker hands out
# container addresses from the bottom), each checked to leave through the network's own bridge.
pool_range() {
  local id bridge subnet net len size first last a held
  id=$(docker network inspect kind -f '{{.Id}}') || kdie "no Docker network 'kind': create the cluster first (e2e/kind/cluster.sh up)"
  bridge=br-${id:0:12}
  subnet=$(docker network inspect kind -f '{{range .IPAM.Config}}{{.Subnet}} {{end}}' | tr ' ' '\n' | grep -m1 '^[0-9.]*/[0-9]*$') \
    || kdie "the kind network has no IPv4 subnet"
  net=$(ip2int "${subnet%/*}"); len=${subnet#*/}
  [ "$len" -le 26 ] || kdie "the kind network $subnet is too small for a 16-address pool"
  size=$(( 1 << (32 - len) ))
  first=$(( net + size - 32 )); last=$(( first + 15 ))
  held=$(docker network inspect kind -f '{{range .Containers}}{{.IPv4Address}} {{end}}')
  for a in $(seq "$first" "$last"); do
    local dev
    dev=$(ip -o route get "$(int2ip "$a")" 2>/dev/null | sed -n 's/.* dev \([^ ]*\).*/\1/p')
    [ "$dev" = "$bridge" ] || kdie "pool address $(int2ip "$a") is routed via '${dev:-nothing}', not the kind network's bridge $bridge: refusing it"
    case " $held " in *" $(int2ip "$a")/"*) kdie "pool address $(int2ip "$a") is held by a container on the kind network" ;; esac
  done
  echo "$(int2ip "$first")-$(int2ip "$last") $bridge $subnet"
}

pool() {
  local range bridge subnet
  read -r range bridge subnet <<<"$(pool_range)"
  ktimed "MetalLB controller ready" kubectl -n metallb-system rollout status deploy/controller --timeout=300s
  ktimed "MetalLB speakers ready" kubectl -n metallb-system rollout status ds/speaker --timeout=300s
  # The controller's webhook validates pools; it answers a little after the pod turns Ready.
  local ok=""
  for _ in $(seq 1 60); do
    if kubectl apply -f - >/dev/null 2>&1 <<YAML
apiVersion: metallb.io/v1beta1
kind: IPAddressPool
metadata: {name: kind-bridge, namespace: metallb-system}
spec:
  addresses: ["$range"]
---
apiVersion: metallb.io/v1beta1
kind: L2Advertisement
metadata: {name: kind-bridge, namespace: metallb-system}
spec:
  ipAddressPools: [kind-bridge]
YAML
    then ok=1; break; fi
    sleep 2
  done
  [ -n "$ok" ] || kdie "MetalLB's webhook refused the IPAddressPool for 120 s: kubectl -n metallb-system logs deploy/controller"
  klog "IPAddressPool kind-bridge: $range (kind network $subnet on $bridge), announced by L2 (ARP)"
  echo "$range"
}

case "${1:-}" in
  install) install ;;
  pool) pool ;;
  *) kdie "usage: $0 install|pool" ;;
esac
