package io.peerrelay.operator.dependent;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.CRUDKubernetesBulkDependentResource;
import io.javaoperatorsdk.operator.processing.dependent.KubernetesBulkDependentResource;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.CRUDKubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.peerrelay.operator.api.PeerRelay;
import io.peerrelay.operator.desired.RelayConfigMap;
import java.util.HashMap;
import java.util.Map;

/**
 * One relay config ConfigMap per replica, keyed by replica: the replica's endpoints and the keys
 * granted to the relay. The relay hot-reloads it, so updating it never restarts a pod.
 */
@KubernetesDependent(informer = @Informer(labelSelector = Selectors.MANAGED))
public class RelayConfigMapsDependent extends CRUDKubernetesDependentResource<ConfigMap, PeerRelay>
    implements CRUDKubernetesBulkDependentResource<ConfigMap, PeerRelay>,
        KubernetesBulkDependentResource<ConfigMap, PeerRelay> {

  public RelayConfigMapsDependent() {
    super(ConfigMap.class);
  }

  @Override
  public Map<ResourceID, ConfigMap> desiredResources(PeerRelay relay, Context<PeerRelay> context) {
    RelayPlan plan = RelayPlan.of(context);
    Map<ResourceID, ConfigMap> out = new HashMap<>();
    for (int i = 0; i < relay.getSpec().getReplicas(); i++) {
      ConfigMap cm =
          ChildMetadata.withAnnotationMap(
              RelayConfigMap.relayConfigMap(relay, i, plan.endpointsOf(i), plan.grantedKeys()));
      out.put(ResourceID.fromResource(cm), cm);
    }
    return out;
  }
}
