# Shared by e2e/kind/*.sh (sourced): tool paths, the image mode, logging with times.
# shellcheck shell=bash
kind_here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
kind_root=$(cd "$kind_here/../.." && pwd)
# shellcheck source=../lib.sh
E2E_TAG=${E2E_TAG:-${klog_tag:-kind}}
. "$kind_root/e2e/lib.sh"
# shellcheck source=../tools/versions.env
. "$kind_root/e2e/tools/versions.env"
KIND_CLUSTER=${KIND_CLUSTER:-peerrelay}
kind_state=${PEERRELAY_KIND_STATE:-$HOME/.cache/peerrelay/kind}
export KUBECONFIG=$kind_state/$KIND_CLUSTER.kubeconfig
# kind v0.30.0's own default node image.
KIND_STOCK_IMAGE=kindest/node:v1.34.0@sha256:7416a61b42b1662ca6ca89f02028ac133a309a2a30ba309614e8ec94d976dc5a
# Where images are built here (local mode) they carry this prefix; PEERRELAY_LOCAL_PREFIX lets a
# second checkout build its own set next to the first one's in the same Docker engine.
LOCAL_PREFIX=${PEERRELAY_LOCAL_PREFIX:-peerrelay-local}
LOCAL_BASE_IMAGE=$LOCAL_PREFIX/debian:bookworm
LOCAL_JRE_IMAGE=$LOCAL_PREFIX/jre:17

klog() { printf '[%s] %s\n' "${klog_tag:-kind}" "$*" >&2; }
kdie() { printf '[%s] ERROR: %s\n' "${klog_tag:-kind}" "$*" >&2; exit 1; }
# ktimed LABEL CMD...: runs CMD, its output indented, and prints its time.
ktimed() {
  local label=$1 t=$SECONDS; shift
  klog "$label ..."
  local rc=0
  { "$@" 2>&1 | sed -u 's/^/    /' >&2; } || rc=$?
  [ "$rc" = 0 ] || kdie "$label failed (exit $rc, output above)"
  klog "$label: $((SECONDS - t)) s"
}

# The image mode, detected once per machine and remembered: "stock" where a registry can be
# reached (kind pulls kindest/node; the Dockerfile's default base images), "local" where none
# can (everything built here: e2e/kind/images.sh). PEERRELAY_KIND_MODE=stock|local overrides.
# Detection asks the machine's own resolver for Docker Hub's name, and only when that resolves
# tries one pull of kind's node image; nothing is sent anywhere when the name does not resolve.
kind_mode() {
  if [ -n "${PEERRELAY_KIND_MODE:-}" ]; then echo "$PEERRELAY_KIND_MODE"; return; fi
  if [ -f "$kind_state/mode" ]; then cat "$kind_state/mode"; return; fi
  mkdir -p "$kind_state"
  local mode=local
  if docker image inspect "$KIND_STOCK_IMAGE" >/dev/null 2>&1; then
    mode=stock
  elif timeout 10 getent hosts registry-1.docker.io >/dev/null 2>&1; then
    klog "a registry name resolves: trying to pull $KIND_STOCK_IMAGE"
    if timeout 600 docker pull -q "$KIND_STOCK_IMAGE" >&2; then mode=stock; fi
  fi
  klog "image mode: $mode ($( [ "$mode" = stock ] && echo 'registry reachable: stock kindest/node and base images' \
    || echo 'no registry: node, component and base images built here'))"
  echo "$mode" > "$kind_state/mode"
  echo "$mode"
}

# kubectl and kind: the pinned builds from e2e/tools (build.sh kind), else the ones on PATH.
kind_tools() {
  local bin
  bin=$("$kind_root/e2e/tools/build.sh" --print)
  if [ -x "$bin/kind" ] && [ -x "$bin/kubectl" ] && [ -x "$bin/helm" ]; then
    export PATH="$bin:$PATH"
  elif [ "$(kind_mode)" = local ] || ! command -v kind >/dev/null || ! command -v helm >/dev/null; then
    "$kind_root/e2e/tools/build.sh" kind >/dev/null
    export PATH="$bin:$PATH"
  fi
  command -v kubectl >/dev/null || kdie "no kubectl: run e2e/tools/build.sh kind"
}

# Refuses an address unless the route to it leaves through an interface Docker (and so these
# scripts) created: docker0 or a br-* bridge. A node address on anything else would send test
# traffic out of the default route to a stranger.
kind_assert_local() {
  local addr=$1 dev
  dev=$(ip -o route get "$addr" 2>/dev/null | sed -n 's/.* dev \([^ ]*\).*/\1/p')
  case "$dev" in
    docker0|br-*) ;;
    *) kdie "address $addr is routed via '${dev:-nothing}', not a Docker bridge created for the cluster: refusing to send traffic there" ;;
  esac
  ip -o addr show dev "$dev" >/dev/null 2>&1 || kdie "interface $dev of $addr does not exist"
}
