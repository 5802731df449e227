#!/usr/bin/env bash
# Local images for machines that cannot pull from any container registry (the project's test
# machines): everything is built here from Debian packages and Go modules, cached in Docker's
# own image store under tags that carry the versions and a digest of the inputs.
#   e2e/kind/images.sh base    Debian bookworm base (debootstrap) and a JRE 17 image on it
#   e2e/kind/images.sh node    the kind node image (systemd, containerd, kubelet, control-plane
#                              images preloaded); prints its tag
# Each step shows its time; a cached step takes a second.
set -euo pipefail
klog_tag=images
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
here=$kind_here
have() { docker image inspect "$1" >/dev/null 2>&1; }

BASE_IMAGE=$LOCAL_BASE_IMAGE
JRE_IMAGE=$LOCAL_JRE_IMAGE

build_base() {
  if ! have "$BASE_IMAGE"; then
    command -v debootstrap >/dev/null || { DEBIAN_FRONTEND=noninteractive apt-get install -y -qq debootstrap >/dev/null; }
    local dir
    dir=$(mktemp -d /var/tmp/peerrelay-rootfs.XXXXXX)
    # The machine's own apt mirror (the only package source reachable here).
    local mirror
    mirror=$(awk '/^URIs:/ {print $2; exit}' /etc/apt/sources.list.d/debian.sources 2>/dev/null || true)
    ktimed "debootstrap bookworm (minbase) from ${mirror:-http://deb.debian.org/debian}" \
      debootstrap --variant=minbase bookworm "$dir" "${mirror:-http://deb.debian.org/debian}"
    rm -rf "$dir"/var/cache/apt/archives/*.deb "$dir"/var/lib/apt/lists/*
    ktimed "docker import $BASE_IMAGE" sh -c "tar -C '$dir' -c . | docker import -c 'CMD [\"/bin/bash\"]' - '$BASE_IMAGE'"
    rm -rf "$dir"
  fi
  klog "base image $BASE_IMAGE ready"
  if ! have "$JRE_IMAGE"; then
    ktimed "building $JRE_IMAGE (Debian openjdk-17-jre-headless)" docker build -t "$JRE_IMAGE" \
      --build-arg BASE="$BASE_IMAGE" -f "$here/jre.Dockerfile" "$here"
  fi
  klog "JRE image $JRE_IMAGE ready"
}

case "${1:-}" in
  base) build_base ;;
  node) build_base; "$here/node-image.sh" ;;
  *) kdie "usage: $0 base|node" ;;
esac
