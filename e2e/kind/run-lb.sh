# Stage 4b of e2e/kind/run.sh (sourced by it): a PeerRelay with LoadBalancer exposure. MetalLB
# gives the replica's Service an address from a pool on the kind network; the operator must
# advertise exactly that address; two clients outside the cluster, containers on the kind
# network, ping each other through it. Their traffic finds the address by ARP on the bridge
# (MetalLB's speaker answers), so this is the path a LAN client of a real cluster takes.
# shellcheck shell=bash
wait "$lb_pid" || { sed 's/^/    /' "$lb_log" >&2; fail "installing MetalLB (e2e/kind/metallb.sh install) failed"; }
sed 's/^/    /' "$lb_log" >&2
range=$("$kind_here/metallb.sh" pool)
# Ports of their own: replica 0 of PeerRelay e2e holds 40000/9090 on its node (hostNetwork).
lb_port=40100 lb_http=9190
kubectl -n "$ns" apply -f - <<YAML
apiVersion: peerrelay.io/v1alpha1
kind: PeerRelay
metadata:
  name: e2e-lb
  labels: {peerrelay.io/pool: e2e}
spec:
  replicas: 1
  image: peerrelay/relay:e2e
  imagePullPolicy: Never
  udpPort: $lb_port
  httpPort: $lb_http
  exposure: {type: LoadBalancer}
YAML
ktimed "PeerRelay e2e-lb Ready" kubectl -n "$ns" wait --for=condition=Ready peerrelay/e2e-lb --timeout=300s
kubectl -n "$ns" get peerrelay e2e-lb -o wide
kubectl -n "$ns" get svc -l peerrelay.io/relay=e2e-lb -o wide
lb_ip=$(kubectl -n "$ns" get svc -l peerrelay.io/relay=e2e-lb -o jsonpath='{.items[0].status.loadBalancer.ingress[0].ip}')
[ -n "$lb_ip" ] || fail "the LoadBalancer Service of e2e-lb got no address from MetalLB"
lb_ep=$(kubectl -n "$ns" get peerrelay e2e-lb -o jsonpath='{.status.endpoints[?(@.replica==0)].address}')
lb_key=$(kubectl -n "$ns" get peerrelay e2e-lb -o jsonpath='{.status.replicaStatuses[?(@.index==0)].publicKey}')
lb_pod=$(kubectl -n "$ns" get peerrelay e2e-lb -o jsonpath='{.status.replicaStatuses[?(@.index==0)].podName}')
[ "$lb_ep" = "$lb_ip:$lb_port" ] || fail "e2e-lb advertises '$lb_ep', expected its load balancer's $lb_ip:$lb_port"
lo=${range%-*} hi=${range#*-}
[ "${lb_ip##*.}" -ge "${lo##*.}" ] && [ "${lb_ip##*.}" -le "${hi##*.}" ] && [ "${lb_ip%.*}" = "${lo%.*}" ] \
  || fail "the Service's address $lb_ip is outside MetalLB's pool $range"
kind_assert_local "$lb_ip"
announcer=$(kubectl get servicel2statuses.metallb.io -A -o jsonpath='{.items[*].status.node}' 2>/dev/null || true)
klog "e2e-lb: Service address $lb_ip (pool $range, announced by ${announcer:-?}), endpoint $lb_ep, pod $lb_pod"

lb_before=$(forwarded "$lb_pod" "$lb_http")
lb_out=$(mktemp -d)
lb_pids=()
for me in a b; do
  peer=$([ "$me" = a ] && echo b || echo a)
  docker run --rm --network kind --name "$KIND_CLUSTER-lb-$me" peerrelay/relay:e2e ping --relay "$lb_ep" \
    --server-key "$lb_key" --key "${priv[$me]}" --peer "${pub[$peer]}" --count 5 --timeout 90s > "$lb_out/$me" 2>&1 &
  lb_pids+=($!)
done
lb_rc=0
for p in "${lb_pids[@]}"; do wait "$p" || lb_rc=$?; done
for me in a b; do tail -4 "$lb_out/$me" | sed "s/^/    lb-$me (container on the kind network): /" >&2; done
rm -rf "$lb_out"
[ "$lb_rc" = 0 ] || fail "the clients on the kind network could not ping each other through $lb_ep"
lb_after=$(forwarded "$lb_pod" "$lb_http")
klog "e2e-lb relay forwarded packets: $lb_before -> $lb_after"
[ "$lb_after" -gt "$lb_before" ] || fail "the LoadBalancer relay's forwarded-packet counter did not move"
