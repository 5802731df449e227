#!/usr/bin/env bash
# The tailnet lab's side-by-side as a section of the bench table: two stock tailscaled behind hard
# NATs (network namespaces made by e2e/tailnet/run.sh) move one bulk transfer through a stock
# tailscaled peer relay and one through ours; the lab prints one figures line per relay.
#   e2e/bench/tailnet-rows.sh ROOT JAR WORKDIR   (markdown on stdout, the lab's log in WORKDIR)
set -euo pipefail
root=$1 jar=$2 work=$3
log="$work/tailnet-lab.log"
rc=0
"$root/e2e/tailnet/run.sh" --relay both --jar "$jar" > "$log" 2>&1 || rc=$?
echo
echo "### Tailnet lab: two stock tailscaled (v1.102.3) behind hard NATs, one bulk transfer through each relay"
echo
if [ "$rc" -eq 77 ]; then
  echo "Not run here: $(grep -m1 SKIPPED "$log" || echo "the lab skipped (exit 77)")."
  exit 0
elif [ "$rc" -ne 0 ]; then
  echo "The lab failed (exit $rc); its last lines:"
  echo; echo '```'; tail -n 15 "$log"; echo '```'
  exit 0
fi
# The lab's figures lines: "[tailnet]   <relay> <MiB> <seconds> <Mbit/s> <CPU s> <CPU s/GB>".
awk '/figures \(one line per relay run/ {on=1; next}
     on && $1 == "[tailnet]" && $2 != "relay" && NF == 7 {print $2, $3, $4, $5, $6, $7}' "$log" > "$work/tailnet.figures"
[ -s "$work/tailnet.figures" ] || { echo "The lab passed but printed no figures (see $log)."; exit 0; }
echo "| relay | MiB | seconds | Mbit/s | relay CPU s | relay CPU s/GB |"
echo "|---|--:|--:|--:|--:|--:|"
while read -r kind mib secs rate cpu pergb; do
  echo "| $kind | $mib | $secs | $rate | $cpu | $pergb |"
done < "$work/tailnet.figures"
awk '$1 == "stock" {sr=$4; sg=$6} $1 == "ours" {or=$4; og=$6}
     END { if (sr > 0 && sg > 0 && or > 0)
             printf "\nOurs / stock: %.2fx the throughput, %.2fx the relay CPU per GB.\n", or / sr, og / sg }' \
  "$work/tailnet.figures"
