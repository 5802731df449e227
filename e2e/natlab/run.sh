#!/usr/bin/env bash
# NAT lab: two clients behind separate "hard" NATs (masquerade with random source ports, no
# unsolicited inbound) and a peer relay on a shared "public" segment, all in network namespaces
# on this machine. Shows that the clients cannot reach each other directly, then that
# `peer-relay ping` reaches the peer through the relay. Needs root (ip netns, iptables); without
# root or network namespaces it prints SKIPPED and exits 77 (e2e/lib.sh). Ctrl-C stops the relay
# and the clients and deletes the namespaces.
#
#   e2e/natlab/run.sh [path/to/quarkus-run.jar]
#
# Addresses exist only inside the namespaces this script creates (and deletes on exit):
#   public 198.51.100.0/24: relay .10, NAT A .2, NAT B .3;  LAN A 10.1.0.0/24;  LAN B 10.2.0.0/24
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
E2E_TAG=natlab
# shellcheck source=../lib.sh
. "$root/e2e/lib.sh"
jar=${1:-$root/relay-pod/target/quarkus-app/quarkus-run.jar}
RELAY=198.51.100.10 NAT_A=198.51.100.2 NAT_B=198.51.100.3 PORT=40000 HTTP=9090

need_netns
command -v curl >/dev/null || die "curl missing (e2e/install-deps.sh installs it)"
[ -f "$jar" ] || die "relay jar not found at $jar: build it with mvn -B -pl relay-pod -am package -DskipTests"
work=$(work_dir natlab)
E2E_NS=pl$(($$ % 100000)) # namespace and interface prefix, unique per run (interface names <= 15)

netns_add inet relay nata natb a b
# The public segment: a bridge in "inet" joining the relay and both NATs' WAN sides.
veth rw relay rb inet
veth aw nata ab inet
veth bw natb bb inet
make_bridge inet rb ab bb
ip -n "$(ns relay)" addr add "$RELAY/24" dev "${E2E_NS}rw"
ip -n "$(ns nata)" addr add "$NAT_A/24" dev "${E2E_NS}aw"
ip -n "$(ns natb)" addr add "$NAT_B/24" dev "${E2E_NS}bw"
# Each client on its own LAN behind its hard NAT.
veth al nata ac a
veth bl natb bc b
ip -n "$(ns nata)" addr add 10.1.0.1/24 dev "${E2E_NS}al"
ip -n "$(ns a)" addr add 10.1.0.2/24 dev "${E2E_NS}ac"
ip -n "$(ns a)" route add default via 10.1.0.1
ip -n "$(ns natb)" addr add 10.2.0.1/24 dev "${E2E_NS}bl"
ip -n "$(ns b)" addr add 10.2.0.2/24 dev "${E2E_NS}bc"
ip -n "$(ns b)" route add default via 10.2.0.1
hard_nat a
hard_nat b
own relay rw "$RELAY"
own natb bw "$NAT_B"
# The relay's side port is asked on the relay namespace's own loopback.
inns relay ip -o addr show dev lo | grep 'inet 127.0.0.1/' >/dev/null || die "no 127.0.0.1 on $(ns relay)'s loopback"
stage "namespaces up: relay $RELAY, client A 10.1.0.2 behind NAT $NAT_A, client B 10.2.0.2 behind NAT $NAT_B"

# 1. The direct path does not work: A sends to B's NAT address (the only address of B that A
#    could learn); the datagrams reach B's NAT (its INPUT counter) and none reaches B.
count_udp() { # count_udp NS: datagrams to UDP 5555 that arrived in namespace NS
  inns "$1" iptables -nvxL INPUT | awk '/udp dpt:5555/ {print $1}'
}
for n in natb b; do inns "$n" iptables -I INPUT -p udp --dport 5555; done
for _ in 1 2 3 4 5; do
  inns a bash -c "echo hello > /dev/udp/$NAT_B/5555" || die "client A could not send to $NAT_B:5555"
  sleep 0.2
done
sleep 1
at_nat=$(count_udp natb) at_b=$(count_udp b)
[ "$at_nat" -ge 1 ] || die "none of A's 5 datagrams reached B's NAT $NAT_B: the probe proves nothing"
[ "$at_b" = 0 ] || die "$at_b datagram(s) crossed both NATs directly to B: the lab is not a hard NAT"
stage "direct: $at_nat of A's datagrams reached B's NAT $NAT_B:5555, 0 reached B: no direct path"

# 2. Through the relay.
relay() { java -XX:TieredStopAtLevel=1 -Xshare:auto -jar "$jar" "$@"; }
relay keygen --out "$work/relay.key" > "$work/relay.pub"
relay keygen --out "$work/a.key" > "$work/a.pub"
relay keygen --out "$work/b.key" > "$work/b.pub"
pub() { grep -o 'discokey:[0-9a-f]\{64\}' "$1" | head -1; }
cat > "$work/relay.yaml" <<YAML
version: 1
udpPort: $PORT
httpPort: $HTTP
keyFile: $work/relay.key
advertisedEndpoints: ["$RELAY:$PORT"]
allowedClientKeys: ["$(pub "$work/a.pub")", "$(pub "$work/b.pub")"]
shutdown:
  drain: 1s
YAML
# ip netns exec replaces itself with java, so the spawned pid is the relay's own.
spawn "$work/serve.log" ip netns exec "$(ns relay)" java -jar "$jar" serve --config "$work/relay.yaml"
relay_pid=$LAST_PID
relay_ready() {
  kill -0 "$relay_pid" 2>/dev/null || die "peer-relay serve exited before it was ready: $(tail -n 5 "$work/serve.log")"
  inns relay curl -fsS "http://127.0.0.1:$HTTP/readyz"
}
wait_for 60 "the relay's /readyz in namespace $(ns relay)" relay_ready
stage "relay serving on $RELAY:$PORT, server key $(pub "$work/relay.pub")"

ping_args() { # ping_args OWN PEER
  echo --relay "$RELAY:$PORT" --server-key "$(pub "$work/relay.pub")" \
    --key-file "$work/$1.key" --peer "$(pub "$work/$2.pub")" --count 5 --timeout 20s
}
# shellcheck disable=SC2046
spawn "$work/ping-a.log" ip netns exec "$(ns a)" java -jar "$jar" ping $(ping_args a b)
pa=$LAST_PID
# shellcheck disable=SC2046
spawn "$work/ping-b.log" ip netns exec "$(ns b)" java -jar "$jar" ping $(ping_args b a)
pb=$LAST_PID
ok=0
wait "$pa" || ok=1
wait "$pb" || ok=1
sed 's/^/[natlab] A: /' "$work/ping-a.log" >&2
sed 's/^/[natlab] B: /' "$work/ping-b.log" >&2
[ $ok = 0 ] || die "ping through the relay failed"
inns relay curl -fsS "http://127.0.0.1:$HTTP/metrics" \
  | grep '^tailscaled_peer_relay_forwarded_packets_total' | sed 's/^/[natlab] relay metric: /' >&2
sessions=$(inns relay curl -fsS "http://127.0.0.1:$HTTP/sessions")
log "relay sessions: $sessions"
# The relay must have seen both clients as their NATs' public addresses with translated ports.
grep -q "\"$NAT_A:" <<<"$sessions" && grep -q "\"$NAT_B:" <<<"$sessions" \
  || die "the relay did not see the clients through their NATs"
stage "ping A <-> B through the relay"
echo "[natlab] PASS: no direct path between A and B; both reached each other through the relay"
