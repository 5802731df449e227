#!/usr/bin/env bash
# Side-by-side relay benchmark (project issue 11): our relay (JVM), Tailscale's relay server
# (net/udprelay.Server of tailscale.com v1.102.3) and a C recvmmsg/sendmmsg forwarder (the
# kernel-side ceiling), with the same sessions and the same load, in one run, one table.
# Loopback only (127.0.0.1). Not part of e2e/test-all.sh: it measures, it never fails on a number.
#
#   e2e/bench/run.sh [--quick | --full] [--out FILE] [--jar JAR] [--relay-cpu N] [--gen-cpu N]
#                    [--strace] [--cases LIST --rounds N --seconds DUR] [--variants ours,ours-nogro,...]
#
#   --quick   (default) 6 cases, 2 rounds of 2 s, 6 relays (4 JVM flag sets): 10-15 minutes (11 with 3 sets at load 25)
#   --full    every load (30k, 60k, max) x payload (64, 512, 1280) x sessions (1, 100, 1000),
#             2 rounds of 3 s, 8 relays (6 JVM flag sets, one change each): about 40 minutes
#   --strace  afterwards, one short run per relay under strace -c -f: syscalls per forwarded packet
#   --busy-cpu N  a CPU burner (a busy shell loop at normal priority) pinned to CPU N for the whole
#             run: the relay then shares its core (N = the relay's CPU) as on a busy host; the
#             table says so. For the loss target "with the machine's other core busy too".
#   --tailnet afterwards, the tailnet lab (e2e/tailnet/run.sh --relay both, root): bulk throughput
#             and relay CPU seconds per GB between two stock tailscaled behind hard NATs, through a
#             stock tailscaled relay and through ours; on by default with --full
#
# The relays run pinned to --relay-cpu (default 1), the generator to --gen-cpu (default 0).
# Builds the Go generator and the C forwarder into $PEERRELAY_TOOLS_CACHE (~/.cache/peerrelay/tools)
# keyed by their sources; builds the relay jar (mvn, offline) only when it is missing.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
cache=${PEERRELAY_TOOLS_CACHE:-$HOME/.cache/peerrelay/tools}
java=${JAVA_HOME:+$JAVA_HOME/bin/}java
jar=$root/relay-pod/target/quarkus-app/quarkus-run.jar
variants_arg="" mode=quick out="" relay_cpu=1 gen_cpu=0 do_strace=false do_tailnet="" busy_cpu="" cases="" rounds="" seconds=""
while [ $# -gt 0 ]; do
  case $1 in
    --quick) mode=quick ;;
    --full) mode=full ;;
    --out) out=$2; shift ;;
    --jar) jar=$2; shift ;;
    --relay-cpu) relay_cpu=$2; shift ;;
    --gen-cpu) gen_cpu=$2; shift ;;
    --strace) do_strace=true ;;
    --busy-cpu) busy_cpu=$2; shift ;;
    --tailnet) do_tailnet=true ;;
    --no-tailnet) do_tailnet=false ;;
    --cases) cases=$2; shift ;;
    --rounds) rounds=$2; shift ;;
    --seconds) seconds=$2; shift ;;
    --variants) variants_arg=$2; shift ;;
    *) echo "usage: $0 [--quick|--full] [--out FILE] [--jar JAR] [--relay-cpu N] [--gen-cpu N] [--strace] [--busy-cpu N] [--[no-]tailnet] [--cases LIST] [--rounds N] [--seconds DUR] [--variants LIST]" >&2; exit 2 ;;
  esac
  shift
done

log() { printf '[bench] %s\n' "$*" >&2; }
die() { printf '[bench] FAIL %s\n' "$*" >&2; exit 1; }
stage_start=$SECONDS
stage() { log "stage $(printf '%-28s' "$1") $((SECONDS - stage_start)) s (load average $(cut -d' ' -f1-3 /proc/loadavg))"; stage_start=$SECONDS; }

# Every datagram goes to 127.0.0.1: make sure it is this host's loopback before sending any.
ip -o -4 addr show dev lo 2>/dev/null | grep -q ' 127\.0\.0\.1/' || die "127.0.0.1 is not on lo: refusing to send"
[ "$(nproc)" -ge 2 ] || die "needs 2 cores (relay and generator pinned apart); this host has $(nproc)"
command -v go >/dev/null || die "no Go on PATH (need Go >= 1.26.6 for tailscale.com v1.102.3)"
command -v cc >/dev/null || die "no C compiler (cc) on PATH"
command -v taskset >/dev/null || die "no taskset (util-linux)"

if [ "$mode" = quick ]; then
  cases=${cases:-max/64/1,max/512/1,max/1280/1,60000/512/100,30000/1280/1000,max/512/1000,max/1280/1/gso,max/512/100/gso}
  rounds=${rounds:-2} seconds=${seconds:-2s}
  variants=(ours ours-nogro ours-mmsg32)
else
  if [ -z "$cases" ]; then
    for s in 1 100 1000; do for p in 64 512 1280; do for l in 30000 60000 max; do cases+="$l/$p/$s,"; done; done; done
    cases=${cases%,}
  fi
  rounds=${rounds:-2} seconds=${seconds:-3s}
  variants=(ours ours-nogro ours-mmsg32 ours-nogso ours-c2 ours-leak)
fi

[ -z "$variants_arg" ] || IFS=, read -r -a variants <<<"$variants_arg"

# --- build --------------------------------------------------------------------------------------
gen_digest=$(cat "$here"/gen/go.mod "$here"/gen/go.sum "$here"/gen/*.go | sha256sum | cut -c1-10)
gen=$cache/bench-gen-$gen_digest/bench
if [ ! -x "$gen" ]; then
  log "building the generator (Go, tailscale.com from gen/go.mod) ..."
  mkdir -p "$(dirname "$gen")"
  (cd "$here/gen" && CGO_ENABLED=0 GOFLAGS=-mod=mod go build -trimpath -o "$gen.tmp" .) || die "go build of e2e/bench/gen failed"
  mv "$gen.tmp" "$gen"
fi
cfwd_digest=$(sha256sum "$here/cfwd/cfwd.c" | cut -c1-10)
cfwd=$cache/bench-cfwd-$cfwd_digest/cfwd
if [ ! -x "$cfwd" ]; then
  mkdir -p "$(dirname "$cfwd")"
  cc -O2 -Wall -Wextra -Werror -o "$cfwd.tmp" "$here/cfwd/cfwd.c" || die "cc of e2e/bench/cfwd/cfwd.c failed"
  mv "$cfwd.tmp" "$cfwd"
fi
if [ ! -f "$jar" ]; then
  log "no relay jar at $jar: building it (mvn -B -ntp -o -pl relay-pod -am package -DskipTests) ..."
  (cd "$root" && mvn -B -ntp -o -q -pl relay-pod -am package -DskipTests) || die "the relay build failed"
fi
stage "build"

# --- relays --------------------------------------------------------------------------------------
work=$(mktemp -d "${TMPDIR:-/tmp}/peerrelay-bench.XXXXXX")
# PEERRELAY_BENCH_KEEP=1 keeps the folder (configs, relay logs, the table) for a look afterwards.
busy_pid=""
cleanup() {
  [ -z "$busy_pid" ] || kill "$busy_pid" 2>/dev/null || true
  if [ "${PEERRELAY_BENCH_KEEP:-}" = 1 ]; then log "kept $work"; else rm -rf "$work"; fi
}
trap cleanup EXIT
max_sessions=$(tr ',' '\n' <<<"$cases" | cut -d/ -f3 | sort -n | tail -1)
"$gen" keygen $((2 * max_sessions + 2)) > "$work/clients.keys"
"$gen" keygen 1 > "$work/relay.keys"
cut -d' ' -f1 "$work/relay.keys" > "$work/relay.key"
relay_pub=$(cut -d' ' -f2 "$work/relay.keys")
base=$("$gen" freerange $((2 * max_sessions + 2)))

# write_config NAME: a relay config on fresh ports granting every client key; prints the UDP port.
write_config() {
  local udp http
  udp=$("$gen" freeport)
  http=$("$gen" freeport)
  {
    echo "version: 1"
    echo "udpPort: $udp"
    echo "httpPort: $http"
    echo "keyFile: relay.key"
    echo "advertisedEndpoints: [127.0.0.1:$udp]"
    echo "allowedClientKeys:"
    cut -d' ' -f2 "$work/clients.keys" | sed 's/^/  - /'
    echo "lifetimes: {bind: 5m, steadyState: 1h, gcInterval: 30s}"
    echo "limits: {maxSessions: 100000, handshakesPerSecondPerSource: 100000, handshakeBurstPerSource: 100000}"
    echo "shutdown: {drain: 0s}"
  } > "$work/$1.yaml"
  echo "$udp"
}

# What the relay image's entrypoint runs (Dockerfile, relay-jvm stage: PEERRELAY_JAVA_OPTS), with
# the CDS archive made below instead of the image's.
image_flags=$("$root/e2e/image-java-opts.sh") || die "no relay JVM flags from the Dockerfile"

# A class-data-sharing archive of the relay's own classes (JDK 13+ dynamic archive), for the
# variants that use it: one serve run with the image's flags that exits on SIGTERM writes it.
cds=$work/relay.jsa
make_cds() {
  write_config cds > /dev/null
  # shellcheck disable=SC2086 # the flags are words
  "$java" $image_flags -XX:ArchiveClassesAtExit="$cds" -jar "$jar" serve --config "$work/cds.yaml" --bind-v4 127.0.0.1 --no-ipv6 --threads 1 \
    > "$work/cds.log" 2>&1 &
  local pid=$! i
  for i in $(seq 1 300); do grep -q 'serving as' "$work/cds.log" && break; sleep 0.2; done
  sleep 1
  kill -TERM "$pid"
  wait "$pid" || true
  [ -s "$cds" ] || { log "no CDS archive written (see $work/cds.log); the lean variants run without it"; return 1; }
}
cds_flag=""
make_cds && cds_flag="-XX:SharedArchiveFile=$cds"
stage "CDS archive"

image_flags="$image_flags $cds_flag"
declare -A jvm_flags=(
  [ours]="$image_flags"
  [ours-nogro]="$image_flags -Dpeerrelay.transport.gro=false"
  [ours-grorecvmsg]="$image_flags -Dpeerrelay.transport.gro-read=recvmsg"
  [ours-mmsg32]="$image_flags -Dpeerrelay.transport.gro=false -Dpeerrelay.transport.recvmmsg=32"
  [ours-nogso]="$image_flags -Dpeerrelay.transport.gso=false"
  [ours-c2]="${image_flags/-XX:TieredStopAtLevel=1 /}"
  [ours-c2hot]="${image_flags/-XX:TieredStopAtLevel=1 /} -XX:+UnlockDiagnosticVMOptions -XX:CompilerDirectivesFile=$here/c2-hot.json"
  [ours-c2-notraps]="${image_flags/-XX:TieredStopAtLevel=1 /} -XX:PerMethodTrapLimit=0"
  [ours-leak]="$image_flags -Dio.netty.leakDetection.level=simple"
  [ours-young-default]="${image_flags/-Xmn2m /}" # the JVM's young generation for -Xms16m, as before stop 17
  [ours-zeroed]="$image_flags -Dio.netty.tryReflectionSetAccessible=false" # pool chunks zeroed by the JDK, as before stop 17
  [ours-arena]="$image_flags -Dio.netty.allocator.maxCachedBufferCapacity=32768" # receive buffers from the arena, as before stop 17
  [ours-rchunk32]="$image_flags -Dio.netty.recycler.chunkSize=32" # Netty's recycler batch, as before stop 18
  [ours-nocheck]="$image_flags -Dio.netty.buffer.checkAccessible=false"
  [ours-spin20]="$image_flags -Dpeerrelay.transport.spin-us=20"
  [ours-spin50]="$image_flags -Dpeerrelay.transport.spin-us=50"
  [before]="${PEERRELAY_BENCH_BEFORE_FLAGS:--XX:MaxRAMPercentage=75}"
)
# PEERRELAY_BENCH_BEFORE_JAR=OLD/quarkus-run.jar with the variant "before": an older build with the
# image flags it shipped with, for before/after rows from one run; PEERRELAY_BENCH_BEFORE_FLAGS
# replaces those flags (e.g. today's image flags, to compare builds alone).
before_jar=${PEERRELAY_BENCH_BEFORE_JAR:-$jar}
pin="taskset -c $relay_cpu"
targets=$work/targets
: > "$targets"
for v in "${variants[@]}"; do
  udp=$(write_config "$v")
  j=$jar; [ "$v" = before ] && j=$before_jar
  [ -n "${jvm_flags[$v]+x}" ] || die "--variants: unknown variant $v (known: ${!jvm_flags[*]})"
  echo "$v|ours|$udp|$relay_pub|$pin $java ${jvm_flags[$v]} -jar $j serve --config $work/$v.yaml --bind-v4 127.0.0.1 --no-ipv6 --threads 1" >> "$targets"
done
ts_udp=$("$gen" freeport)
ts_api=$("$gen" freeport)
echo "tailscale|tailscale|$ts_udp|http://127.0.0.1:$ts_api|$pin $gen tsrelay --port $ts_udp --api 127.0.0.1:$ts_api" >> "$targets"
c_udp=$("$gen" freeport)
echo "cfwd|cfwd|$c_udp||$pin $cfwd $c_udp $base $((max_sessions + 1))" >> "$targets"

# --- the run ---------------------------------------------------------------------------------------
header() {
  echo "Run: $(date -u '+%Y-%m-%d %H:%M UTC'), \`e2e/bench/run.sh --$mode\` (cases $cases; $rounds rounds of $seconds)"
  echo
  echo "Machine: $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')), $(free -g | awk '/Mem:/ {print $2}') GiB, Linux $(uname -r),"
  echo "$("$java" -version 2>&1 | head -1), $(go version | cut -d' ' -f3), load average at start $(cut -d' ' -f1-3 /proc/loadavg)."
  echo "Relays pinned to CPU $relay_cpu, generator to CPU $gen_cpu (taskset); each relay one socket, one thread for UDP."
  echo
  echo "Paths: \`ours\` = java ${jvm_flags[ours]} -jar quarkus-run.jar serve (the image's flags); variants:"
  for v in "${variants[@]}"; do [ "$v" = ours ] || echo "\`$v\` = java ${jvm_flags[$v]//$work\//} ...;"; done
  echo "\`tailscale\` = udprelay.Server (tailscale.com v1.102.3, GOMAXPROCS 1 by the pinning); \`cfwd\` = e2e/bench/cfwd/cfwd.c (recvmmsg x64 MSG_WAITFORONE, sendmmsg);"
  echo "\`direct\` = the generator socket to socket, no relay: its own ceiling."
  echo
}
header > "$work/table.md"
if [ -n "$busy_cpu" ]; then
  taskset -c "$busy_cpu" sh -c 'while :; do :; done' &
  busy_pid=$!
  echo "A CPU burner (busy shell loop, nice 0) ran pinned to CPU $busy_cpu for the whole run." >> "$work/table.md"
  echo >> "$work/table.md"
fi
taskset -c "$gen_cpu" "$gen" run --targets "$targets" --keys "$work/clients.keys" --base "$base" --logs "$work" \
  --cases "$cases" --rounds "$rounds" --seconds "$seconds" >> "$work/table.md" \
  || { for f in "$work"/*.log; do echo "----- $f" >&2; tail -n 20 "$f" >&2; done; die "the run failed"; }
echo >> "$work/table.md"
echo "Load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)." >> "$work/table.md"
[ -z "$busy_pid" ] || { kill "$busy_pid" 2>/dev/null || true; wait "$busy_pid" 2>/dev/null || true; busy_pid=""; }
stage "run"

if $do_strace; then
  "$here/strace.sh" "$gen" "$targets" "$work" "$base" >> "$work/table.md"
  stage "strace"
fi
[ -n "$do_tailnet" ] || { [ "$mode" = full ] && do_tailnet=true || do_tailnet=false; }
if $do_tailnet; then
  "$here/tailnet-rows.sh" "$root" "$jar" "$work" >> "$work/table.md"
  stage "tailnet lab"
fi
cat "$work/table.md"
[ -z "$out" ] || cp "$work/table.md" "$out"
