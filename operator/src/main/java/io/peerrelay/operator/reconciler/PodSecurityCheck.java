package io.peerrelay.operator.reconciler;

import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.peerrelay.operator.api.PeerRelay;
import io.peerrelay.operator.dependent.RelayPlan;
import io.peerrelay.operator.desired.Names;
import io.peerrelay.operator.observe.Observed;
import java.util.Map;
import java.util.Set;

/**
 * Finds out whether Pod Security admission will reject the relay pods (they need hostNetwork and
 * hostPorts, which only the {@code privileged} level allows), so the PeerRelay can say so instead
 * of leaving the StatefulSet controller failing silently.
 */
final class PodSecurityCheck {

  static final String ENFORCE_LABEL = "pod-security.kubernetes.io/enforce";

  /** Levels that forbid host namespaces and host ports. */
  private static final Set<String> FORBIDDING = Set.of("baseline", "restricted");

  private final KubernetesClient client;

  PodSecurityCheck(KubernetesClient client) {
    this.client = client;
  }

  /**
   * Asks about the first replica of {@code relay} without a pod, with the pod its planned
   * StatefulSet would give; null when every replica has a pod or admission allows it.
   */
  String problem(PeerRelay relay, Observed o, RelayPlan plan) {
    for (int i = 0; i < relay.getSpec().replicaCount(); i++) {
      if (!o.pods().containsKey(i)) {
        var template = plan.statefulSets().get(i).getSpec().getTemplate();
        Pod pod =
            new PodBuilder()
                .withNewMetadata()
                .withName(Names.pod(relay, i))
                .withNamespace(relay.getMetadata().getNamespace())
                .withLabels(template.getMetadata().getLabels())
                .endMetadata()
                .withSpec(template.getSpec())
                .build();
        return problem(relay.getMetadata().getNamespace(), pod);
      }
    }
    return null;
  }

  /**
   * Why {@code pod} cannot be created in {@code namespace}, or null when it can. Asks admission
   * itself with a server-side dry-run create first: that answer also covers a cluster-wide default
   * level and exemptions that no namespace label shows. Only when the dry run cannot answer (no
   * permission, a webhook outage) does the namespace's enforce label decide.
   */
  String problem(String namespace, Pod pod) {
    try {
      client.pods().inNamespace(namespace).resource(pod).dryRun().create();
      return null;
    } catch (KubernetesClientException e) {
      if (e.getCode() == 403 && String.valueOf(e.getMessage()).contains("PodSecurity")) {
        return "Pod Security admission rejects the relay pod: "
            + admissionMessage(e)
            + "; relay pods need hostNetwork and hostPorts: label the namespace "
            + ENFORCE_LABEL
            + "=privileged or move the PeerRelay to a namespace that allows privileged pods";
      }
      // Anything else (the pod exists already, a quota, no permission): not an answer about Pod
      // Security, so fall back to the label.
      Namespace ns = client.namespaces().withName(namespace).get();
      return labelProblem(
          namespace,
          ns == null || ns.getMetadata().getLabels() == null
              ? Map.of()
              : ns.getMetadata().getLabels());
    }
  }

  /**
   * The answer from the namespace's labels alone: only an enforce level that forbids host
   * namespaces blocks; no label means the cluster default, which the dry run (not this fallback)
   * knows, so it counts as allowed.
   */
  static String labelProblem(String namespace, Map<String, String> labels) {
    String level = labels.get(ENFORCE_LABEL);
    if (level == null || !FORBIDDING.contains(level)) {
      return null;
    }
    return "namespace "
        + namespace
        + " enforces Pod Security level \""
        + level
        + "\", which forbids the hostNetwork and hostPort relay pods need; label it "
        + ENFORCE_LABEL
        + "=privileged or move the PeerRelay to a namespace that allows privileged pods";
  }

  private static String admissionMessage(KubernetesClientException e) {
    if (e.getStatus() != null && e.getStatus().getMessage() != null) {
      return e.getStatus().getMessage();
    }
    return e.getMessage();
  }
}
