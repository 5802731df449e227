package io.peerrelay.operator.dependent;

import io.fabric8.kubernetes.api.model.Service;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.CRUDKubernetesBulkDependentResource;
import io.javaoperatorsdk.operator.processing.dependent.KubernetesBulkDependentResource;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.CRUDKubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.peerrelay.operator.api.PeerRelay;
import io.peerrelay.operator.desired.RelayService;
import java.util.HashMap;
import java.util.Map;

/**
 * One Service per replica in the load-balancer modes, keyed by replica (none in NodeAddress/None,
 * so any left over is deleted). Its informer is what turns a new LB address into a reconcile.
 */
@KubernetesDependent(informer = @Informer(labelSelector = Selectors.MANAGED))
public class RelayServicesDependent extends CRUDKubernetesDependentResource<Service, PeerRelay>
    implements CRUDKubernetesBulkDependentResource<Service, PeerRelay>,
        KubernetesBulkDependentResource<Service, PeerRelay> {

  public RelayServicesDependent() {
    super(Service.class);
  }

  @Override
  public Map<ResourceID, Service> desiredResources(PeerRelay relay, Context<PeerRelay> context) {
    Map<ResourceID, Service> out = new HashMap<>();
    for (int i = 0; i < relay.getSpec().getReplicas(); i++) {
      RelayService.relayService(relay, i)
          .map(ChildMetadata::withAnnotationMap)
          .ifPresent(s -> out.put(ResourceID.fromResource(s), s));
    }
    return out;
  }
}
