package io.peerrelay.operator.reconciler;

import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.peerrelay.operator.api.PeerRelay;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** The PeerRelay controller's dependents by name, and running them once per reconcile. */
final class RelayWorkflow {

  static final String KEYS = "relay-keys";
  static final String CONFIGS = "relay-configs";
  static final String SERVICES = "relay-services";
  static final String STATEFULSETS = "relay-statefulsets";
  static final String PDB = "relay-pdb";

  /** What each dependent writes, for messages when the server's answer names no kind. */
  private static final Map<String, String> CHILD_KINDS =
      Map.of(
          KEYS, "Secret",
          CONFIGS, "ConfigMap",
          SERVICES, "Service",
          STATEFULSETS, "StatefulSet",
          PDB, "PodDisruptionBudget");

  private RelayWorkflow() {}

  /**
   * Runs the dependents. A child the API server refused (the spec's fault) is returned as a problem
   * naming the child and the server's causes; a passing error is thrown for JOSDK to retry with
   * backoff.
   */
  @SuppressWarnings("rawtypes") // JOSDK's WorkflowResult exposes a raw DependentResource map
  static String apply(Context<PeerRelay> context) {
    var result = context.managedWorkflowAndDependentResourceContext().reconcileManagedWorkflow();
    if (!result.erroredDependentsExist()) {
      return null;
    }
    List<String> refused = new ArrayList<>();
    for (var e : result.getErroredDependents().entrySet()) {
      Exception error = e.getValue();
      if (ApiFailure.isTransient(error)) {
        throw error instanceof RuntimeException r ? r : new IllegalStateException(error);
      }
      refused.add(ApiFailure.describe(CHILD_KINDS.get(e.getKey().name()), error));
    }
    return refused.stream()
        .sorted()
        .collect(Collectors.joining("; ", "refused by the API server: ", ""));
  }
}
