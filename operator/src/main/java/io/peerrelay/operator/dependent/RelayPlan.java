package io.peerrelay.operator.dependent;

import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.peerrelay.operator.api.PeerRelay;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;

/**
 * What one reconcile decided, handed from the reconciler to the dependents through the JOSDK
 * context: the dependents only turn it into objects with the pure builders.
 *
 * @param defaultImage the operator's relay image, for PeerRelays without {@code spec.image}
 * @param endpoints per replica, the {@code ip:port} endpoints to advertise (sorted)
 * @param grantedKeys client keys granted to this relay (sorted, so the config bytes are stable)
 * @param held per replica the rollout holds back, its current StatefulSet (whose template stays)
 */
public record RelayPlan(
    String defaultImage,
    Map<Integer, List<String>> endpoints,
    SortedSet<String> grantedKeys,
    Map<Integer, StatefulSet> held) {

  private static final String KEY = RelayPlan.class.getName();

  /** Hands this plan to the dependents of the current reconcile. */
  public void handTo(Context<PeerRelay> context) {
    context.managedWorkflowAndDependentResourceContext().put(KEY, this);
  }

  /** The plan of the current reconcile. */
  static RelayPlan of(Context<PeerRelay> context) {
    return context.managedWorkflowAndDependentResourceContext().getMandatory(KEY, RelayPlan.class);
  }

  /** Endpoints of replica {@code index}; empty before any address is known. */
  List<String> endpointsOf(int index) {
    return endpoints.getOrDefault(index, List.of());
  }
}
