package io.peerrelay.operator.desired;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.peerrelay.operator.api.PeerRelay;

/** Marks a child as owned by its PeerRelay, so deleting the relay garbage-collects it. */
final class Owners {

  private Owners() {}

  /** Adds the controller owner reference when the relay has been persisted (has a uid). */
  static void own(HasMetadata child, PeerRelay relay) {
    if (relay.getMetadata().getUid() == null || relay.getMetadata().getUid().isEmpty()) {
      return; // not yet stored (unit tests, dry runs): nothing to reference
    }
    child.addOwnerReference(relay).setController(true);
  }
}
