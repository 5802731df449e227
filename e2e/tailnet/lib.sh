# shellcheck shell=bash
# The tailnet lab's helpers, topology and processes (sourced by run.sh; needs $p, $work, $TSD,
# $TS, $LAB from there).

SRV_IP=198.51.100.20
RELAY_IP=198.51.100.10
RELAY_PORT=40000
RELAY_HTTP=9090
CONTROL_PORT=8080
CLIENTS=(a b c d)
NAT_IPS=""
pids=()

# fd 3 is the script's stderr, so that die still speaks from inside a wait_for condition (whose
# output goes to /dev/null).
exec 3>&2
log() { printf '[tailnet] %s\n' "$*"; }
die() { printf '[tailnet] FAIL: %s\n' "$*" >&3; exit 1; }
skip() { printf '[tailnet] SKIPPED: %s\n' "$*" >&3; exit 0; }
stage_t=$SECONDS
# stage MESSAGE: one line per finished stage, with the seconds it took.
stage() { log "$* ($((SECONDS - stage_t)) s)"; stage_t=$SECONDS; }
ns() { echo "$p-$1"; }
inns() { local n=$1; shift; ip netns exec "$(ns "$n")" "$@"; }

cleanup() {
  local rc=$?
  stop_all
  if [ "$rc" != 0 ] && [ "$rc" != 130 ] && [ -d "${work:-/nonexistent}" ]; then
    for f in "$work"/*.log "$work"/*/*.log; do
      [ -f "$f" ] && { echo "----- $f" >&2; tail -n 25 "$f" >&2; }
    done
  fi
  for n in inet srv relay "${CLIENTS[@]}" "${CLIENTS[@]/#/nat}"; do
    ip netns del "$(ns "$n")" 2>/dev/null || true
  done
  [ -n "${work:-}" ] && rm -rf "$work"
  exit "$rc"
}

# stop_all: SIGTERM to every process started here, SIGKILL after 5 s.
stop_all() {
  local pid
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for _ in $(seq 1 50); do
    local alive=0
    for pid in "${pids[@]}"; do kill -0 "$pid" 2>/dev/null && alive=1; done
    [ $alive = 0 ] && break
    sleep 0.1
  done
  for pid in "${pids[@]}"; do kill -9 "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; done
  pids=()
}

# bg NS LOG CMD...: starts CMD in namespace NS, output to LOG; ip netns exec and env exec the
# program itself, so $! (recorded in pids and LAST_PID) is the program's own pid.
bg() {
  local n=$1 out=$2
  shift 2
  ip netns exec "$(ns "$n")" "$@" > "$out" 2>&1 &
  LAST_PID=$!
  pids+=("$LAST_PID")
}

# wait_for SECONDS WHAT CMD...: polls CMD every 200 ms.
wait_for() {
  local limit=$1 what=$2
  shift 2
  local end=$((SECONDS + limit))
  until "$@" >/dev/null 2>&1; do
    [ $SECONDS -lt $end ] || die "$what not within $limit s"
    sleep 0.2
  done
}

# veth IF_A NS_A IF_B NS_B: a cable between two namespaces.
veth() {
  ip link add "$p$1" type veth peer name "$p$3"
  ip link set "$p$1" netns "$(ns "$2")"
  ip link set "$p$3" netns "$(ns "$4")"
  ip -n "$(ns "$2")" link set "$p$1" up
  ip -n "$(ns "$4")" link set "$p$3" up
}

# make_topology: the public bridge with servers, relay and four NATs; a client behind each NAT.
make_topology() {
  local n i=2 j=1
  for n in inet srv relay "${CLIENTS[@]}" "${CLIENTS[@]/#/nat}"; do
    ip netns add "$(ns "$n")" 2>"$work/netns.err" || return 1
    ip -n "$(ns "$n")" link set lo up
  done
  ip -n "$(ns inet)" link add br0 type bridge
  ip -n "$(ns inet)" link set br0 up
  veth sw srv sb inet
  veth rw relay rb inet
  ip -n "$(ns srv)" addr add "$SRV_IP/24" dev "${p}sw"
  ip -n "$(ns relay)" addr add "$RELAY_IP/24" dev "${p}rw"
  ip -n "$(ns inet)" link set "${p}sb" master br0
  ip -n "$(ns inet)" link set "${p}rb" master br0
  for n in "${CLIENTS[@]}"; do
    veth "${n}w" "nat$n" "${n}b" inet
    ip -n "$(ns inet)" link set "$p${n}b" master br0
    ip -n "$(ns "nat$n")" addr add "198.51.100.$i/24" dev "$p${n}w"
    NAT_IPS+="${NAT_IPS:+ }198.51.100.$i"
    veth "${n}l" "nat$n" "${n}c" "$n"
    ip -n "$(ns "nat$n")" addr add "10.$j.0.1/24" dev "$p${n}l"
    ip -n "$(ns "$n")" addr add "10.$j.0.2/24" dev "$p${n}c"
    ip -n "$(ns "$n")" route add default via "10.$j.0.1"
    hard_nat "$n"
    i=$((i + 1)) j=$((j + 1))
  done
}

# hard_nat CLIENT: masquerade with a random source port per mapping, and nothing in that the LAN
# did not ask for. The NAT has no default route: nothing leaves the public segment.
hard_nat() {
  local n=nat$1
  inns "$n" sysctl -qw net.ipv4.ip_forward=1
  inns "$n" iptables -t nat -A POSTROUTING -o "$p${1}w" -j MASQUERADE --random-fully
  inns "$n" iptables -A FORWARD -i "$p${1}l" -j ACCEPT
  inns "$n" iptables -A FORWARD -m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT
  inns "$n" iptables -P FORWARD DROP
}

# own NS IF ADDR: ADDR is on interface IF (made here) in namespace NS, or the lab refuses to run.
own() {
  ip -n "$(ns "$1")" -4 -o addr show dev "$p$2" 2>/dev/null | grep -qw "inet $3/24" \
    || die "address $3 is not on interface $p$2 in namespace $(ns "$1"): the lab uses only addresses of interfaces it made"
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
