package io.peerrelay.operator.dependent;

import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.CRUDKubernetesBulkDependentResource;
import io.javaoperatorsdk.operator.processing.dependent.KubernetesBulkDependentResource;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.CRUDKubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.peerrelay.operator.api.PeerRelay;
import io.peerrelay.operator.desired.RelayStatefulSet;
import java.util.HashMap;
import java.util.Map;

/**
 * One StatefulSet per replica, keyed by replica: scale-down deletes the highest ones. A replica the
 * rollout holds keeps its current pod template (and template digest) until its turn comes.
 */
@KubernetesDependent(informer = @Informer(labelSelector = Selectors.MANAGED))
public class RelayStatefulSetsDependent
    extends CRUDKubernetesDependentResource<StatefulSet, PeerRelay>
    implements CRUDKubernetesBulkDependentResource<StatefulSet, PeerRelay>,
        KubernetesBulkDependentResource<StatefulSet, PeerRelay> {

  public RelayStatefulSetsDependent() {
    super(StatefulSet.class);
  }

  @Override
  public Map<ResourceID, StatefulSet> desiredResources(
      PeerRelay relay, Context<PeerRelay> context) {
    RelayPlan plan = RelayPlan.of(context);
    Map<ResourceID, StatefulSet> out = new HashMap<>();
    for (int i = 0; i < relay.getSpec().getReplicas(); i++) {
      StatefulSet sts = desired(relay, i, plan);
      out.put(ResourceID.fromResource(sts), sts);
    }
    return out;
  }

  /** The StatefulSet of replica {@code i}: the builder's, or with the held template kept. */
  static StatefulSet desired(PeerRelay relay, int i, RelayPlan plan) {
    StatefulSet sts =
        ChildMetadata.withAnnotationMap(
            RelayStatefulSet.relayStatefulSet(relay, i, plan.defaultImage()));
    String hash = TemplateHash.of(sts.getSpec().getTemplate());
    StatefulSet held = plan.held().get(i);
    if (held != null && TemplateHash.stampedOn(held) != null) {
      sts.getSpec().setTemplate(held.getSpec().getTemplate());
      hash = TemplateHash.stampedOn(held);
    }
    sts.getMetadata().getAnnotations().put(TemplateHash.ANNOTATION, hash);
    return sts;
  }
}
