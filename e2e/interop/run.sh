#!/usr/bin/env bash
# Interop with Tailscale's own code (the interop layer of e2e/TESTING.md), both directions, on
# loopback only:
#   (a) Tailscale's disco/Geneve/key packages (tailscale.com, pinned in go.mod) drive our relay
#       (`peer-relay serve`): allocation on VNI 0, bind handshake, data and ping/pong both ways;
#   (b) Tailscale's own udprelay.Server forwards between two `peer-relay ping` processes.
#
#   e2e/interop/run.sh [JAR]     JAR default: relay-pod/target/quarkus-app/quarkus-run.jar
#
# Builds the Go harness (e2e/go/cmd/interop) into $PEERRELAY_TOOLS_CACHE (default
# ~/.cache/peerrelay/tools), keyed by a digest of its sources; builds nothing Java. Exit 0 only
# when both directions pass.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
E2E_TAG=interop
# shellcheck source=../lib.sh
. "$root/e2e/lib.sh"
jar=${1:-$root/relay-pod/target/quarkus-app/quarkus-run.jar}
java=${JAVA_HOME:+$JAVA_HOME/bin/}java

[ -f "$jar" ] || die "no relay jar at $jar (build it: mvn -B -pl relay-pod -am package -DskipTests)"
# The harness, e2e/go/cmd/interop (tailscale.com v1.102.3 says go 1.26.6: an older Go >= 1.21
# fetches that toolchain by itself with GOTOOLCHAIN=auto, the default).
bin=$(go_cmd interop)
work=$(work_dir interop)
loopback 127.0.0.1
http_ok() { "$bin" httpok "http://127.0.0.1:$1$2"; }
jvm=(-Xmx128m -XX:TieredStopAtLevel=1 -jar "$jar")

# --- (a) Tailscale's client packages -> our relay ------------------------------------------------
start=$SECONDS
udp=$("$bin" freeport)
http=$("$bin" freeport)
"$java" "${jvm[@]}" keygen --out "$work/relay.key" > "$work/relay.pub"
server_key=$(cat "$work/relay.pub")
mapfile -t ka < <("$bin" keygen)
mapfile -t kb < <("$bin" keygen)
mapfile -t kc < <("$bin" keygen)
mapfile -t kd < <("$bin" keygen)
# IPv6 too when the host has ::1 (a fresh key pair: a new session, not a re-bind of the IPv4 one).
has_v6=false
grep -qi '^0\{31\}1 ' /proc/net/if_inet6 2>/dev/null && has_v6=true && loopback ::1
cat > "$work/relay.yaml" <<EOF
version: 1
udpPort: $udp
httpPort: $http
keyFile: relay.key
advertisedEndpoints: [127.0.0.1:$udp$($has_v6 && echo ", \"[::1]:$udp\"")]
allowedClientKeys:
  - ${ka[1]}
  - ${kb[1]}
  - ${kc[1]}
  - ${kd[1]}
shutdown: {drain: 1s}
EOF
spawn "$work/relay.log" "$java" "${jvm[@]}" serve --config "$work/relay.yaml" --bind-v4 127.0.0.1 --bind-v6 ::1 --threads 1
relay_pid=$LAST_PID
wait_for 60 "peer-relay serve ready on 127.0.0.1:$http" http_ok "$http" /readyz
log "(a) peer-relay serve ready: UDP 127.0.0.1:$udp, server key $server_key"
# client_run NAME RELAY_ADDR KEY_A KEY_B: one run of Tailscale's client packages against our relay.
client_run() {
  log "(a) $1: Tailscale's client packages -> peer-relay serve at $2"
  timeout 60 "$bin" client --relay "$2" --server-key "$server_key" \
    --key-a "$3" --key-b "$4" --metrics-url "http://127.0.0.1:$http/metrics" \
    2>&1 | tee "$work/client-$1.log" | sed 's/^/[interop]   /' >&2 \
    || die "(a) $1: Tailscale's client packages against our relay: $(grep -h FAIL "$work/client-$1.log" | head -1)"
  grep -q '^PASS' "$work/client-$1.log" || die "(a) $1: the harness client did not report PASS"
}
client_run ipv4 "127.0.0.1:$udp" "${ka[0]}" "${kb[0]}"
families=IPv4
if $has_v6; then
  client_run ipv6 "[::1]:$udp" "${kc[0]}" "${kd[0]}"
  families="IPv4 and IPv6"
else
  log "(a) SKIPPED the IPv6 run: this host has no ::1"
fi
echo "[interop] PASS (a) Tailscale's disco/Geneve/key packages (tailscale.com v1.102.3) allocated on VNI 0, bound and forwarded through peer-relay serve over $families ($((SECONDS - start)) s)"
# Direction (b) needs no relay of ours: stop it now (SIGTERM, 1 s drain) to leave the CPU to (b).
kill "$relay_pid" && { wait "$relay_pid" || true; }

# --- (b) our client -> Tailscale's udprelay.Server ---------------------------------------------
start=$SECONDS
tport=$("$bin" freeport)
tapi=$("$bin" freeport)
spawn "$work/tailscale-server.log" "$bin" server --port "$tport" --http "127.0.0.1:$tapi"
wait_for 30 "Tailscale's udprelay.Server API on 127.0.0.1:$tapi" http_ok "$tapi" /metrics
"$java" "${jvm[@]}" keygen --out "$work/a.key" > "$work/a.pub"
"$java" "${jvm[@]}" keygen --out "$work/b.key" > "$work/b.pub"
read -r vni tskey < <("$bin" allocate --api "http://127.0.0.1:$tapi" --a "$(cat "$work/a.pub")" --b "$(cat "$work/b.pub")" 2>"$work/allocate.log") \
  || die "(b) POST /allocate on Tailscale's server failed: $(cat "$work/allocate.log")"
log "(b) Tailscale's udprelay.Server on UDP $tport allocated VNI $vni, server key $tskey: $(cat "$work/allocate.log")"
before=$("$bin" forwarded --metrics-url "http://127.0.0.1:$tapi/metrics")
ping_args=(--relay "127.0.0.1:$tport" --server-key "$tskey" --vni "$vni" --count 3 --interval 300ms --timeout 40s --linger 3s)
spawn "$work/ping-a.log" "$java" "${jvm[@]}" ping --key-file "$work/a.key" --peer "$(cat "$work/b.pub")" "${ping_args[@]}"
pa=$LAST_PID
spawn "$work/ping-b.log" "$java" "${jvm[@]}" ping --key-file "$work/b.key" --peer "$(cat "$work/a.pub")" "${ping_args[@]}"
pb=$LAST_PID
# ping gives up by itself after --timeout 40s; wait has no timeout of its own, so this is bounded.
wait "$pa" || die "(b) peer-relay ping A through Tailscale's server exited $?"
wait "$pb" || die "(b) peer-relay ping B through Tailscale's server exited $?"
for side in a b; do
  n=$(grep -c "^pong from .* via 127.0.0.1:$tport vni $vni in " "$work/ping-$side.log" || true)
  [ "$n" -ge 3 ] || die "(b) ping ${side^^} got $n pongs through Tailscale's server, want 3"
  log "(b) ping ${side^^}: $(grep -m1 '^pong from' "$work/ping-$side.log")"
done
after=$("$bin" forwarded --metrics-url "http://127.0.0.1:$tapi/metrics")
[ "$after" -gt "$before" ] || die "(b) Tailscale's tailscaled_peer_relay_forwarded_packets_total did not move ($before -> $after)"
log "(b) Tailscale's server metric tailscaled_peer_relay_forwarded_packets_total $before -> $after"
echo "[interop] PASS (b) two peer-relay ping processes bound to VNI $vni of Tailscale's udprelay.Server (tailscale.com v1.102.3) and pinged each other through it ($((SECONDS - start)) s)"
