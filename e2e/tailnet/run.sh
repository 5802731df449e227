#!/usr/bin/env bash
# The tailnet lab: stock Tailscale clients (tailscaled v1.102.3, userspace networking) behind hard
# NATs find a peer relay the way they do on a real tailnet (relay-target in their packet filter,
# AllocateUDPRelayEndpointRequest over DERP) and move bulk data through it; a client without the
# grant gets no allocation and stays on DERP. Control, DERP and STUN are Tailscale's own code
# (main.go). Everything runs in network namespaces this script makes and deletes. Needs root;
# without root or network namespaces it prints SKIPPED and exits 77 (e2e/lib.sh).
#
#   e2e/tailnet/run.sh [--relay stock|ours|both] [--mib N] [--jar PATH]
#
#   stock  a fourth tailscaled with `tailscale set --relay-server-port=40000`
#   ours   java -jar relay-pod/target/quarkus-app/quarkus-run.jar serve (tailnet mode)
#   both   stock, then ours, on the same namespaces, figures side by side
#
# Addresses (all on interfaces made here): public segment 198.51.100.0/24 (a bridge in the "inet"
# namespace): servers .20, relay .10, NATs .2-.5; client LANs 10.1-4.0.0/24 behind them.
# Clients: a, b granted; c sees the relay as a target but is not granted (it asks, the relay must
# refuse); d is granted nothing (c's peer in the negative case).
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
E2E_TAG=tailnet
# shellcheck source=../lib.sh
. "$root/e2e/lib.sh"
# shellcheck source=lib.sh (topology, processes)
. "$here/lib.sh"
# shellcheck source=phase.sh
. "$here/phase.sh"

relays=both
mib=${TAILNET_LAB_MIB:-200}
warm_mib=${TAILNET_LAB_WARM_MIB:-32}
jar=$root/relay-pod/target/quarkus-app/quarkus-run.jar
while [ $# -gt 0 ]; do
  case "$1" in
    --relay) relays=$2; shift 2 ;;
    --mib) mib=$2; shift 2 ;;
    --jar) jar=$2; shift 2 ;;
    -h|--help) sed -n '2,17p' "$0"; exit 0 ;;
    *) die "unknown argument $1 (see --help)" ;;
  esac
done
case "$relays" in stock) kinds=(stock) ;; ours) kinds=(ours) ;; both) kinds=(stock ours) ;;
  *) die "--relay $relays: want stock, ours or both" ;; esac

need_netns
command -v curl >/dev/null || die "curl missing (e2e/install-deps.sh installs it)"
if [[ " ${kinds[*]} " == *" ours "* ]]; then
  [ -f "$jar" ] || die "relay jar not found at $jar: build it with mvn -B -pl relay-pod -am package -DskipTests"
fi

t0=$SECONDS
bin=$("$here/build.sh")
TSD=$bin/tailscaled TS=$bin/tailscale LAB=$bin/tailnet-lab
stage "tools ready in $bin"

work=$(work_dir tailnet)
E2E_NS=tl$(($$ % 10000)) # namespace/interface prefix, unique per run; interface names stay <= 15
make_topology
check_addresses
stage "namespaces up: servers $SRV_IP, relay $RELAY_IP, clients a b c d behind hard NATs $NAT_IPS"

for kind in "${kinds[@]}"; do
  run_phase "$kind"
done
print_figures
echo "[tailnet] PASS (${kinds[*]}): granted clients behind hard NATs reached each other via peer-relay, $mib MiB moved with matching sha256, the ungranted client stayed on DERP ($((SECONDS - t0)) s)"
