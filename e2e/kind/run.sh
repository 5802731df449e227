#!/usr/bin/env bash
# The kind end-to-end test: a real two-node cluster (e2e/kind/cluster.sh), the project's images
# built from the Dockerfile and loaded, the Helm chart installed, and relay pods run by the real
# kubelet. Checks, in order:
#   1. a PeerRelay with NodeAddress exposure and a RelayGrant become Ready;
#   2. two client pods `peer-relay ping` each other through the relay pod; its metrics moved;
#   3. keys outside the grant are refused; with a ping running, the grant gains them, the change
#      reaches the pod through the kubelet's ConfigMap update, they get through, and the running
#      session is not interrupted;
#   4. `kubectl scale` to 2 (one relay per node) and a template change that rolls one replica at
#      a time by real readiness; `kubectl scale` back to 1;
#   4b. (on by default; PEERRELAY_KIND_LB=0 skips it) a PeerRelay with LoadBalancer exposure:
#      MetalLB (e2e/kind/metallb.sh, L2 mode) gives its Service an address on the kind network,
#      the operator advertises it, and two clients outside the cluster (containers on the kind
#      network, so ARP on the bridge is what finds the address) ping each other through it;
#   5. a PeerRelay in a `restricted` namespace reports PodSecurityBlocked;
#   6. deleting the PeerRelays and the Helm release leaves none of their objects behind.
# The cluster is deleted at the end (KIND_KEEP=1 keeps it); the Docker daemon stays for the next run.
#   e2e/kind/run.sh            RELAY_TARGET=relay-jvm (default) or relay (native; GitHub Actions)
set -euo pipefail
lb=${PEERRELAY_KIND_LB:-1}
export KIND_CLUSTER=${KIND_CLUSTER:-peerrelay-e2e}
klog_tag=kind-e2e
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$kind_root"
ns=relays
locked=relays-restricted
t0=$SECONDS
stage() { klog "==== $* [$((SECONDS - t0)) s]"; }
fail() { klog "FAIL: $*"; exit 1; }

diagnose() {
  klog "diagnostics after a failure:"
  kubectl get nodes,pr,relaygrants,sts,pods,svc,cm -A -o wide 2>&1 | sed 's/^/    /' || true
  kubectl get events -A --sort-by=.lastTimestamp 2>/dev/null | tail -30 | sed 's/^/    /' || true
  kubectl -n peerrelay-system logs deploy/peerrelay --tail=100 2>&1 | sed 's/^/    /' || true
  kubectl -n "$ns" logs -l peerrelay.io/relay=e2e --tail=50 2>&1 | sed 's/^/    /' || true
}
finish() {
  local rc=$?
  [ "$rc" = 0 ] || diagnose
  if [ "${KIND_KEEP:-0}" = 1 ]; then
    klog "KIND_KEEP=1: cluster $KIND_CLUSTER kept; $("$kind_here/cluster.sh" env)"
  else
    ktimed "deleting cluster $KIND_CLUSTER" "$kind_here/cluster.sh" down
  fi
  klog "$( [ "$rc" = 0 ] && echo PASS || echo FAILED) in $((SECONDS - t0)) s"
}
trap finish EXIT
# Killed or interrupted is a failure, not the PASS an exit status of 0 would print.
trap 'exit 143' TERM
trap 'exit 130' INT

stage "cluster"
"$kind_here/cluster.sh" up
kind_tools
stage "images"
"$kind_here/build-images.sh"

stage "helm install (chart helm/peerrelay, local images)"
ktimed "helm install" helm upgrade --install --take-ownership peerrelay helm/peerrelay -n peerrelay-system --create-namespace \
  --set image.repository=peerrelay/operator --set image.tag=e2e --set image.pullPolicy=Never \
  --set relayImage.repository=peerrelay/relay --set relayImage.tag=e2e --wait --timeout 5m
if [ "$lb" = 1 ]; then
  # MetalLB's images and manifests go in while stages 1-4 run; stage 4b waits for it.
  lb_log=$(mktemp)
  "$kind_here/metallb.sh" install > "$lb_log" 2>&1 &
  lb_pid=$!
fi
kubectl create namespace "$ns" --dry-run=client -o yaml | kubectl apply -f - >/dev/null
# Relay pods use hostNetwork: the namespace must allow it.
kubectl label namespace "$ns" pod-security.kubernetes.io/enforce=privileged --overwrite >/dev/null

declare -A priv pub
keys=$(mktemp -d)
# Four client key pairs from the relay image's own keygen, in parallel (each is a JVM start).
# (Their own pids: a bare `wait` would also wait for MetalLB's install in the background.)
kpids=()
for k in a b c d; do docker run --rm peerrelay/relay:e2e keygen > "$keys/$k" & kpids+=($!); done
wait "${kpids[@]}"
for k in a b c d; do
  out=$(cat "$keys/$k")
  priv[$k]=$(grep -o 'discoprivkey:[0-9a-f]*' <<<"$out"); pub[$k]=$(grep -o 'discokey:[0-9a-f]*' <<<"$out")
  [ -n "${priv[$k]}" ] && [ -n "${pub[$k]}" ] || fail "peer-relay keygen printed no key pair: $out"
done
rm -rf "$keys"

grant() { # grant KEY...: the RelayGrant for the e2e pool with these clients' keys
  local keys=() k
  for k in "$@"; do keys+=("\"${pub[$k]}\""); done
  kubectl -n "$ns" apply -f - >/dev/null <<YAML
apiVersion: peerrelay.io/v1alpha1
kind: RelayGrant
metadata: {name: e2e-clients}
spec:
  src:
    - clientKeys: [$(IFS=,; echo "${keys[*]}")]
  dst:
    selector: {matchLabels: {peerrelay.io/pool: e2e}}
YAML
}

stage "1. PeerRelay (NodeAddress) and RelayGrant"
grant a b
kubectl -n "$ns" apply -f - <<YAML
apiVersion: peerrelay.io/v1alpha1
kind: PeerRelay
metadata:
  name: e2e
  labels: {peerrelay.io/pool: e2e}
spec:
  replicas: 1
  image: peerrelay/relay:e2e
  imagePullPolicy: Never
  exposure: {type: NodeAddress, nodeAddressType: InternalIP}
YAML
ktimed "PeerRelay e2e Ready" kubectl -n "$ns" wait --for=condition=Ready peerrelay/e2e --timeout=300s
kubectl -n "$ns" get peerrelay e2e -o wide
relay_of() { # relay_of INDEX: "ENDPOINT SERVER_KEY POD" of a replica
  local e s p
  e=$(kubectl -n "$ns" get peerrelay e2e -o jsonpath="{.status.endpoints[?(@.replica==$1)].address}")
  s=$(kubectl -n "$ns" get peerrelay e2e -o jsonpath="{.status.replicaStatuses[?(@.index==$1)].publicKey}")
  p=$(kubectl -n "$ns" get peerrelay e2e -o jsonpath="{.status.replicaStatuses[?(@.index==$1)].podName}")
  echo "${e%% *} $s $p"
}
read -r endpoint server pod <<<"$(relay_of 0)"
[ -n "$endpoint" ] && [ -n "$server" ] || fail "PeerRelay status has no endpoint/public key for replica 0"
kind_assert_local "${endpoint%:*}"
klog "replica 0: pod $pod, endpoint $endpoint (its node's InternalIP), server key $server"

# ping_pair NAME X Y ENDPOINT SERVER [ping options]: client pods X->Y and Y->X; waits for both.
start_pair() {
  local name=$1 x=$2 y=$3 ep=$4 sk=$5; shift 5
  kubectl -n "$ns" delete pod "$name-$x" "$name-$y" --ignore-not-found --wait=true >/dev/null
  local me peer
  for me in "$x" "$y"; do
    peer=$([ "$me" = "$x" ] && echo "$y" || echo "$x")
    kubectl -n "$ns" run "$name-$me" --image peerrelay/relay:e2e --image-pull-policy=Never --restart=Never \
      --labels=e2e-client=true -- ping --relay "$ep" --server-key "$sk" --key "${priv[$me]}" \
      --peer "${pub[$peer]}" "$@" >/dev/null
  done
}
finished() { # finished POD: prints Succeeded/Failed once the pod ended
  local phase
  for _ in $(seq 1 "${2:-180}"); do
    phase=$(kubectl -n "$ns" get pod "$1" -o jsonpath='{.status.phase}' 2>/dev/null || true)
    case "$phase" in Succeeded|Failed) echo "$phase"; return ;; esac
    sleep 1
  done
  echo Timeout
}
expect_pair() { # expect_pair NAME X Y Succeeded|Failed
  local p r
  for p in "$1-$2" "$1-$3"; do
    r=$(finished "$p")
    kubectl -n "$ns" logs "$p" 2>&1 | tail -4 | sed "s/^/    $p: /"
    [ "$r" = "$4" ] || fail "client pod $p: $r, expected $4"
  done
}
forwarded() { # forwarded POD [HTTP_PORT]: the relay's forwarded-packet counter, through the API server's pod proxy
  kubectl get --raw "/api/v1/namespaces/$ns/pods/$1:${2:-9090}/proxy/metrics" \
    | awk '/^tailscaled_peer_relay_forwarded_packets_total/ {s += $2} END {printf "%d\n", s}'
}

stage "2. two client pods ping each other through the relay pod"
before=$(forwarded "$pod")
start_pair ping a b "$endpoint" "$server" --count 5 --timeout 90s
expect_pair ping a b Succeeded
after=$(forwarded "$pod")
klog "relay forwarded packets: $before -> $after"
[ "$after" -gt "$before" ] || fail "the relay's tailscaled_peer_relay_forwarded_packets_total did not move"

stage "3. grant change reaches the running pod through the kubelet; the running session survives"
start_pair denied c d "$endpoint" "$server" --count 1 --timeout 15s
expect_pair denied c d Failed
klog "keys c, d outside the grant: refused, as they must be"
reloads_before=$(kubectl get --raw "/api/v1/namespaces/$ns/pods/$pod:9090/proxy/metrics" | awk '/^peerrelay_config_reloads_total\{result="ok"/ {print $2+0}')
start_pair long a b "$endpoint" "$server" --count 60 --interval 1s --timeout 180s --linger 5s
# Under load the scheduler and kubelet take tens of seconds to start a pod: count from its start.
kubectl -n "$ns" wait --for=condition=Ready pod/long-a pod/long-b --timeout=180s >/dev/null \
  || fail "the long ping's client pods did not start"
# The log is read into a variable before grep: under pipefail, `kubectl logs | grep -q` fails when
# grep exits at its first match while kubectl still writes (SIGPIPE), which once failed this check
# right after the loop had seen a pong.
long_pong() { local out; out=$(kubectl -n "$ns" logs long-a 2>/dev/null) || return 1; grep -qi pong <<<"$out"; }
ponged=false
for _ in $(seq 1 60); do
  long_pong && { ponged=true; break; }
  sleep 1
done
$ponged || fail "the long ping a<->b got no pong within 60 s of its pods being Ready"
t_change=$SECONDS
grant a b c d
klog "grant now holds a, b, c, d; waiting for the kubelet to update the relay's mounted config"
ok=""
for i in $(seq 1 12); do
  start_pair granted c d "$endpoint" "$server" --count 2 --timeout 15s
  if [ "$(finished granted-c)" = Succeeded ] && [ "$(finished granted-d)" = Succeeded ]; then ok=$i; break; fi
done
[ -n "$ok" ] || fail "keys c, d still refused after the grant change"
klog "c <-> d through the relay $((SECONDS - t_change)) s after the grant change (attempt $ok)"
reloads_after=$(kubectl get --raw "/api/v1/namespaces/$ns/pods/$pod:9090/proxy/metrics" | awk '/^peerrelay_config_reloads_total\{result="ok"/ {print $2+0}')
klog "relay config reloads (ok): ${reloads_before:-0} -> ${reloads_after:-0}"
expect_pair long a b Succeeded
klog "the a <-> b session ran through the change: every one of its 60 pings was answered"
[ "$(kubectl -n "$ns" get pod "$pod" -o jsonpath='{.status.containerStatuses[0].restartCount}')" = 0 ] \
  || fail "the relay container restarted: the change must be a live reload"

stage "4. kubectl scale 1 -> 2, rolling template change, scale 2 -> 1"
ready_count() {
  kubectl -n "$ns" get pods -l peerrelay.io/relay=e2e \
    -o jsonpath='{range .items[*]}{.metadata.name}={.status.conditions[?(@.type=="Ready")].status}{"\n"}{end}' | grep -c '=True' || true
}
kubectl -n "$ns" scale peerrelay e2e --replicas=2
for _ in $(seq 1 240); do
  [ "$(kubectl -n "$ns" get peerrelay e2e -o jsonpath='{.status.readyReplicas}')" = 2 ] && break; sleep 1
done
kubectl -n "$ns" get pods -l peerrelay.io/relay=e2e -o wide
[ "$(ready_count)" = 2 ] || fail "scaled to 2 but $(ready_count) relay pods are Ready"
read -r endpoint1 server1 pod1 <<<"$(relay_of 1)"
kind_assert_local "${endpoint1%:*}"
start_pair ping1 a b "$endpoint1" "$server1" --count 3 --timeout 90s
expect_pair ping1 a b Succeeded
klog "replica 1 ($pod1, $endpoint1) relays too"

uids() { kubectl -n "$ns" get pods -l peerrelay.io/relay=e2e -o jsonpath='{range .items[*]}{.metadata.uid}{" "}{end}'; }
old=$(uids)
kubectl -n "$ns" patch peerrelay e2e --type=merge -p '{"spec":{"podAnnotations":{"e2e/rollout":"1"}}}'
min_ready=2; samples=0; done_at=""
for _ in $(seq 1 300); do
  r=$(ready_count); samples=$((samples + 1))
  [ "$r" -lt "$min_ready" ] && min_ready=$r
  now=$(uids); replaced=0
  for u in $now; do grep -qw "$u" <<<"$old" || replaced=$((replaced + 1)); done
  if [ "$replaced" = 2 ] && [ "$r" = 2 ]; then done_at=$SECONDS; break; fi
  sleep 1
done
[ -n "$done_at" ] || fail "the template change did not roll both replicas to Ready"
klog "rolled both replicas; fewest Ready at any of $samples samples: $min_ready"
[ "$min_ready" -ge 1 ] || fail "both replicas were down at once during the rollout"
kubectl -n "$ns" scale peerrelay e2e --replicas=1
for _ in $(seq 1 120); do
  [ -z "$(kubectl -n "$ns" get sts,pods -l peerrelay.io/relay=e2e,peerrelay.io/replica=1 -o name 2>/dev/null)" ] && break; sleep 1
done
[ -z "$(kubectl -n "$ns" get sts,pods -l peerrelay.io/relay=e2e,peerrelay.io/replica=1 -o name)" ] \
  || fail "scaled to 1 but replica 1's StatefulSet or pod is still there"
kubectl -n "$ns" wait --for=condition=Ready peerrelay/e2e --timeout=120s >/dev/null
klog "scaled back to 1: replica 1 is gone, the PeerRelay is Ready"

if [ "$lb" = 1 ]; then
  stage "4b. LoadBalancer exposure through MetalLB (L2 on the kind bridge)"
  . "$kind_here/run-lb.sh"
else
  klog "SKIPPED stage 4b, LoadBalancer exposure (PEERRELAY_KIND_LB=$lb)"
fi

stage "5. a restricted namespace: PodSecurityBlocked"
kubectl create namespace "$locked" --dry-run=client -o yaml | kubectl apply -f - >/dev/null
kubectl label namespace "$locked" pod-security.kubernetes.io/enforce=restricted --overwrite >/dev/null
kubectl -n "$locked" apply -f - <<YAML
apiVersion: peerrelay.io/v1alpha1
kind: PeerRelay
metadata: {name: blocked}
spec:
  replicas: 1
  exposure: {type: NodeAddress, nodeAddressType: InternalIP}
YAML
reason=""
for _ in $(seq 1 120); do
  reason=$(kubectl -n "$locked" get peerrelay blocked -o jsonpath='{.status.conditions[?(@.type=="Ready")].reason}')
  [ "$reason" = PodSecurityBlocked ] && break; sleep 1
done
kubectl -n "$locked" get peerrelay blocked -o jsonpath='{.status.conditions[?(@.type=="Ready")].message}'; echo
[ "$reason" = PodSecurityBlocked ] || fail "Ready reason in the restricted namespace: '$reason', expected PodSecurityBlocked"

stage "6. delete leaves nothing behind"
kubectl -n "$ns" delete pod -l e2e-client=true --wait=true >/dev/null
kubectl -n "$ns" delete peerrelay e2e --wait=true
[ "$lb" != 1 ] || kubectl -n "$ns" delete peerrelay e2e-lb --wait=true --ignore-not-found
kubectl -n "$locked" delete peerrelay blocked --wait=true
kubectl -n "$ns" delete relaygrant e2e-clients
left=""
for _ in $(seq 1 120); do
  left=$(kubectl get sts,pods,svc,cm,secrets,pdb -A -l app.kubernetes.io/managed-by=peerrelay-operator -o name 2>/dev/null)
  [ -z "$left" ] && break; sleep 1
done
[ -z "$left" ] || fail "left behind after deleting the PeerRelays: $left"
ktimed "helm uninstall" helm uninstall peerrelay -n peerrelay-system --wait
for _ in $(seq 1 90); do
  left=$(kubectl -n peerrelay-system get deploy,pods,sa,roles,rolebindings -o name 2>/dev/null | grep -v 'serviceaccount/default' || true)
  left+=$(kubectl get clusterroles,clusterrolebindings -o name | grep -i peerrelay || true)
  [ -z "$left" ] && break; sleep 1
done
[ -z "$left" ] || fail "left behind after helm uninstall: $left"
klog "nothing left of the release or the PeerRelays (the CRDs stay, as Helm keeps CRDs)"
