package io.peerrelay.operator.dependent;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.CRUDKubernetesBulkDependentResource;
import io.javaoperatorsdk.operator.processing.dependent.KubernetesBulkDependentResource;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.CRUDKubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.peerrelay.operator.api.PeerRelay;
import java.util.Map;

/**
 * A bulk dependent (one object per replica, keyed by replica, extra ones deleted) whose desired
 * objects are the ones in this reconcile's {@link RelayPlan}: it builds nothing itself.
 */
abstract class PlannedDependent<T extends HasMetadata>
    extends CRUDKubernetesDependentResource<T, PeerRelay>
    implements CRUDKubernetesBulkDependentResource<T, PeerRelay>,
        KubernetesBulkDependentResource<T, PeerRelay> {

  PlannedDependent(Class<T> type) {
    super(type);
  }

  /** This dependent's objects in {@code plan}, by replica. */
  abstract Map<Integer, T> planned(RelayPlan plan);

  @Override
  public Map<ResourceID, T> desiredResources(PeerRelay relay, Context<PeerRelay> context) {
    return RelayPlan.byId(planned(RelayPlan.of(context)));
  }
}
