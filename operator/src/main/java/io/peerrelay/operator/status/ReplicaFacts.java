package io.peerrelay.operator.status;

import java.util.List;

/**
 * What was observed and computed for one replica, the input of its status entry.
 *
 * @param index replica index
 * @param podName the replica's pod, or null while the StatefulSet controller has not created it
 * @param node node the pod runs on, or null while unscheduled
 * @param ready whether the pod is Ready and runs the replica's current template
 * @param publicKey the relay's {@code discokey:<hex>} from its key Secret, or null before it exists
 * @param endpoints {@code ip:port} addresses clients must send to (any order; sorted here)
 */
public record ReplicaFacts(
    int index,
    String podName,
    String node,
    boolean ready,
    String publicKey,
    List<String> endpoints) {

  public ReplicaFacts {
    endpoints = List.copyOf(endpoints);
  }
}
