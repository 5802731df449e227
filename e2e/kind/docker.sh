#!/usr/bin/env bash
# Makes a Docker engine available for the kind cluster, idempotently:
#   - a working Docker (a laptop, GitHub Actions, or one this script started earlier) is used as is;
#   - otherwise (a Debian machine without systemd, like the project's test machines) it installs
#     Debian's docker.io and starts dockerd by hand: cgroupfs driver (cgroup v1 hybrid), overlay2,
#     and, when the capability bounding set lacks capabilities (privileged containers then fail
#     with "unable to apply caps"), e2e/kind/runc-capfit as the default runtime.
# The daemon stays up afterwards (a later run reuses it); `e2e/kind/docker.sh stop` stops it.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
state=/var/lib/peerrelay-docker
log() { printf '[docker] %s\n' "$*" >&2; }
die() { printf '[docker] ERROR: %s\n' "$*" >&2; exit 1; }

if [ "${1:-}" = stop ]; then
  pid=$(cat "$state/dockerd.pid" 2>/dev/null || true)
  if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
    kill "$pid"
    for _ in $(seq 1 60); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
    log "stopped the dockerd this script started"
  fi
  exit 0
fi

# A dockerd started earlier by this script runs the installed wrapper: keep it current.
wrapper=/usr/local/lib/peerrelay/runc-capfit
if [ -f "$wrapper" ] && ! cmp -s "$here/runc-capfit" "$wrapper"; then install -m 755 "$here/runc-capfit" "$wrapper"; fi

if docker info >/dev/null 2>&1; then
  log "using the running Docker engine ($(docker version -f '{{.Server.Version}}' 2>/dev/null))"
  exit 0
fi
[ "$(id -u)" = 0 ] || die "no running Docker engine, and starting one needs root: start Docker, or run as root"
command -v apt-get >/dev/null || die "no running Docker engine and no apt-get to install one: install and start Docker"

need=()
command -v dockerd >/dev/null || need+=(docker.io)
command -v iptables >/dev/null || need+=(iptables)
command -v python3 >/dev/null || need+=(python3)
if [ ${#need[@]} -gt 0 ]; then
  log "installing ${need[*]} (Debian packages)"
  export DEBIAN_FRONTEND=noninteractive
  apt-cache policy docker.io 2>/dev/null | grep -q 'Candidate: [0-9]' || apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi
# Debian's package puts its client at /usr/bin/docker; another client earlier on PATH works too
# (it negotiates the API version down).
command -v docker >/dev/null || die "docker.io installed no docker client on PATH"

mkdir -p "$state"
args=(--host "unix:///var/run/docker.sock" --pidfile "$state/dockerd.pid" --data-root /var/lib/docker
  --exec-opt native.cgroupdriver=cgroupfs --storage-driver overlay2)
bnd=$(awk '/^CapBnd:/ {print $2}' /proc/self/status)
full=$(printf '%016x' $(( (1 << ($(cat /proc/sys/kernel/cap_last_cap) + 1)) - 1 )))
if [ "$bnd" != "$full" ]; then
  # Installed outside the checkout: dockerd keeps running after this script and the checkout.
  install -D -m 755 "$here/runc-capfit" "$wrapper"
  args+=(--add-runtime "capfit=$wrapper" --default-runtime capfit)
  log "capability bounding set $bnd lacks some of $full: default runtime is runc-capfit"
fi
log "starting dockerd (log: $state/dockerd.log)"
# From / and in its own session, so the daemon is no child of a test run and holds no checkout dir.
# setsid -f forks and returns at once: no shell of this script stays behind holding the caller's
# stdout (a pipe into `sed` in cluster.sh waited for EOF forever when dockerd was started cold).
(cd / && setsid -f dockerd "${args[@]}" > "$state/dockerd.log" 2>&1 < /dev/null)
for _ in $(seq 1 120); do
  docker info >/dev/null 2>&1 && break
  sleep 0.5
done
docker info >/dev/null 2>&1 || { tail -20 "$state/dockerd.log" >&2; die "dockerd did not come up (log above)"; }
log "dockerd $(docker version -f '{{.Server.Version}}') is up"
