package io.peerrelay.relay.tailnet.relay;

import io.peerrelay.relay.protocol.DiscoMessage;
import io.peerrelay.relay.protocol.DiscoPacket;
import io.peerrelay.relay.protocol.DiscoPrivateKey;
import io.peerrelay.relay.protocol.DiscoPublicKey;
import io.peerrelay.relay.protocol.DiscoSharedKey;
import io.peerrelay.relay.protocol.NonceSource;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * This node's disco key and the box keys it shares with peers: opens plain (non-Geneve) disco
 * packets from peers and seals answers to them. Box keys are cached only for keys the netmap knows,
 * and the cache is bounded, so strangers cannot grow it.
 */
final class DiscoBoxes {
  static final int MAX_CACHED = 4096;

  private final DiscoPrivateKey self;
  private final DiscoPublicKey selfPublic;
  private final NonceSource nonces;
  private final Map<DiscoPublicKey, DiscoSharedKey> cache = new ConcurrentHashMap<>();

  DiscoBoxes(DiscoPrivateKey self, NonceSource nonces) {
    this.self = self;
    this.selfPublic = self.publicKey();
    this.nonces = nonces;
  }

  DiscoPublicKey selfPublic() {
    return selfPublic;
  }

  /** The opened message of a packet from {@code peer}; null when the box does not open. */
  byte[] open(DiscoPublicKey peer, byte[] packet) {
    return DiscoPacket.open(box(peer), packet, 0, packet.length);
  }

  /** {@code message} sealed from this node to {@code peer}, framed as a disco packet. */
  byte[] seal(DiscoPublicKey peer, DiscoMessage message) {
    return DiscoPacket.seal(selfPublic, box(peer), message.encode(), nonces);
  }

  private DiscoSharedKey box(DiscoPublicKey peer) {
    DiscoSharedKey k = cache.get(peer);
    if (k == null) {
      k = DiscoSharedKey.precompute(self, peer);
      if (cache.size() >= MAX_CACHED) {
        cache.clear();
      }
      cache.put(peer, k);
    }
    return k;
  }
}
