package io.peerrelay.operator.dependent;

import io.fabric8.kubernetes.api.model.Service;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import java.util.Map;

/**
 * One Service per replica in the load-balancer modes, keyed by replica (none in NodeAddress/None,
 * so any left over is deleted). Its informer is what turns a new LB address into a reconcile.
 */
@KubernetesDependent(informer = @Informer(labelSelector = Selectors.MANAGED))
public class RelayServicesDependent extends PlannedDependent<Service> {

  public RelayServicesDependent() {
    super(Service.class);
  }

  @Override
  Map<Integer, Service> planned(RelayPlan plan) {
    return plan.services();
  }
}
