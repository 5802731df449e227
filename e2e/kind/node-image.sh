#!/usr/bin/env bash
# Builds the kind node image without any registry (see node/Dockerfile): the component images
# (kube-apiserver, kube-controller-manager, kube-scheduler, kube-proxy, etcd, CoreDNS, pause)
# from the binaries of e2e/tools/build.sh kind, then the node image with them imported into its
# containerd. Prints the node image's tag; its tag carries a digest of every input, so a second
# run with nothing changed takes a second.
set -euo pipefail
klog_tag=node-image
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
here=$kind_here
root=$kind_root
have() { docker image inspect "$1" >/dev/null 2>&1; }
base=${BASE_IMAGE:-$LOCAL_BASE_IMAGE}
have "$base" || kdie "no base image $base: run e2e/kind/images.sh base first"

start=$SECONDS
bin=$("$root/e2e/tools/build.sh" kind)
kube_src=$(cd "$root/e2e/tools/kubenode" && go list -m -f '{{.Dir}}' k8s.io/kubernetes)
kind_src=$(cd "$root/e2e/tools/kind" && go list -m -f '{{.Dir}}' sigs.k8s.io/kind)
consts=$kube_src/cmd/kubeadm/app/constants/constants.go
pause_version=$(sed -n 's/^\s*PauseVersion = "\(.*\)"/\1/p' "$consts")
[ -n "$pause_version" ] || kdie "cannot read PauseVersion from $consts"
pause_image=registry.k8s.io/pause:$pause_version

# Every input of the image, digested: binaries (by their resolved, digest-keyed cache paths),
# this script and the files under node/, the base image's id.
key=$( { for b in kubelet kubeadm kubectl kube-apiserver kube-controller-manager kube-scheduler kube-proxy etcd coredns; do
           readlink -f "$bin/$b"; done
         docker image inspect -f '{{.Id}}' "$base"
         cat "$here/node-image.sh" "$here/runc-capfit"; find "$here/node" -type f | sort | xargs cat
         echo "$KIND_VERSION $pause_image"; } | sha256sum | cut -c1-12)
node_image=$LOCAL_PREFIX/kind-node:$KUBERNETES_VERSION-$key
if have "$node_image"; then
  klog "node image $node_image: cached"
  echo "$node_image"; exit 0
fi

ctx=$(mktemp -d /var/tmp/peerrelay-node.XXXXXX)
trap 'rm -rf "$ctx"; [ -z "${cid:-}" ] || docker rm -f "$cid" >/dev/null 2>&1 || true' EXIT
# ---- component images -------------------------------------------------------------------
mkdir -p "$ctx/images" "$ctx/c"
images=()
component() { # component IMAGE BIN [DOCKERFILE] [extra build args]
  local image=$1 b=$2 file=${3:-$here/node/component.Dockerfile}; shift 3 || shift $#
  # A context of its own per image: the legacy builder sends the whole context every time.
  mkdir -p "$ctx/c/$b"
  cp -L "$bin/$b" "$ctx/c/$b/$b"
  ktimed "image $image" docker build -q -t "$image" --build-arg BASE="$base" --build-arg BIN="$b" "$@" -f "$file" "$ctx/c/$b"
  images+=("$image")
}
for c in kube-apiserver kube-controller-manager kube-scheduler; do
  component "registry.k8s.io/$c:$KUBERNETES_VERSION" "$c"
done
component "registry.k8s.io/kube-proxy:$KUBERNETES_VERSION" kube-proxy "$here/node/kube-proxy.Dockerfile"
# etcd and CoreDNS carry their own versions (the cluster config sets these tags, see cluster.sh).
component "registry.k8s.io/etcd:$ETCD_VERSION" etcd "$here/node/component.Dockerfile"
component "registry.k8s.io/coredns/coredns:$COREDNS_VERSION" coredns "$here/node/component.Dockerfile" --build-arg DEST=/
docker build -q -t "registry.k8s.io/coredns/coredns:$COREDNS_VERSION" - >/dev/null <<DOCKERFILE
FROM registry.k8s.io/coredns/coredns:$COREDNS_VERSION
ENTRYPOINT ["/coredns"]
DOCKERFILE
command -v gcc >/dev/null || DEBIAN_FRONTEND=noninteractive apt-get install -y -qq gcc libc6-dev >/dev/null
mkdir -p "$ctx/p"
ktimed "pause $pause_version (static, from $kube_src/build/pause/linux/pause.c)" \
  gcc -Os -Wall -static -DVERSION="v$pause_version" -o "$ctx/p/pause" "$kube_src/build/pause/linux/pause.c"
ktimed "image $pause_image" docker build -q -t "$pause_image" -f "$here/node/pause.Dockerfile" "$ctx/p"
images+=("$pause_image")

# ---- the node image ---------------------------------------------------------------------------
mkdir -p "$ctx/n/bin"
cp -r "$kind_src/images/base/files" "$ctx/n/kind"
chmod -R u+w "$ctx/n/kind"
cp -r "$here/node/cni" "$here/node/manifests" "$here/runc-capfit" "$here/node/Dockerfile" "$here/node/12-peerrelay-cgroups.conf" "$ctx/n/"
for b in kubelet kubeadm kubectl; do cp -L "$bin/$b" "$ctx/n/bin/$b"; done
ktimed "node base image (Debian systemd, containerd, runc, CNI plugins)" docker build -t "$node_image-pre" \
  --build-arg BASE="$base" --build-arg KUBERNETES_VERSION="$KUBERNETES_VERSION" \
  --build-arg PAUSE_IMAGE="$pause_image" "$ctx/n"

ktimed "saving ${#images[@]} component images" docker save -o "$ctx/images.tar" "${images[@]}"
cid=$(docker run -d --privileged --entrypoint sleep "$node_image-pre" infinity)
docker cp "$ctx/images.tar" "$cid:/images.tar"
import() {
  docker exec "$cid" bash -c 'set -e
    nohup containerd >/tmp/containerd.log 2>&1 &
    for i in $(seq 1 50); do [ -S /run/containerd/containerd.sock ] && ctr version >/dev/null 2>&1 && break; sleep 0.2; done
    ctr --namespace=k8s.io images import --label=io.cri-containerd.pinned=pinned --all-platforms --no-unpack --digests /images.tar
    ctr --namespace=k8s.io images ls -q
    pkill containerd; for i in $(seq 1 50); do pgrep containerd >/dev/null || break; sleep 0.2; done
    rm -f /images.tar /tmp/containerd.log'
}
ktimed "importing them into the node's containerd" import
ktimed "committing $node_image" docker commit \
  --change 'ENTRYPOINT ["/usr/local/bin/entrypoint", "/sbin/init"]' --change 'CMD []' "$cid" "$node_image"
docker rm -f "$cid" >/dev/null; cid=
docker rmi "$node_image-pre" >/dev/null 2>&1 || true
klog "node image $node_image built in $((SECONDS - start)) s"
echo "$node_image"
