# shellcheck shell=bash
# Shared by the e2e scripts (sourced): logging with stage times, one exit/Ctrl-C pattern that runs
# the registered cleanups once, background processes stopped on exit, wait_for, network-namespace
# helpers and the "address is ours" check. Set E2E_TAG (the log prefix) before sourcing.
#
# Exit codes: 0 pass, 1 fail, 130 Ctrl-C (143 SIGTERM), E2E_SKIP (77) when the script cannot run
# here (no root, no network namespaces); e2e/test-all.sh reports 77 as SKIPPED, not as a failure.

[ -z "${E2E_LIB_LOADED:-}" ] || return 0 # sourced twice (quickstart, then e2e/kind/lib.sh)
E2E_LIB_LOADED=1
E2E_SKIP=77
E2E_TAG=${E2E_TAG:-e2e}
log() { printf '[%s] %s\n' "$E2E_TAG" "$*" >&2; }
# die and skip write to fd 3 where it is open: inside a wait_for condition, whose own output goes
# to /dev/null, fd 3 is the script's stderr. (fd 3 is not opened for the whole script: a daemon
# started by a script would inherit it and hold a caller's pipe open.)
e2e_say() { { printf '[%s] %s\n' "$E2E_TAG" "$*" >&3; } 2>/dev/null || printf '[%s] %s\n' "$E2E_TAG" "$*" >&2; }
die() { e2e_say "FAIL: $*"; exit 1; }
skip() { e2e_say "SKIPPED: $*"; exit "$E2E_SKIP"; }

e2e_stage_t=$SECONDS
# stage MESSAGE: one line per finished stage, with the seconds since the previous one.
stage() { log "$* ($((SECONDS - e2e_stage_t)) s)"; e2e_stage_t=$SECONDS; }

# --- exit and Ctrl-C ----------------------------------------------------------------------------
# on_exit CMD...: registers a cleanup; cleanups run once, newest first, on every exit (pass, fail,
# Ctrl-C, SIGTERM), after the processes started with spawn are stopped. A cleanup sees the exit
# code in E2E_RC and may set it (the leftover check fails a run that otherwise passed).
e2e_cleanups=()
e2e_pids=()
e2e_exiting=false
on_exit() { e2e_cleanups+=("$*"); }
e2e_on_exit() {
  E2E_RC=$?
  $e2e_exiting && return
  e2e_exiting=true
  trap '' INT TERM # a second Ctrl-C does not cut the cleanup short
  case $E2E_RC in 130 | 143) log "interrupted: stopping what this run started" ;; esac
  stop_all
  local i
  for ((i = ${#e2e_cleanups[@]} - 1; i >= 0; i--)); do eval "${e2e_cleanups[$i]}" || true; done
  exit "$E2E_RC"
}
trap e2e_on_exit EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# spawn LOG CMD...: starts CMD in the background, output to LOG; its pid goes to LAST_PID and is
# stopped on exit. CMD must exec its program (ip netns exec, env and timeout do), so that the pid
# is the program's own and not a subshell's that would leave the program running.
spawn() {
  local out=$1
  shift
  "$@" > "$out" 2>&1 &
  LAST_PID=$!
  e2e_pids+=("$LAST_PID")
}

# stop_all: SIGTERM to every process spawned, SIGKILL to those still alive after 5 s.
stop_all() {
  local pid alive
  [ ${#e2e_pids[@]} -gt 0 ] || return 0
  for pid in "${e2e_pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for _ in $(seq 1 50); do
    alive=0
    for pid in "${e2e_pids[@]}"; do kill -0 "$pid" 2>/dev/null && alive=1; done
    [ $alive = 0 ] && break
    sleep 0.1
  done
  for pid in "${e2e_pids[@]}"; do kill -9 "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; done
  e2e_pids=()
}

# wait_for SECONDS WHAT CMD...: polls CMD every 200 ms; fails the run naming WHAT on timeout.
wait_for() {
  local limit=$1 what=$2
  shift 2
  local end=$((SECONDS + limit))
  until "$@" 3>&2 >/dev/null 2>&1; do
    [ $SECONDS -lt $end ] || die "$what not within $limit s"
    sleep 0.2
  done
}

# show_logs DIR...: the tail of every *.log under DIR (one level deep), for a failed run.
show_logs() {
  local f
  for f in "$@"; do
    [ -f "$f" ] && { echo "----- $f" >&2; tail -n 25 "$f" >&2; }
  done
  return 0
}

# work_dir NAME: a temporary directory for this run, deleted on exit; its logs are shown first
# when the run fails (not on Ctrl-C or a skip).
work_dir() {
  E2E_WORK=$(mktemp -d "${TMPDIR:-/tmp}/peerrelay-$1.XXXXXX")
  on_exit "rm -rf '$E2E_WORK'"
  on_exit "case \$E2E_RC in 0|130|143|$E2E_SKIP) ;; *) show_logs '$E2E_WORK'/*.log '$E2E_WORK'/*/*.log ;; esac"
  echo "$E2E_WORK"
}

# --- network namespaces -------------------------------------------------------------------------
# Namespaces are named "$E2E_NS-NAME" and interfaces "$E2E_NS<name>" (the caller sets E2E_NS, a
# per-run prefix short enough for 15-character interface names).
ns() { echo "$E2E_NS-$1"; }
inns() { local n=$1; shift; ip netns exec "$(ns "$n")" "$@"; }

# need_netns: skips the run unless this machine lets us make network namespaces and use iptables.
need_netns() {
  [ "$(id -u)" = 0 ] || skip "needs root (network namespaces, iptables)"
  command -v ip >/dev/null || die "ip missing (apt-get install iptables iproute2, or e2e/install-deps.sh)"
  command -v iptables >/dev/null || die "iptables missing (apt-get install iptables, or e2e/install-deps.sh)"
}

# netns_add NAME...: makes the namespaces (loopback up), deleted on exit; skips the run when the
# kernel or the sandbox refuses (a container without CAP_SYS_ADMIN, no /run/netns).
netns_add() {
  local n err
  for n in "$@"; do
    err=$(ip netns add "$(ns "$n")" 2>&1) \
      || skip "cannot make network namespaces here (ip netns add $(ns "$n"): $err)"
    on_exit "ip netns del '$(ns "$n")' 2>/dev/null"
    ip -n "$(ns "$n")" link set lo up
  done
}

# veth IF_A NS_A IF_B NS_B: a cable between two namespaces (deleted with them).
veth() {
  ip link add "$E2E_NS$1" type veth peer name "$E2E_NS$3"
  ip link set "$E2E_NS$1" netns "$(ns "$2")"
  ip link set "$E2E_NS$3" netns "$(ns "$4")"
  ip -n "$(ns "$2")" link set "$E2E_NS$1" up
  ip -n "$(ns "$4")" link set "$E2E_NS$3" up
}

# make_bridge NS IF...: a bridge br0 in NS with the interfaces IF (already in NS) as its ports.
make_bridge() {
  local n=$1 i
  shift
  ip -n "$(ns "$n")" link add br0 type bridge
  ip -n "$(ns "$n")" link set br0 up
  for i in "$@"; do ip -n "$(ns "$n")" link set "$E2E_NS$i" master br0; done
}

# hard_nat SIDE: namespace natSIDE masquerades its LAN (interface SIDEl) onto its WAN (SIDEw) with
# a random source port per mapping, and lets in only replies to what the LAN sent.
hard_nat() {
  local n=nat$1
  inns "$n" sysctl -qw net.ipv4.ip_forward=1
  inns "$n" iptables -t nat -A POSTROUTING -o "$E2E_NS${1}w" -j MASQUERADE --random-fully
  inns "$n" iptables -A FORWARD -i "$E2E_NS${1}l" -j ACCEPT
  inns "$n" iptables -A FORWARD -m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT
  inns "$n" iptables -P FORWARD DROP
}

# --- the address safety check -------------------------------------------------------------------
# own NS IF ADDR: ADDR is on interface IF that this run made in namespace NS, or the run stops.
own() {
  ip -n "$(ns "$1")" -o addr show dev "$E2E_NS$2" 2>/dev/null | grep -E "inet6? $3/" >/dev/null \
    || die "address $3 is not on interface $E2E_NS$2 in namespace $(ns "$1"): the tests send only to addresses of interfaces they made"
}

# loopback ADDR: ADDR (127.0.0.0/8 or ::1) is a loopback address of this host, or the run stops.
loopback() {
  case "$1" in
    127.*) ip -4 -o addr show dev lo | grep "inet 127\." >/dev/null ;;
    ::1) ip -6 -o addr show dev lo | grep "inet6 ::1/" >/dev/null ;;
    *) false ;;
  esac || die "address $1 is not a loopback address of this host: the tests send only to loopback or to interfaces they made"
}

# --- stages of a whole run ----------------------------------------------------------------------
e2e_times=()
# timed NAME CMD...: runs CMD as one stage of a run; records its time and result (PASS, FAIL rc,
# SKIPPED) for print_times. Returns CMD's exit code, 0 for a skip.
timed() {
  local name=$1 t=$SECONDS rc=0 result=PASS
  shift
  e2e_cut_short
  log "---- $name"
  e2e_running=$name e2e_running_t=$t
  "$@" || rc=$?
  e2e_running=""
  case $rc in 0) ;; "$E2E_SKIP") result=SKIPPED rc=0 ;; *) result="FAIL (exit $rc)" ;; esac
  e2e_times+=("$(printf '%-28s %5d s  %s' "$name" $((SECONDS - t)) "$result")")
  log "---- $name: $((SECONDS - t)) s, $result"
  return $rc
}
# not_run NAME REASON: a stage that was not started, in the table.
not_run() {
  log "SKIPPED $1: $2"
  e2e_times+=("$(printf '%-28s %5s    SKIPPED (%s)' "$1" - "$2")")
}
# e2e_cut_short: a stage still marked running was cut short by an exit (Ctrl-C); it goes into the
# table as such (called from an exit trap, by the next timed or by print_times).
e2e_running=""
e2e_cut_short() {
  [ -z "$e2e_running" ] \
    || e2e_times+=("$(printf '%-28s %5d s  %s' "$e2e_running" $((SECONDS - e2e_running_t)) "STOPPED (exit ${E2E_RC:-?})")")
  e2e_running=""
}
print_times() {
  e2e_cut_short
  [ ${#e2e_times[@]} -gt 0 ] || return 0
  log "stage times:"
  local t
  for t in "${e2e_times[@]}"; do log "  $t"; done
}

# --- the Go test programs -----------------------------------------------------------------------
# go_cmd NAME: builds e2e/go/cmd/NAME (one module, tailscale.com pinned in its go.mod) into the
# tools cache, keyed by a digest of go.mod, go.sum, the program's and the shared internal
# packages' sources; prints the binary's path. A second run with the same sources builds nothing.
go_cmd() {
  local name=$1 mod
  mod=$(cd "$(dirname "${BASH_SOURCE[0]}")/go" && pwd)
  command -v go >/dev/null 2>&1 \
    || die "no Go toolchain on PATH: install Go >= 1.26.6 (official tarball from go.dev/dl; Debian's golang-go >= 1.21 also works, it fetches Go 1.26.6 itself) and run again"
  local digest
  digest=$(cd "$mod" && find go.mod go.sum "cmd/$name" internal -name '*.go' -o -name 'go.*' -type f \
    | LC_ALL=C sort | xargs cat | sha256sum | cut -c1-10)
  local bin=${PEERRELAY_TOOLS_CACHE:-$HOME/.cache/peerrelay/tools}/$name-$digest/$name
  if [ ! -x "$bin" ]; then
    log "building e2e/go/cmd/$name (tailscale.com $(awk '$1 == "tailscale.com" {print $2}' "$mod/go.mod")) ..."
    local t=$SECONDS
    mkdir -p "$(dirname "$bin")"
    (cd "$mod" && CGO_ENABLED=0 GOFLAGS=-mod=mod go build -trimpath -ldflags "-s -w" -o "$bin.tmp" "./cmd/$name") >&2 \
      || die "building e2e/go/cmd/$name failed (see the go output above); the Go module proxy must be reachable on a cold cache"
    mv "$bin.tmp" "$bin"
    log "$name built in $((SECONDS - t)) s"
  fi
  echo "$bin"
}
