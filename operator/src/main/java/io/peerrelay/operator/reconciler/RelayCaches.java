package io.peerrelay.operator.reconciler;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import io.peerrelay.operator.api.ExposureType;
import io.peerrelay.operator.api.PeerRelay;
import io.peerrelay.operator.api.RelayGrant;
import io.peerrelay.operator.desired.Names;
import io.peerrelay.operator.observe.Observed;
import io.peerrelay.operator.observe.ObservedGrantKeys;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeSet;

/** Reads one PeerRelay's slice of the informer caches into an {@link Observed} (no API calls). */
final class RelayCaches {

  private RelayCaches() {}

  /** Everything the caches hold for {@code relay}, indexed by replica. */
  @SuppressWarnings("unchecked")
  static Observed read(PeerRelay relay, Context<PeerRelay> context) {
    String ns = relay.getMetadata().getNamespace();
    var grantSource =
        (InformerEventSource<RelayGrant, PeerRelay>)
            context
                .eventSourceRetriever()
                .getEventSourceFor(RelayGrant.class, PeerRelayReconciler.GRANTS);
    var secretSource =
        (InformerEventSource<Secret, PeerRelay>)
            context
                .eventSourceRetriever()
                .getEventSourceFor(Secret.class, PeerRelayReconciler.GRANT_SECRETS);
    List<RelayGrant> grants =
        grantSource
            .list(ns, g -> PeerRelayReconciler.selects(g, relay))
            .sorted((a, b) -> a.getMetadata().getName().compareTo(b.getMetadata().getName()))
            .toList();
    SortedSet<String> keys = new TreeSet<>();
    for (RelayGrant g : grants) {
      keys.addAll(
          ObservedGrantKeys.resolve(
                  g, name -> secretSource.get(new ResourceID(name, ns)).orElse(null))
              .keys());
    }
    String name = relay.getMetadata().getName();
    Map<Integer, Secret> keySecrets =
        Observed.byReplica(
            context
                .getSecondaryResourcesAsStream(Secret.class)
                .filter(s -> isChildOf(s.getMetadata().getLabels(), name))
                .toList(),
            RelayCaches::replicaOf);
    Map<Integer, Pod> pods =
        Observed.byReplica(context.getSecondaryResources(Pod.class), RelayCaches::replicaOf);
    Map<String, Node> nodes = new HashMap<>();
    if (relay.getSpec() != null
        && relay.getSpec().getExposure() != null
        && relay.getSpec().getExposure().getType() == ExposureType.NodeAddress) {
      var nodeSource = NodeWatch.ensure(context);
      for (Pod p : pods.values()) {
        String node = p.getSpec() == null ? null : p.getSpec().getNodeName();
        if (node != null) {
          nodeSource.get(new ResourceID(node)).ifPresent(n -> nodes.put(node, n));
        }
      }
    }
    return new Observed(
        Observed.byReplica(
            context.getSecondaryResources(StatefulSet.class), RelayCaches::replicaOf),
        Observed.byReplica(context.getSecondaryResources(Service.class), RelayCaches::replicaOf),
        Observed.byReplica(context.getSecondaryResources(ConfigMap.class), RelayCaches::replicaOf),
        keySecrets,
        pods,
        nodes,
        grants,
        keys);
  }

  private static boolean isChildOf(Map<String, String> labels, String relay) {
    return labels != null
        && relay.equals(labels.get(Names.LABEL_RELAY))
        && Names.MANAGER.equals(labels.get(Names.LABEL_MANAGED_BY));
  }

  static Integer replicaOf(HasMetadata child) {
    var i = Names.replicaIndex(child);
    return i.isPresent() ? i.getAsInt() : null;
  }
}
