package io.peerrelay.operator.reconciler;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import io.peerrelay.operator.api.PeerRelay;
import io.peerrelay.operator.desired.Names;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The Node informer, registered the first time a NodeAddress PeerRelay is reconciled: only that
 * mode needs node addresses, and caching every Node of a large cluster for nothing is not free.
 */
final class NodeWatch {

  private NodeWatch() {}

  /** The Node informer of this controller, started now if it was not yet. */
  @SuppressWarnings("unchecked")
  static InformerEventSource<Node, PeerRelay> ensure(Context<PeerRelay> context) {
    var retriever = context.eventSourceRetriever();
    if (!retriever.getEventSourcesFor(Node.class).isEmpty()) {
      return (InformerEventSource<Node, PeerRelay>)
          retriever.getEventSourceFor(Node.class, PeerRelayReconciler.NODES);
    }
    var pods =
        (InformerEventSource<Pod, PeerRelay>)
            retriever.getEventSourceFor(Pod.class, PeerRelayReconciler.PODS);
    var nodes =
        new InformerEventSource<>(
            InformerEventSourceConfiguration.from(Node.class, PeerRelay.class)
                .withName(PeerRelayReconciler.NODES)
                .withWatchAllNamespaces()
                // A node's address change reaches the relays with a pod on that node.
                .withSecondaryToPrimaryMapper(n -> relaysOn(pods, n.getMetadata().getName()))
                .build(),
            retriever.eventSourceContextForDynamicRegistration());
    return (InformerEventSource<Node, PeerRelay>) retriever.dynamicallyRegisterEventSource(nodes);
  }

  private static Set<ResourceID> relaysOn(InformerEventSource<Pod, PeerRelay> pods, String node) {
    return pods.list(p -> p.getSpec() != null && node.equals(p.getSpec().getNodeName()))
        .filter(p -> p.getMetadata().getLabels() != null)
        .filter(p -> p.getMetadata().getLabels().get(Names.LABEL_RELAY) != null)
        .map(
            p ->
                new ResourceID(
                    p.getMetadata().getLabels().get(Names.LABEL_RELAY),
                    p.getMetadata().getNamespace()))
        .collect(Collectors.toSet());
  }
}
