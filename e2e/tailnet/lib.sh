# shellcheck shell=bash
# The tailnet lab's topology and processes (sourced by run.sh after e2e/lib.sh; needs $E2E_NS,
# $work, $TSD, $TS, $LAB from there).

SRV_IP=198.51.100.20
RELAY_IP=198.51.100.10
RELAY_PORT=40000
RELAY_HTTP=9090
CONTROL_PORT=8080
CLIENTS=(a b c d)
NAT_IPS=""

# bg NS LOG CMD...: starts CMD in namespace NS, output to LOG (e2e/lib.sh's spawn: ip netns exec
# and env exec the program itself, so LAST_PID is the program's own pid, stopped on exit).
bg() {
  local n=$1 out=$2
  shift 2
  spawn "$out" ip netns exec "$(ns "$n")" "$@"
}

# make_topology: the public bridge with servers, relay and four NATs; a client behind each NAT.
make_topology() {
  local n i=2 j=1
  netns_add inet srv relay "${CLIENTS[@]}" "${CLIENTS[@]/#/nat}"
  veth sw srv sb inet
  veth rw relay rb inet
  ip -n "$(ns srv)" addr add "$SRV_IP/24" dev "${E2E_NS}sw"
  ip -n "$(ns relay)" addr add "$RELAY_IP/24" dev "${E2E_NS}rw"
  make_bridge inet sb rb
  for n in "${CLIENTS[@]}"; do
    veth "${n}w" "nat$n" "${n}b" inet
    ip -n "$(ns inet)" link set "$E2E_NS${n}b" master br0
    ip -n "$(ns "nat$n")" addr add "198.51.100.$i/24" dev "$E2E_NS${n}w"
    NAT_IPS+="${NAT_IPS:+ }198.51.100.$i"
    veth "${n}l" "nat$n" "${n}c" "$n"
    ip -n "$(ns "nat$n")" addr add "10.$j.0.1/24" dev "$E2E_NS${n}l"
    ip -n "$(ns "$n")" addr add "10.$j.0.2/24" dev "$E2E_NS${n}c"
    ip -n "$(ns "$n")" route add default via "10.$j.0.1"
    hard_nat "$n"
    i=$((i + 1)) j=$((j + 1))
  done
}

check_addresses() {
  local n i=2
  own srv sw "$SRV_IP"
  own relay rw "$RELAY_IP"
  for n in "${CLIENTS[@]}"; do
    own "nat$n" "${n}w" "198.51.100.$i"
    own "nat$n" "${n}l" "10.$((i - 1)).0.1"
    own "$n" "${n}c" "10.$((i - 1)).0.2"
    i=$((i + 1))
  done
}

# ts NODE ARGS...: the tailscale CLI against NODE's tailscaled.
ts() { local n=$1; shift; inns "$n" "$TS" --socket="$work/$n/tailscaled.sock" "$@"; }

# start_tailscaled NODE [EXTRA FLAGS]: stock tailscaled, userspace networking, SOCKS5 on
# 127.0.0.1:1080, state in the run's temp dir, kept off every network but the lab's.
start_tailscaled() {
  local n=$1
  shift
  rm -rf "$work/$n"   # a fresh node each relay run: the control server is new too
  mkdir -p "$work/$n"
  bg "$n" "$work/$n/tailscaled.log" env TS_NO_LOGS_NO_SUPPORT=true TS_ASSUME_NETWORK_UP_FOR_TEST=1 \
    TS_DISABLE_PORTMAPPER=1 TS_NETCHECK_GENERATE_204_URL="$NETCHECK_204_URL" TS_PANIC_IF_HIT_MAIN_CONTROL=1 \
    "$TSD" --tun=userspace-networking --socks5-server=127.0.0.1:1080 --port=41641 \
    --statedir="$work/$n/state" --socket="$work/$n/tailscaled.sock" "$@"
  eval "PID_$n=$LAST_PID"
}

# join NODE HOSTNAME: registers NODE's tailscaled with the lab's control server.
join() {
  wait_for 20 "tailscaled of $1 answering on its socket" ts "$1" status --json
  ts "$1" up --login-server="$CONTROL_URL" --auth-key="file:$AUTHKEY_FILE" --hostname="$2" \
    --accept-dns=false --timeout=30s > "$work/$1/up.log" 2>&1 \
    || die "tailscale up on $1 failed: $(tail -3 "$work/$1/up.log")"
}

# start_servers: control + DERP + STUN in the servers namespace; sources their addresses.
start_servers() {
  rm -f "$work/servers.env"
  bg srv "$work/servers.log" "$LAB" serve --listen "$SRV_IP" --control-port "$CONTROL_PORT" \
    --info "$work/servers.env" --authkey-file "$work/authkey" \
    --relays relay-stock,relay-ours --granted a,b --target-only c -v
  wait_for 20 "the lab's control/DERP/STUN servers on $SRV_IP" test -s "$work/servers.env"
  # shellcheck disable=SC1091
  . "$work/servers.env"
}
