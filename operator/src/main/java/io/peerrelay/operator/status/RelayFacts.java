package io.peerrelay.operator.status;

import java.util.List;

/**
 * Everything the PeerRelay status is computed from, already observed and computed: the aggregator
 * that turns it into status does no I/O.
 *
 * @param generation the PeerRelay's {@code metadata.generation}
 * @param desiredReplicas {@code spec.replicas}
 * @param selector the label selector over the relay pods (for the scale subresource)
 * @param replicas one entry per replica index {@code 0..desiredReplicas-1}
 * @param grantedKeys distinct client keys granted by the RelayGrants that select this relay
 * @param configProblem what is invalid in the spec (naming the field), or null
 * @param podSecurityProblem why Pod Security admission rejects the relay pods, or null
 * @param rollingReplica the replica whose template is being updated, or null when none
 * @param overriddenAnnotations user Service annotations the operator replaced, sorted
 */
public record RelayFacts(
    long generation,
    int desiredReplicas,
    String selector,
    List<ReplicaFacts> replicas,
    int grantedKeys,
    String configProblem,
    String podSecurityProblem,
    Integer rollingReplica,
    List<String> overriddenAnnotations) {

  public RelayFacts {
    replicas = List.copyOf(replicas);
    overriddenAnnotations = List.copyOf(overriddenAnnotations);
  }

  /** Facts for a spec that cannot be turned into resources at all. */
  public static RelayFacts invalid(long generation, String selector, String problem) {
    return new RelayFacts(generation, 0, selector, List.of(), 0, problem, null, null, List.of());
  }
}
