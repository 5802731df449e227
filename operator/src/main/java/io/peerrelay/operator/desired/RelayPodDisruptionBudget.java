package io.peerrelay.operator.desired;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudgetBuilder;
import io.peerrelay.operator.api.PeerRelay;

/** One PodDisruptionBudget over all replicas: voluntary evictions take one relay at a time. */
public final class RelayPodDisruptionBudget {

  private RelayPodDisruptionBudget() {}

  /** The PDB of a relay. */
  public static PodDisruptionBudget relayPodDisruptionBudget(PeerRelay relay) {
    PodDisruptionBudget pdb =
        new PodDisruptionBudgetBuilder()
            .withNewMetadata()
            .withName(Names.podDisruptionBudget(relay))
            .withNamespace(relay.getMetadata().getNamespace())
            .withLabels(Names.relayLabels(relay))
            .endMetadata()
            .withNewSpec()
            .withMaxUnavailable(new IntOrString(1))
            .withNewSelector()
            .withMatchLabels(Names.relaySelector(relay))
            .endSelector()
            .endSpec()
            .build();
    Owners.own(pdb, relay);
    return pdb;
  }
}
