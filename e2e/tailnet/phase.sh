# shellcheck shell=bash
# One relay run of the tailnet lab (sourced by run.sh after lib.sh): servers, relay, four
# clients, then the assertions, then every process stopped again. Figures go to $work/figures.

declare -A IP

# run_phase stock|ours
run_phase() {
  local kind=$1 t=$SECONDS n jp=()
  start_servers
  stage "[$kind] servers: control $CONTROL_URL, DERP $DERP_ADDR (TLS), STUN $STUN_ADDR, netcheck $NETCHECK_204_URL"
  "start_relay_$kind"
  for n in "${CLIENTS[@]}"; do start_tailscaled "$n"; done
  for n in "${CLIENTS[@]}"; do join "$n" "$n" & jp+=($!); done
  for n in "${jp[@]}"; do wait "$n" || die "[$kind] a client did not join the tailnet"; done
  for n in "${CLIENTS[@]}"; do IP[$n]=$(ts "$n" ip -4); done
  wait_for 20 "[$kind] $RELAY_HOST in a's netmap" relay_ip
  IP[relay]=$(relay_ip)
  stage "[$kind] relay $RELAY_HOST (${IP[relay]}) and clients joined: a ${IP[a]}, b ${IP[b]}, c ${IP[c]}, d ${IP[d]}"
  wait_for 20 "[$kind] a's netmap naming $RELAY_HOST (${IP[relay]}) a peer-relay server" relay_known a
  relay_path a b
  relay_path b a
  stage "[$kind] a <-> b via peer-relay"
  transfer "$kind"
  stage "[$kind] transfer"
  negative
  stage "[$kind] c without the grant stayed on DERP"
  stop_all
  log "[$kind] done in $((SECONDS - t)) s"
}

start_relay_stock() {
  RELAY_HOST=relay-stock
  start_tailscaled relay
  RELAY_PID=$PID_relay
  join relay "$RELAY_HOST"
  ts relay set --relay-server-port="$RELAY_PORT"
  wait_for 20 "stock relay server bound to UDP $RELAY_PORT" relay_port_bound
  stage "[stock] tailscaled relay serving peer relay on $RELAY_IP:$RELAY_PORT (pid $RELAY_PID)"
}

# start_relay_ours: our relay in tailnet mode, config in the format of
# relay-pod/src/test/resources/golden/relay-config/tailnet.yaml.
start_relay_ours() {
  RELAY_HOST=relay-ours
  local d=$work/relay java=${JAVA_HOME:+$JAVA_HOME/bin/}java
  mkdir -p "$d/state"
  "$java" -jar "$jar" keygen --out "$d/relay.key" > "$d/relay.pub"
  cat > "$d/relay.yaml" <<YAML
version: 1
udpPort: $RELAY_PORT
httpPort: $RELAY_HTTP
keyFile: $d/relay.key
advertisedEndpoints:
  - $RELAY_IP:$RELAY_PORT
allowedClientKeys: []
tailnet:
  controlUrl: $CONTROL_URL
  authKeyFile: $AUTHKEY_FILE
  stateDir: $d/state
  hostname: $RELAY_HOST
  tags:
    - tag:peer-relay
shutdown:
  drain: 1s
YAML
  # The JVM flags the relay image runs with (Dockerfile, PEERRELAY_JAVA_OPTS), less its CDS
  # archive, which only the image holds: the lab measures the relay as it ships.
  local opts
  opts=$("$root/e2e/image-java-opts.sh") || die "no relay JVM flags from the Dockerfile"
  # TAILNET_LAB_RELAY_OPTS: more flags for a comparison run (e.g. -Dpeerrelay.transport.gro-read=recvmsg).
  opts="$opts ${TAILNET_LAB_RELAY_OPTS:-}"
  # shellcheck disable=SC2086 # the flags are words
  bg relay "$d/serve.log" "$java" $opts -jar "$jar" serve --config "$d/relay.yaml"
  RELAY_PID=$LAST_PID
  wait_for 60 "our relay's /readyz on $RELAY_IP:$RELAY_HTTP" ours_ready
  stage "[ours] peer-relay serve (tailnet mode) ready on $RELAY_IP:$RELAY_PORT (pid $RELAY_PID)"
}

# ours_ready: /readyz answers 200; a relay that exited (a config it refuses) fails the lab now.
ours_ready() {
  kill -0 "$RELAY_PID" 2>/dev/null \
    || die "[ours] peer-relay serve exited before it was ready: $(tail -n 5 "$work/relay/serve.log")"
  inns relay curl -fsS "http://127.0.0.1:$RELAY_HTTP/readyz"
}
relay_port_bound() { inns relay ss -Hlun "sport = :$RELAY_PORT" | grep -q .; }
relay_ip() { ts a status --json | "$LAB" peer --host "$RELAY_HOST" | sed -n 's/.* ip=\([^ ]*\).*/\1/p' | grep .; }
relay_known() { ts "$1" debug peer-relay-servers | grep -qF "\"${IP[relay]}\""; }

# relay_metrics / relay_sessions: the relay's own view, whichever relay runs.
relay_metrics() {
  if [ "$RELAY_HOST" = relay-stock ]; then ts relay metrics print
  else inns relay curl -fsS "http://127.0.0.1:$RELAY_HTTP/metrics"; fi
}
relay_sessions() {
  if [ "$RELAY_HOST" = relay-stock ]; then ts relay debug peer-relay-sessions
  else inns relay curl -fsS "http://127.0.0.1:$RELAY_HTTP/sessions"; fi
}
# relay_asks: allocation requests the relay has received, granted or not (a figure, not asserted:
# granted clients re-ask now and then).
relay_asks() {
  if [ "$RELAY_HOST" = relay-stock ]; then
    ts relay debug metrics | "$LAB" metric magicsock_disco_recv_alloc_udp_relay_endpoint_request
  else relay_metrics | "$LAB" metric peerrelay_tailnet_allocations_total; fi
}
# relay_refused: allocation requests over DERP our relay refused because the filter grants no
# tailscale.com/cap/relay (0 for the stock relay, which counts no refusals by reason).
relay_refused() {
  if [ "$RELAY_HOST" = relay-stock ]; then echo 0
  else relay_metrics | "$LAB" metric peerrelay_tailnet_allocations_total result=not_granted; fi
}
ticks_s() { awk -v t="$1" -v hz="$(getconf CLK_TCK)" 'BEGIN {printf "%.2f", t / hz}'; }
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
# thread_ticks PID: "NAME TICKS" per thread name of PID (threads of one name summed; a JVM names
# its event loops, compiler and GC threads, Go's threads all carry the program's name).
thread_ticks() {
  local t
  for t in /proc/"$1"/task/*; do
    # comm may hold spaces ("C1 CompilerThre"): they become underscores, one field per name.
    printf '%s %s\n' "$(tr ' ' _ < "$t/comm" 2>/dev/null)" "$(awk '{print $14 + $15}' "$t/stat" 2>/dev/null)"
  done 2>/dev/null | awk 'NF == 2 {s[$1] += $2} END {for (n in s) print n, s[n]}' | sort
}
# thread_split BEFORE AFTER: the threads that used CPU between two thread_ticks snapshots, busiest
# first, as "name seconds" (threads that started in between count from zero).
thread_split() {
  awk -v hz="$(getconf CLK_TCK)" 'NR == FNR {b[$1] = $2; next} $2 > b[$1] {printf "%s %.2f\n", $1, ($2 - b[$1]) / hz}' \
    <(printf '%s\n' "$1") <(printf '%s\n' "$2") | sort -k2,2 -rn | head -n 6 | paste -sd ' '
}

# relay_path FROM TO: Tailscale's own ping and status show FROM reaching TO through the relay.
relay_path() {
  local from=$1 to=$2 out line="" st
  for _ in $(seq 1 10); do
    out=$(ts "$from" ping --until-direct=false -c 3 --timeout 3s "${IP[$to]}" 2>&1 || true)
    printf '%s\n' "$out" >> "$work/ping-$from-$to.log"
    if grep -v -e 'via DERP(' -e 'via peer-relay(' -e 'timed out' <<<"$out" | grep -q '^pong'; then
      die "$from reached $to directly ($(grep -m1 '^pong' <<<"$out")): the NATs are not hard enough for this lab"
    fi
    line=$(grep -m1 'via peer-relay(' <<<"$out" || true)
    [ -n "$line" ] && break
  done
  [ -n "$line" ] || die "$from never reached $to via peer-relay in 30 pings; last: $(tail -1 <<<"$out"); relay servers $from knows: $(ts "$from" debug peer-relay-servers | tr -d '\n ')"
  [[ "$line" == *"via peer-relay($RELAY_IP:$RELAY_PORT:vni:"* ]] || die "$from -> $to via a relay address other than $RELAY_IP:$RELAY_PORT: $line"
  st=$(ts "$from" status --json | "$LAB" peer --ip "${IP[$to]}")
  [[ "$st" == *" peer_relay=$RELAY_IP:$RELAY_PORT:vni:"* ]] || die "$from's tailscale status does not name $RELAY_IP:$RELAY_PORT as $to's PeerRelay: $st"
  log "ping $from -> $to: $line"
  log "status on $from: $st"
}

# transfer KIND: $mib MiB from a to b through a's SOCKS5 and b's netstack; the relay's forwarded
# bytes must grow by at least that much.
transfer() {
  local kind=$1 bytes0 bytes1 cpu0 cpu1 out want=$((mib * 1048576)) hz
  hz=$(getconf CLK_TCK)
  bg b "$work/sink.log" "$LAB" sink --listen 127.0.0.1:9000
  wait_for 10 "the sink in b" grep -q 'sink listening' "$work/sink.log"
  # An unmeasured warm-up transfer first, through either relay: a JVM compiles its forwarding
  # path in the first seconds of traffic, and the figures are for a relay in steady state.
  out=$(inns a "$LAB" send --socks5 127.0.0.1:1080 --to "${IP[b]}:9000" --mib "$warm_mib" --timeout 60s) \
    || die "[$kind] warm-up transfer a -> b failed: $out"
  bytes0=$(relay_metrics | "$LAB" metric tailscaled_peer_relay_forwarded_bytes_total)
  cpu0=$(cpu_ticks "$RELAY_PID")
  local ca0 cb0 threads0
  threads0=$(thread_ticks "$RELAY_PID")
  ca0=$(cpu_ticks "$PID_a") cb0=$(cpu_ticks "$PID_b")
  out=$(inns a "$LAB" send --socks5 127.0.0.1:1080 --to "${IP[b]}:9000" --mib "$mib" --timeout 150s) \
    || die "[$kind] transfer a -> b failed: $out"
  cpu1=$(cpu_ticks "$RELAY_PID")
  log "[$kind] relay CPU by thread during the transfer (s): $(thread_split "$threads0" "$(thread_ticks "$RELAY_PID")")"
  bytes1=$(relay_metrics | "$LAB" metric tailscaled_peer_relay_forwarded_bytes_total)
  log "[$kind] transfer a -> b: $out"
  log "[$kind] CPU during the transfer: relay $(ticks_s $((cpu1 - cpu0))) s, client a's tailscaled $(ticks_s $(($(cpu_ticks "$PID_a") - ca0))) s, b's $(ticks_s $(($(cpu_ticks "$PID_b") - cb0))) s"
  [ $((bytes1 - bytes0)) -ge "$want" ] \
    || die "[$kind] the relay's tailscaled_peer_relay_forwarded_bytes_total grew by $((bytes1 - bytes0)), less than the $want bytes moved: the data did not go through the relay"
  log "[$kind] relay tailscaled_peer_relay_forwarded_bytes_total $bytes0 -> $bytes1 (+$((bytes1 - bytes0)))"
  local secs mbit cpu
  secs=$(sed -n 's/.*seconds=\([0-9.]*\).*/\1/p' <<<"$out")
  mbit=$(sed -n 's/.*mbit_per_s=\([0-9.]*\).*/\1/p' <<<"$out")
  cpu=$(awk -v t=$((cpu1 - cpu0)) -v hz="$hz" 'BEGIN {printf "%.2f", t / hz}')
  printf '%s %s %s %s %s %s\n' "$kind" "$mib" "$secs" "$mbit" "$cpu" \
    "$(awk -v c="$cpu" -v b="$want" 'BEGIN {printf "%.2f", c / (b / 1e9)}')" >> "$work/figures"
}

# negative: c sees the relay as a target but is not granted; it asks, the relay must not allocate.
# c's peer d has no relay at all, so c <-> d has no other way onto a relay than c's request.
negative() {
  local gauge0 gauge1 asked0 asked1 seen0 seen1 refused0 refused1 out st sessions
  gauge0=$(relay_metrics | "$LAB" metric tailscaled_peer_relay_endpoints)
  seen0=$(relay_asks)
  refused0=$(relay_refused)
  asked0=$(ts c debug metrics | "$LAB" metric magicsock_disco_sent_alloc_udp_relay_endpoint_request)
  out=$(ts c ping --until-direct=false -c 6 --timeout 3s "${IP[d]}" 2>&1 || true)
  printf '%s\n' "$out" > "$work/ping-c-d.log"
  grep -q 'via DERP(' <<<"$out" || die "c -> d: no pong via DERP: $out"
  ! grep -q 'via peer-relay(' <<<"$out" || die "c (not granted) reached d via peer-relay: $(grep -m1 'via peer-relay(' <<<"$out")"
  asked1=$(ts c debug metrics | "$LAB" metric magicsock_disco_sent_alloc_udp_relay_endpoint_request)
  gauge1=$(relay_metrics | "$LAB" metric tailscaled_peer_relay_endpoints)
  seen1=$(relay_asks)
  refused1=$(relay_refused)
  st=$(ts c status --json | "$LAB" peer --ip "${IP[d]}")
  sessions=$(relay_sessions)
  [ "$asked1" -gt "$asked0" ] || die "c sent no AllocateUDPRelayEndpointRequest ($asked0 -> $asked1): the negative case would prove nothing"
  if [ "$RELAY_HOST" != relay-stock ]; then
    [ "$refused1" -gt "$refused0" ] || die "our relay counted no not_granted refusal for c's requests ($refused0 -> $refused1)"
  fi
  [ "$gauge1" -le "$gauge0" ] || die "the relay allocated for c, which is not granted: tailscaled_peer_relay_endpoints $gauge0 -> $gauge1; sessions $sessions"
  [[ "$st" == *" peer_relay= "* ]] || die "c's status names a PeerRelay for d: $st"
  ! grep -q -e '198\.51\.100\.4:' -e '198\.51\.100\.5:' <<<"$sessions" || die "a relay session holds c's or d's NAT address: $sessions"
  log "ping c -> d: $(grep -m1 'via DERP(' <<<"$out") (all $(grep -c '^pong' <<<"$out") pongs via DERP)"
  log "c sent $((asked1 - asked0)) AllocateUDPRelayEndpointRequest(s); the relay received $((seen1 - seen0)) allocation request(s) meanwhile ($((refused1 - refused0)) refused as not granted) and its endpoints gauge went $gauge0 -> $gauge1; status on c: $st"
}

print_figures() {
  log "figures (one line per relay run; CPU is the relay process's utime+stime during the transfer):"
  printf '[tailnet]   %-6s %8s %8s %10s %10s %10s\n' relay MiB seconds Mbit/s "CPU s" "CPU s/GB"
  while read -r kind m s r c g; do
    printf '[tailnet]   %-6s %8s %8s %10s %10s %10s\n' "$kind" "$m" "$s" "$r" "$c" "$g"
  done < "$work/figures"
}
