package io.peerrelay.operator.dependent;

import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import java.util.Map;

/**
 * One StatefulSet per replica, keyed by replica: scale-down deletes the highest ones. A replica the
 * rollout holds keeps its current pod template (and template digest) until its turn comes.
 */
@KubernetesDependent(informer = @Informer(labelSelector = Selectors.MANAGED))
public class RelayStatefulSetsDependent extends PlannedDependent<StatefulSet> {

  public RelayStatefulSetsDependent() {
    super(StatefulSet.class);
  }

  @Override
  Map<Integer, StatefulSet> planned(RelayPlan plan) {
    return plan.statefulSets();
  }
}
