package io.peerrelay.relay.transport;

import io.peerrelay.relay.client.ClientPackets;
import io.peerrelay.relay.protocol.AllocationStamp;
import io.peerrelay.relay.protocol.DiscoMessage.AllocateRequest;
import io.peerrelay.relay.protocol.DiscoPublicKey;
import java.util.Arrays;

/** Allocation requests from one client key for any peer key, as a flooder would send them. */
final class FloodRequests {
  private FloodRequests() {}

  static byte[] allocation(ClientPackets from, DiscoPublicKey peer, int generation) {
    DiscoPublicKey self = from.self();
    DiscoPublicKey k0 = self.compareTo(peer) < 0 ? self : peer;
    DiscoPublicKey k1 = k0 == self ? peer : self;
    byte[] plain =
        ClientPackets.withStamp(
            new AllocateRequest(k0, k1, generation),
            AllocationStamp.next(System.currentTimeMillis()));
    return from.sealToZero(Arrays.copyOf(plain, 512));
  }
}
