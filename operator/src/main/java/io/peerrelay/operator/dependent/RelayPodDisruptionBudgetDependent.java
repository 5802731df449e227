package io.peerrelay.operator.dependent;

import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.CRUDKubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import io.peerrelay.operator.api.PeerRelay;
import io.peerrelay.operator.desired.RelayPodDisruptionBudget;

/** The one PodDisruptionBudget over all replicas: voluntary evictions take one relay at a time. */
@KubernetesDependent(informer = @Informer(labelSelector = Selectors.MANAGED))
public class RelayPodDisruptionBudgetDependent
    extends CRUDKubernetesDependentResource<PodDisruptionBudget, PeerRelay> {

  public RelayPodDisruptionBudgetDependent() {
    super(PodDisruptionBudget.class);
  }

  @Override
  protected PodDisruptionBudget desired(PeerRelay relay, Context<PeerRelay> context) {
    return ChildMetadata.withAnnotationMap(
        RelayPodDisruptionBudget.relayPodDisruptionBudget(relay));
  }
}
