package io.peerrelay.operator.reconciler;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.peerrelay.operator.api.PeerRelay;
import io.peerrelay.operator.desired.Names;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Finds the user's own objects squatting on a child's name (a Secret {@code office-0} beside
 * PeerRelay {@code office}, not owned by it). The operator's caches only see its own children, so
 * such an object surfaces as an endless 409 on apply; asked only after a 409, one GET per child.
 */
final class NameConflicts {

  private NameConflicts() {}

  /** A message naming the first conflicting object and the fix, or null when there is none. */
  static String find(KubernetesClient client, PeerRelay relay) {
    String ns = relay.getMetadata().getNamespace();
    List<HasMetadata> found = new ArrayList<>();
    int n = relay.getSpec() == null ? 0 : relay.getSpec().replicaCount();
    try {
      for (int i = 0; i < n; i++) {
        String name = Names.replica(relay, i);
        found.add(client.secrets().inNamespace(ns).withName(name).get());
        found.add(client.configMaps().inNamespace(ns).withName(name).get());
        found.add(client.services().inNamespace(ns).withName(name).get());
        found.add(client.resources(StatefulSet.class).inNamespace(ns).withName(name).get());
        if (relay.getSpec().getTailnet() != null) {
          found.add(client.secrets().inNamespace(ns).withName(Names.tailnetState(relay, i)).get());
        }
      }
      found.add(
          client
              .policy()
              .v1()
              .podDisruptionBudget()
              .inNamespace(ns)
              .withName(Names.podDisruptionBudget(relay))
              .get());
    } catch (KubernetesClientException e) {
      return null; // Cannot tell: the caller retries as for any passing error.
    }
    return found.stream()
        .filter(o -> o != null && (!ownedBy(o, relay) || unwatched(o)))
        .findFirst()
        .map(o -> ownedBy(o, relay) ? unwatchedMessage(o) : message(o, relay))
        .orElse(null);
  }

  /**
   * An own Secret without {@link Names#LABEL_WATCH}, made by an operator before it cached only
   * labelled Secrets: invisible to the cache, and never rewritten (a key is the relay's identity).
   */
  private static boolean unwatched(HasMetadata o) {
    var labels = o.getMetadata().getLabels();
    return o instanceof Secret && (labels == null || !"true".equals(labels.get(Names.LABEL_WATCH)));
  }

  private static String unwatchedMessage(HasMetadata o) {
    String ns = o.getMetadata().getNamespace();
    return "Secret "
        + o.getMetadata().getName()
        + " (made by an earlier operator version) lacks label "
        + Names.LABEL_WATCH
        + "=true, so the operator cannot see it and never rewrites a key: kubectl label secret -n "
        + ns
        + " -l "
        + Names.LABEL_MANAGED_BY
        + "="
        + Names.MANAGER
        + " "
        + Names.LABEL_WATCH
        + "=true";
  }

  private static boolean ownedBy(HasMetadata o, PeerRelay relay) {
    Function<OwnerReference, Boolean> mine =
        r ->
            relay.getMetadata().getUid() != null && relay.getMetadata().getUid().equals(r.getUid());
    return o.getMetadata().getOwnerReferences() != null
        && o.getMetadata().getOwnerReferences().stream().anyMatch(mine::apply);
  }

  private static String message(HasMetadata o, PeerRelay relay) {
    String kind = o.getKind() == null ? o.getClass().getSimpleName() : o.getKind();
    return kind
        + " "
        + o.getMetadata().getName()
        + " already exists and is not owned by PeerRelay "
        + relay.getMetadata().getName()
        + ": the operator needs that name for a child; rename or delete that "
        + kind
        + ", or give the PeerRelay another name";
  }
}
