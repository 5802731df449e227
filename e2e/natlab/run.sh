#!/usr/bin/env bash
# NAT lab: two clients behind separate "hard" NATs (masquerade with random source ports, no
# unsolicited inbound) and a peer relay on a shared "public" segment, all in network namespaces
# on this machine. Shows that the clients cannot reach each other directly, then that
# `peer-relay ping` reaches the peer through the relay. Needs root (ip netns, iptables).
#
#   e2e/natlab/run.sh [path/to/quarkus-run.jar]
#
# Addresses exist only inside the namespaces this script creates (and deletes on exit):
#   public 198.51.100.0/24: relay .10, NAT A .2, NAT B .3;  LAN A 10.1.0.0/24;  LAN B 10.2.0.0/24
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
jar=${1:-$root/relay-pod/target/quarkus-app/quarkus-run.jar}
work=$(mktemp -d /tmp/peerrelay-natlab.XXXXXX)
p=pl$(($$ % 100000))   # namespace and interface prefix, unique per run (interface names <= 15)
ns() { echo "$p-$1"; }
inns() { local n=$1; shift; ip netns exec "$(ns "$n")" "$@"; }

log() { printf '[natlab] %s\n' "$*"; }
die() { printf '[natlab] FAIL: %s\n' "$*" >&2; exit 1; }

[ "$(id -u)" = 0 ] || die "needs root (network namespaces and iptables)"
command -v iptables >/dev/null || die "iptables missing (apt-get install iptables)"
command -v python3 >/dev/null || die "python3 missing (used for the direct-path probe)"
[ -f "$jar" ] || die "relay jar not found at $jar: build it with mvn -pl relay-pod package"

pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  for n in inet relay nata natb a b; do ip netns del "$(ns $n)" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT INT TERM

for n in inet relay nata natb a b; do
  ip netns add "$(ns $n)"
  ip -n "$(ns $n)" link set lo up
done

# veth IF_A NS_A IF_B NS_B: a cable between two namespaces.
veth() {
  ip link add "$p$1" type veth peer name "$p$3"
  ip link set "$p$1" netns "$(ns "$2")"
  ip link set "$p$3" netns "$(ns "$4")"
  ip -n "$(ns "$2")" link set "$p$1" up
  ip -n "$(ns "$4")" link set "$p$3" up
}

# The public segment: a bridge in "inet" joining the relay and both NATs' WAN sides.
ip -n "$(ns inet)" link add br0 type bridge
ip -n "$(ns inet)" link set br0 up
veth rw relay rb inet
veth aw nata ab inet
veth bw natb bb inet
for i in rb ab bb; do ip -n "$(ns inet)" link set "$p$i" master br0; done
ip -n "$(ns relay)" addr add 198.51.100.10/24 dev "${p}rw"
ip -n "$(ns nata)" addr add 198.51.100.2/24 dev "${p}aw"
ip -n "$(ns natb)" addr add 198.51.100.3/24 dev "${p}bw"

# Each client on its own LAN behind its NAT.
veth al nata ac a
veth bl natb bc b
ip -n "$(ns nata)" addr add 10.1.0.1/24 dev "${p}al"
ip -n "$(ns a)" addr add 10.1.0.2/24 dev "${p}ac"
ip -n "$(ns a)" route add default via 10.1.0.1
ip -n "$(ns natb)" addr add 10.2.0.1/24 dev "${p}bl"
ip -n "$(ns b)" addr add 10.2.0.2/24 dev "${p}bc"
ip -n "$(ns b)" route add default via 10.2.0.1

# Hard NAT: masquerade with a random source port per mapping, and nothing in that was not asked
# for (only replies of connections the LAN opened come back).
for side in a b; do
  n=nat$side
  inns "$n" sysctl -qw net.ipv4.ip_forward=1
  inns "$n" iptables -t nat -A POSTROUTING -o "$p${side}w" -j MASQUERADE --random-fully
  inns "$n" iptables -A FORWARD -i "$p${side}l" -j ACCEPT
  inns "$n" iptables -A FORWARD -m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT
  inns "$n" iptables -P FORWARD DROP
done
log "namespaces up: relay 198.51.100.10, client A 10.1.0.2 behind NAT 198.51.100.2," \
  "client B 10.2.0.2 behind NAT 198.51.100.3"

# 1. The direct path does not work: B listens, A sends to B's NAT address (the only address of B
#    that A could learn), nothing arrives.
inns b python3 -c '
import socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.bind(("0.0.0.0", 5555)); s.settimeout(3)
try:
    s.recvfrom(2048); print("direct: RECEIVED"); sys.exit(1)
except socket.timeout:
    print("direct: nothing arrived in 3 s")
' > "$work/direct.out" &
probe=$!
sleep 0.5
for _ in 1 2 3 4 5; do
  inns a python3 -c 'import socket; socket.socket(socket.AF_INET, socket.SOCK_DGRAM).sendto(b"hello", ("198.51.100.3", 5555))'
  sleep 0.2
done
wait "$probe" || die "a datagram crossed both NATs directly: the lab is not a hard NAT ($(cat "$work/direct.out"))"
log "$(cat "$work/direct.out") (A -> B's NAT 198.51.100.3:5555): no direct path"

# 2. Through the relay.
relay() { java -XX:TieredStopAtLevel=1 -Xshare:auto -jar "$jar" "$@"; }
relay keygen --out "$work/relay.key" > "$work/relay.pub"
relay keygen --out "$work/a.key" > "$work/a.pub"
relay keygen --out "$work/b.key" > "$work/b.pub"
pub() { grep -o 'discokey:[0-9a-f]\{64\}' "$1" | head -1; }
cat > "$work/relay.yaml" <<YAML
version: 1
udpPort: 40000
httpPort: 9090
keyFile: $work/relay.key
advertisedEndpoints: ["198.51.100.10:40000"]
allowedClientKeys: ["$(pub "$work/a.pub")", "$(pub "$work/b.pub")"]
shutdown:
  drain: 1s
YAML
# ip netns exec replaces itself with java, so $! is the relay process and cleanup can stop it
# (through the shell function, $! would be a subshell and java would outlive the script).
ip netns exec "$(ns relay)" java -jar "$jar" serve --config "$work/relay.yaml" > "$work/serve.log" 2>&1 &
pids+=($!)
for _ in $(seq 1 100); do
  inns relay python3 -c 'import urllib.request,sys; sys.exit(0 if urllib.request.urlopen("http://127.0.0.1:9090/readyz",timeout=1).status==200 else 1)' 2>/dev/null && break
  sleep 0.2
done
log "relay serving on 198.51.100.10:40000, server key $(pub "$work/relay.pub")"

ping_args() { # ping_args OWN PEER
  echo --relay 198.51.100.10:40000 --server-key "$(pub "$work/relay.pub")" \
    --key-file "$work/$1.key" --peer "$(pub "$work/$2.pub")" --count 5 --timeout 20s
}
# shellcheck disable=SC2046
ip netns exec "$(ns a)" java -jar "$jar" ping $(ping_args a b) > "$work/ping-a.log" 2>&1 &
pa=$!
# shellcheck disable=SC2046
ip netns exec "$(ns b)" java -jar "$jar" ping $(ping_args b a) > "$work/ping-b.log" 2>&1 &
pb=$!
pids+=("$pa" "$pb")
ok=0
wait "$pa" || ok=1
wait "$pb" || ok=1
sed 's/^/[natlab] A: /' "$work/ping-a.log"
sed 's/^/[natlab] B: /' "$work/ping-b.log"
[ $ok = 0 ] || { sed 's/^/[natlab] relay: /' "$work/serve.log"; die "ping through the relay failed"; }
inns relay python3 -c 'import urllib.request; print(urllib.request.urlopen("http://127.0.0.1:9090/metrics").read().decode())' \
  | grep '^tailscaled_peer_relay_forwarded_packets_total' | sed 's/^/[natlab] relay metric: /'
sessions=$(inns relay python3 -c 'import urllib.request; print(urllib.request.urlopen("http://127.0.0.1:9090/sessions").read().decode())')
log "relay sessions: $sessions"
# The relay must have seen both clients as their NATs' public addresses with translated ports.
grep -q '"198.51.100.2:' <<<"$sessions" && grep -q '"198.51.100.3:' <<<"$sessions" \
  || die "the relay did not see the clients through their NATs"
log "PASS: no direct path between A and B; both reached each other through the relay"
