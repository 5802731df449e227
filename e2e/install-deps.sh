#!/usr/bin/env bash
# Installs the Debian packages the build and the test scripts call, only those that are missing;
# every command e2e/*.sh, e2e/natlab, e2e/interop, e2e/tailnet and e2e/kind call comes from here
# or from the project's own builds (e2e/tools/build.sh: etcd, kube-apiserver, helm, and for kind
# kubectl and kind; e2e/kind/docker.sh: Docker; e2e/maven.sh: the pinned Maven release, fetched
# with Debian's mvn). Java 17 and Go >= 1.24 are expected from the machine image; this script says
# clearly when one of them is missing instead of failing later in the middle of a build.
set -euo pipefail

log() { printf '[deps] %s\n' "$*" >&2; }

# command:package, one per command the scripts call that a minimal Debian may lack.
wanted=(
  java:openjdk-17-jdk-headless mvn:maven git:git curl:curl jq:jq
  gcc:gcc # the bench's C forwarder, the kind node image's pause
  pgrep:procps ps:procps sysctl:procps # the leftover check; the NAT labs' ip_forward
  ip:iproute2 ss:iproute2             # network namespaces, veths, bridges; the tailnet lab's port probe
  iptables:iptables                   # the NAT labs' hard NATs
  sha256sum:coreutils timeout:coreutils mktemp:coreutils setsid:util-linux
  getconf:libc-bin awk:mawk sed:sed grep:grep tar:tar file:file
)
need=()
for w in "${wanted[@]}"; do
  command -v "${w%%:*}" >/dev/null 2>&1 || need+=("${w#*:}")
done
# The C compiler needs the C library headers too (gcc alone cannot link).
[ -f /usr/include/stdio.h ] || need+=(libc6-dev)
mapfile -t need < <(printf '%s\n' "${need[@]}" | sort -u | grep .)

if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" != 0 ]; then
    log "missing packages: ${need[*]}; run as root (or: sudo apt-get install -y ${need[*]})"
    exit 1
  fi
  command -v apt-get >/dev/null 2>&1 \
    || { log "missing packages: ${need[*]}, and no apt-get to install them (a Debian or Ubuntu machine is expected)"; exit 1; }
  log "installing: ${need[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi

jv=$(java -version 2>&1 | awk -F'"' '/version/ {print $2}')
case "$jv" in 1.*|9*|1[0-6]*) log "Java $jv is too old: Java 17 or newer is needed"; exit 1 ;; esac
if ! command -v go >/dev/null 2>&1; then
  log "no Go toolchain: the control-plane tools are built from Go modules; install Go >= 1.24"
  exit 1
fi
# The build's Maven release (Debian's mvn fetches it once into the tools cache; e2e/maven.sh says why).
mvn_bin=$("$(dirname "${BASH_SOURCE[0]}")/maven.sh")
log "java $jv, $("$mvn_bin/mvn" -v 2>/dev/null | head -1 | sed 's/\x1b\[[0-9;]*m//g') ($mvn_bin), $(go version)"
