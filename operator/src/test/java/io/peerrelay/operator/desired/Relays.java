package io.peerrelay.operator.desired;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.peerrelay.operator.api.PeerRelay;
import io.peerrelay.operator.api.PeerRelaySpec;
import java.util.function.Consumer;

/** Test fixture: PeerRelays as the API server would hand them over (defaults applied). */
final class Relays {

  private Relays() {}

  static PeerRelay relay(Consumer<PeerRelaySpec> customize) {
    return relay("office", customize);
  }

  static PeerRelay relay(String name, Consumer<PeerRelaySpec> customize) {
    PeerRelay relay = new PeerRelay();
    relay.setMetadata(
        new ObjectMetaBuilder()
            .withName(name)
            .withNamespace("relays")
            .withUid("0b5c4d44-7a64-4f4e-9d55-5d3c1f0e7a11")
            .withGeneration(1L)
            .build());
    PeerRelaySpec spec = new PeerRelaySpec();
    customize.accept(spec);
    relay.setSpec(spec);
    return relay;
  }

  static PeerRelay relay() {
    return relay(spec -> {});
  }
}
