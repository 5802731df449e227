#!/usr/bin/env bash
# Syscalls per forwarded packet, for run.sh --strace: every relay of TARGETS again, each under
# `strace -f -c` (all threads), one short paced and one maximum run, then calls divided by the
# datagrams the generator got through it (probe, warm-ups and refreshes included). strace slows
# the relay many times over: the rates of this run mean nothing, only the counts per packet do.
#
#   strace.sh GEN TARGETS WORKDIR BASE          prints a markdown table on stdout
set -euo pipefail
gen=$1 targets=$2 work=$3 base=$4
command -v strace >/dev/null || { echo "(strace not installed: no syscall counts)"; exit 0; }
st=$work/targets-strace
: > "$st"
while IFS='|' read -r name kind port extra cmd; do
  echo "$name|$kind|$port|$extra|strace -f -c -o $work/strace-$name.txt $cmd" >> "$st"
done < "$targets"
taskset -c 0 "$gen" run --targets "$st" --keys "$work/clients.keys" --base "$base" --logs "$work" \
  --cases 30000/512/100,max/512/1 --rounds 1 --seconds 2s --latency-rounds 0 \
  > /dev/null 2> "$work/strace-run.log" || { tail -20 "$work/strace-run.log" >&2; exit 1; }
echo
echo "Syscalls per forwarded packet (strace -f -c, all threads; one run of 30k/512B/100 and one of max/512B/1, 2 s each;"
echo "datagrams per recvmmsg/ReadBatch call = the read batch the relay got):"
echo
echo "| relay | forwarded | syscalls/pkt | recvmmsg+recvmsg+recvfrom /pkt | sendmmsg+sendmsg+sendto /pkt | epoll_wait /pkt | futex /pkt | pkts per receive call | top calls |"
echo "|---|--:|--:|--:|--:|--:|--:|--:|---|"
while IFS='|' read -r name _; do
  fwd=$(awk -v n="$name" '$1 == "[bench]" && $2 == "total" && $3 == n {print $5}' "$work/strace-run.log")
  f=$work/strace-$name.txt
  [ -s "$f" ] && [ "${fwd:-0}" -gt 0 ] || { echo "| $name | no strace output | | | | | | | |"; continue; }
  # strace -c columns: % time, seconds, usecs/call, calls, [errors], syscall (the last field).
  awk -v name="$name" -v fwd="$fwd" '
    $1 ~ /^[0-9.]+$/ && NF >= 5 && $NF != "total" { calls[$NF] += $4; total += $4 }
    END {
      recv = calls["recvmmsg"] + calls["recvmsg"] + calls["recvfrom"]
      send = calls["sendmmsg"] + calls["sendmsg"] + calls["sendto"]
      ep = calls["epoll_wait"] + calls["epoll_pwait"]
      n = 0; for (c in calls) { order[++n] = c }
      for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (calls[order[j]] > calls[order[i]]) { t = order[i]; order[i] = order[j]; order[j] = t }
      top = ""; for (i = 1; i <= 4 && i <= n; i++) top = top sprintf("%s%s %d", (i > 1 ? ", " : ""), order[i], calls[order[i]])
      printf "| %s | %d | %.2f | %.3f | %.3f | %.3f | %.3f | %.1f | %s |\n", name, fwd, total / fwd, recv / fwd, send / fwd, ep / fwd, calls["futex"] / fwd, (recv > 0 ? fwd / recv : 0), top
    }' "$f"
done < "$targets"
