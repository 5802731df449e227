package io.peerrelay.operator.observe;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.peerrelay.operator.api.RelayGrant;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * What the informer caches hold for one PeerRelay at the start of a reconcile, indexed by replica.
 * Read once per reconcile, so every later step (endpoints, rollout, status) sees the same state.
 *
 * @param statefulSets per-replica StatefulSets
 * @param services per-replica Services (none in NodeAddress/None modes)
 * @param configMaps per-replica relay configs
 * @param keySecrets per-replica relay key Secrets (also those beyond spec.replicas: kept on
 *     purpose)
 * @param pods per-replica pods
 * @param nodes the nodes the pods run on, by name (filled only in NodeAddress mode)
 * @param grants the RelayGrants in the namespace that select this relay, sorted by name
 * @param grantedKeys the union of their valid client keys, sorted
 * @param tailnetSecrets per-replica node-state Secrets (tailnet mode)
 * @param tailnetAuthProblem why the tailnet auth key cannot be read (its Secret or key is absent),
 *     or null when it can or tailnet mode is off
 */
public record Observed(
    Map<Integer, StatefulSet> statefulSets,
    Map<Integer, Service> services,
    Map<Integer, ConfigMap> configMaps,
    Map<Integer, Secret> keySecrets,
    Map<Integer, Pod> pods,
    Map<String, Node> nodes,
    List<RelayGrant> grants,
    SortedSet<String> grantedKeys,
    Map<Integer, Secret> tailnetSecrets,
    String tailnetAuthProblem) {

  /**
   * Whether replica {@code i} is ready: its pod reports Ready and runs the StatefulSet's current
   * revision (right after a template change the old pod may still be Ready, but it is not the new
   * one).
   */
  public boolean replicaReady(int i) {
    Pod pod = pods.get(i);
    StatefulSet sts = statefulSets.get(i);
    if (pod == null || sts == null || pod.getStatus() == null) {
      return false;
    }
    boolean ready =
        pod.getStatus().getConditions() != null
            && pod.getStatus().getConditions().stream()
                .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
    var st = sts.getStatus();
    if (!ready || st == null || st.getUpdateRevision() == null) {
      return false;
    }
    boolean observedCurrentSpec =
        st.getObservedGeneration() != null
            && st.getObservedGeneration() >= sts.getMetadata().getGeneration();
    String podRevision =
        pod.getMetadata().getLabels() == null
            ? null
            : pod.getMetadata().getLabels().get("controller-revision-hash");
    return observedCurrentSpec && st.getUpdateRevision().equals(podRevision);
  }

  /**
   * Where each ready replica's side port answers: its pod's address (pods are hostNetwork, so the
   * node's) and {@code httpPort}; replicas without a ready pod or a pod address are left out.
   */
  public Map<Integer, Endpoint> sidePorts(int httpPort) {
    Map<Integer, Endpoint> out = new TreeMap<>();
    pods.forEach(
        (i, pod) -> {
          String ip = pod.getStatus() == null ? null : pod.getStatus().getPodIP();
          if (replicaReady(i)) {
            Endpoints.literal(ip).ifPresent(a -> out.put(i, new Endpoint(a, httpPort)));
          }
        });
    return out;
  }

  /** Indexes {@code items} by replica; items without a parseable replica label are skipped. */
  public static <T extends HasMetadata> Map<Integer, T> byReplica(
      Iterable<T> items, Function<HasMetadata, Integer> replicaOf) {
    Map<Integer, T> out = new TreeMap<>();
    for (T item : items) {
      Integer i = replicaOf.apply(item);
      if (i != null) {
        out.put(i, item);
      }
    }
    return out;
  }
}
