package io.peerrelay.relay.tailnet.relay;

import io.peerrelay.relay.tailnet.key.TailnetKey;

/** Sends a packet to a node over DERP; {@code DerpClient::send} is one. */
@FunctionalInterface
public interface DerpSender {
  /** Queues {@code payload} for {@code dst}; false when it could not be queued. */
  boolean send(TailnetKey dst, byte[] payload);
}
