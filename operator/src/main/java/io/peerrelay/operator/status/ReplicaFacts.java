package io.peerrelay.operator.status;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.peerrelay.operator.desired.RelaySecret;
import io.peerrelay.operator.observe.Endpoint;
import io.peerrelay.operator.observe.Observed;
import io.peerrelay.operator.observe.TailnetReport;
import java.util.List;

/**
 * What was observed and computed for one replica, the input of its status entry.
 *
 * @param index replica index
 * @param podName the replica's pod, or null while the StatefulSet controller has not created it
 * @param node node the pod runs on, or null while unscheduled
 * @param ready whether the pod is Ready and runs the replica's current template
 * @param publicKey the relay's {@code discokey:<hex>} from its key Secret, or null before it exists
 * @param endpoints addresses clients must send to (any order; sorted in status)
 * @param tailnet what the relay's side port reported about its tailnet node, or null (tailnet mode
 *     off, or the pod not ready)
 */
public record ReplicaFacts(
    int index,
    String podName,
    String node,
    boolean ready,
    String publicKey,
    List<Endpoint> endpoints,
    TailnetReport tailnet) {

  public ReplicaFacts {
    endpoints = List.copyOf(endpoints);
  }

  /** The facts of replica {@code i} from the caches and its computed endpoints. */
  static ReplicaFacts of(int i, Observed o, List<Endpoint> endpoints, TailnetReport tailnet) {
    Pod pod = o.pods().get(i);
    Secret key = o.keySecrets().get(i);
    return new ReplicaFacts(
        i,
        pod == null ? null : pod.getMetadata().getName(),
        pod == null || pod.getSpec() == null ? null : pod.getSpec().getNodeName(),
        o.replicaReady(i),
        key == null ? null : RelaySecret.publicKey(key).orElse(null),
        endpoints,
        tailnet);
  }
}
