#!/usr/bin/env bash
# Builds the real Kubernetes control plane (kube-apiserver, kube-controller-manager), etcd and helm
# from the Go module proxy into a cache keyed by version. Idempotent: a second run takes seconds.
#
#   e2e/tools/build.sh            build what is missing, print the bin directory
#   e2e/tools/build.sh kind       also the kind cluster's tools: kind, kubelet, kubeadm, kubectl,
#                                 kube-scheduler, kube-proxy, CoreDNS (used by e2e/kind/cluster.sh)
#   e2e/tools/build.sh metallb    also MetalLB's controller and speaker (e2e/kind/metallb.sh)
#   e2e/tools/build.sh --print    only print the bin directory
#
# Cache: $PEERRELAY_TOOLS_CACHE (default ~/.cache/peerrelay/tools)/<tool>-<version>/
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=versions.env
. "$here/versions.env"
cache=${PEERRELAY_TOOLS_CACHE:-$HOME/.cache/peerrelay/tools}
bin="$cache/bin"

log() { printf '[tools] %s\n' "$*" >&2; }
die() { printf '[tools] ERROR: %s\n' "$*" >&2; exit 1; }

if [ "${1:-}" = "--print" ]; then echo "$bin"; exit 0; fi
with_kind=false with_metallb=false
for arg in "$@"; do
  case "$arg" in
    kind) with_kind=true ;;
    metallb) with_metallb=true ;;
    *) die "unknown argument '$arg': use kind, metallb or --print" ;;
  esac
done

command -v go >/dev/null 2>&1 || die "no Go toolchain on PATH: install Go >= 1.24 (Debian: apt-get install golang-go, or the official tarball) and run again"
gov=$(go env GOVERSION)
case "$gov" in go1.2[4-9]*|go1.[3-9]*) ;; *) die "Go $gov is too old: the pinned modules need Go >= 1.24" ;; esac

mkdir -p "$bin"

# build_tool NAME VERSION MODULE_DIR PACKAGE [LDFLAGS]
build_tool() {
  local name=$1 version=$2 moddir=$3 pkg=$4 ldflags=${5:-}
  # The cache key holds the version and a digest of the module's go.sum and the link flags, so a
  # change to either rebuilds instead of reusing a stale binary.
  local digest
  digest=$(cat "$here/$moddir/go.sum" <(echo "$ldflags") | sha256sum | cut -c1-10)
  local out="$cache/$name-$version-$digest/$name"
  mkdir -p "$(dirname "$out")"
  # Two runs wanting the same tool (the kind e2e builds MetalLB in the background while another
  # step asks for it) would compile it twice and write the same file: the second one waits.
  exec 9> "$out.lock"
  flock 9
  if [ -x "$out" ]; then
    log "$name $version: cached at $out"
  else
    log "$name $version: building $pkg (module $moddir) ..."
    local start=$SECONDS
    (cd "$here/$moddir" && CGO_ENABLED=0 GOFLAGS=-mod=mod go build -trimpath -ldflags "-s -w $ldflags" -o "$out.tmp" "$pkg") \
      || die "building $name $version failed (see the go output above); the module proxy must be reachable on a cold cache"
    mv "$out.tmp" "$out"
    log "$name $version: built in $((SECONDS - start)) s"
  fi
  exec 9>&-
  ln -sfn "$out" "$bin/$name"
}

kv=${KUBERNETES_VERSION#v}
kube_ld="-X k8s.io/component-base/version.gitVersion=$KUBERNETES_VERSION \
-X k8s.io/component-base/version.gitMajor=${kv%%.*} \
-X k8s.io/component-base/version.gitMinor=$(echo "$kv" | cut -d. -f2) \
-X k8s.io/component-base/version.gitTreeState=clean \
-X k8s.io/client-go/pkg/version.gitVersion=$KUBERNETES_VERSION"
build_tool kube-apiserver "$KUBERNETES_VERSION" kube k8s.io/kubernetes/cmd/kube-apiserver "$kube_ld"
build_tool kube-controller-manager "$KUBERNETES_VERSION" kube k8s.io/kubernetes/cmd/kube-controller-manager "$kube_ld"
build_tool etcd "$ETCD_VERSION" etcd . ""
# helm's default Kubernetes version (used by `helm template` and `helm lint`) comes from link
# flags in its Makefile, derived from its client-go version (v0.N.x -> 1.N); without them it
# assumes v1.20 and rejects charts that require a newer cluster.
helm_k8s_minor=$(awk '$1 == "k8s.io/client-go" {print $2}' "$here/helm/go.mod" | cut -d. -f2)
build_tool helm "$HELM_VERSION" helm helm.sh/helm/v3/cmd/helm \
  "-X helm.sh/helm/v3/internal/version.version=$HELM_VERSION \
-X helm.sh/helm/v3/pkg/chartutil.k8sVersionMajor=1 -X helm.sh/helm/v3/pkg/chartutil.k8sVersionMinor=$helm_k8s_minor \
-X helm.sh/helm/v3/pkg/lint/rules.k8sVersionMajor=1 -X helm.sh/helm/v3/pkg/lint/rules.k8sVersionMinor=$helm_k8s_minor"

if $with_kind; then
  # kubelet, kubeadm and the rest of the node: a module of their own (e2e/tools/kubenode), so the
  # control plane's cache key above does not change with them.
  for cmd in kubelet kubeadm kubectl kube-scheduler kube-proxy; do
    build_tool "$cmd" "$KUBERNETES_VERSION" kubenode "k8s.io/kubernetes/cmd/$cmd" "$kube_ld"
  done
  build_tool kind "$KIND_VERSION" kind sigs.k8s.io/kind ""
  build_tool coredns "$COREDNS_VERSION" coredns . ""
fi

if $with_metallb; then
  build_tool metallb-controller "$METALLB_VERSION" metallb go.universe.tf/metallb/controller ""
  build_tool metallb-speaker "$METALLB_VERSION" metallb go.universe.tf/metallb/speaker ""
fi

log "tools ready in $bin: $(ls "$bin" | tr '\n' ' ')"
echo "$bin"
