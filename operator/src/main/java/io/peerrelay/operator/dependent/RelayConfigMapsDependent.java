package io.peerrelay.operator.dependent;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import java.util.Map;

/**
 * One relay config ConfigMap per replica, keyed by replica: the replica's endpoints and the keys
 * granted to the relay. The relay hot-reloads it, so updating it never restarts a pod.
 */
@KubernetesDependent(informer = @Informer(labelSelector = Selectors.MANAGED))
public class RelayConfigMapsDependent extends PlannedDependent<ConfigMap> {

  public RelayConfigMapsDependent() {
    super(ConfigMap.class);
  }

  @Override
  Map<Integer, ConfigMap> planned(RelayPlan plan) {
    return plan.configMaps();
  }
}
