package io.peerrelay.operator.dependent;

import io.fabric8.kubernetes.api.model.Secret;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.Creator;
import io.javaoperatorsdk.operator.processing.dependent.KubernetesBulkDependentResource;
import io.javaoperatorsdk.operator.processing.dependent.Matcher;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.BooleanWithUndefined;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.peerrelay.operator.api.PeerRelay;
import io.peerrelay.operator.desired.Names;
import io.peerrelay.operator.desired.TailnetStateSecret;
import java.security.SecureRandom;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Predicate;

/**
 * One relay key Secret per replica, and in tailnet mode one node-state Secret per replica: created
 * once, never updated, never deleted by the operator.
 *
 * <p>Only a {@link Creator} on purpose: JOSDK then neither updates nor deletes it, so a replica
 * keeps its relay identity (its disco key, which clients and status point at) across operator
 * restarts and across scale 3 → 1 → 3. The Secret goes only with its PeerRelay, through the owner
 * reference and the garbage collector.
 */
// A plain create (POST), not server-side apply: a create never overwrites an existing Secret (an
// apply would rewrite a key the cache did not show), and RBAC needs no "patch" on Secrets. The
// informer is the controller's shared, label-selected one (PeerRelayReconciler names it).
@KubernetesDependent(useSSA = BooleanWithUndefined.FALSE)
public class RelayKeySecretsDependent extends KubernetesDependentResource<Secret, PeerRelay>
    implements Creator<Secret, PeerRelay>, KubernetesBulkDependentResource<Secret, PeerRelay> {

  private static final SecureRandom RANDOM = new SecureRandom();

  public RelayKeySecretsDependent() {
    super(Secret.class);
  }

  @Override
  public Map<ResourceID, Secret> desiredResources(PeerRelay relay, Context<PeerRelay> context) {
    Map<ResourceID, Secret> existing = getSecondaryResources(relay, context);
    // An existing key is desired as it is: the plan generated a new key only for a missing Secret
    // (and stamped its fingerprint on the pod template).
    Map<ResourceID, Secret> out = new HashMap<>(RelayPlan.byId(RelayPlan.of(context).keySecrets()));
    String ns = relay.getMetadata().getNamespace();
    for (int i = 0; i < relay.getSpec().replicaCount(); i++) {
      if (relay.getSpec().getTailnet() != null) {
        // The node state likewise: created once, and kept even if tailnet mode is switched off
        // again (the operator never deletes what it cannot rebuild: the node's identity).
        ResourceID state = new ResourceID(Names.tailnetState(relay, i), ns);
        out.put(
            state,
            existing.containsKey(state)
                ? existing.get(state)
                : TailnetStateSecret.tailnetStateSecret(relay, i, RANDOM));
      }
    }
    return out;
  }

  @Override
  public Predicate<Secret> secondaryResourceFilter(PeerRelay relay, Context<PeerRelay> context) {
    // Grant Secrets share the Secret type (another informer); keep only this relay's keys.
    return s ->
        s.getMetadata().getLabels() != null
            && relay
                .getMetadata()
                .getName()
                .equals(s.getMetadata().getLabels().get(Names.LABEL_RELAY))
            && Names.MANAGER.equals(s.getMetadata().getLabels().get(Names.LABEL_MANAGED_BY));
  }

  /**
   * An existing key always matches: JOSDK's per-item bulk wrapper would otherwise try to update a
   * Secret that differs (say, edited by hand), and this dependent never replaces a key.
   */
  @Override
  public Matcher.Result<Secret> match(
      Secret actual, Secret desired, PeerRelay relay, Context<PeerRelay> context) {
    return Matcher.Result.computed(true, actual);
  }

  @Override
  protected boolean addOwnerReference() {
    // Not GarbageCollected (that would make it deletable on scale-down), yet owned, so deleting the
    // PeerRelay removes it.
    return true;
  }
}
