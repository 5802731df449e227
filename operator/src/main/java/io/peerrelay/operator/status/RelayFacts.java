package io.peerrelay.operator.status;

import io.peerrelay.operator.api.PeerRelay;
import io.peerrelay.operator.api.Tailnet;
import io.peerrelay.operator.desired.Names;
import io.peerrelay.operator.observe.Endpoint;
import io.peerrelay.operator.observe.Observed;
import io.peerrelay.operator.observe.Probed;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

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
 * @param tailnet tailnet mode's facts beyond the replicas' reports, or null when it is off
 * @param staleHostnames per replica, load-balancer hostnames that did not resolve while its last
 *     known endpoints were kept (see {@code Endpoints.Computed})
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
    List<String> overriddenAnnotations,
    TailnetFacts tailnet,
    Map<Integer, List<String>> staleHostnames) {

  public RelayFacts {
    replicas = List.copyOf(replicas);
    overriddenAnnotations = List.copyOf(overriddenAnnotations);
    staleHostnames = staleHostnames == null ? Map.of() : new TreeMap<>(staleHostnames);
  }

  /**
   * The facts of {@code relay} from the caches {@code o} and what the reconcile computed and found
   * out (pure: every input is already at hand).
   *
   * @param endpoints per replica, its computed endpoints (empty when the spec is invalid)
   * @param probed per replica, what its side port reported on /tailnet (tailnet mode) and /config
   * @param staleHostnames per replica, hostnames its endpoints are stale for
   */
  public static RelayFacts of(
      PeerRelay relay,
      Observed o,
      Map<Integer, List<Endpoint>> endpoints,
      String configProblem,
      String podSecurityProblem,
      Integer rollingReplica,
      List<String> overriddenAnnotations,
      Probed probed,
      Map<Integer, List<String>> staleHostnames) {
    int n = relay.getSpec() == null ? 0 : relay.getSpec().replicaCount();
    List<ReplicaFacts> replicas = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      replicas.add(
          ReplicaFacts.of(
              i,
              o,
              endpoints.getOrDefault(i, List.of()),
              probed.tailnet().get(i),
              probed.config().get(i)));
    }
    return new RelayFacts(
        relay.getMetadata().getGeneration(),
        n,
        Names.relaySelectorString(relay),
        replicas,
        o.grantedKeys().size(),
        configProblem,
        podSecurityProblem,
        rollingReplica,
        overriddenAnnotations,
        tailnetFacts(relay, o),
        staleHostnames);
  }

  private static TailnetFacts tailnetFacts(PeerRelay relay, Observed o) {
    Tailnet t = relay.getSpec() == null ? null : relay.getSpec().getTailnet();
    return t == null
        ? null
        : new TailnetFacts(
            t.controlUrlOrDefault(),
            t.authKeySecretName(),
            t.authKeyOrDefault(),
            o.tailnetAuthProblem());
  }
}
