package io.peerrelay.relay.core;

import java.net.InetSocketAddress;

/**
 * Answers disco packets that reach the relay port without a Geneve header (a tailnet peer's plain
 * disco ping to this node). Only tailnet mode installs one; without it such packets are handled as
 * before. Called on the event loop after the per-source rate limit: must not block.
 */
@FunctionalInterface
public interface PlainDiscoHandler {
  /**
   * The datagram to send back to {@code source}, or null to drop {@code packet} silently.
   *
   * @param packet the whole UDP payload, starting with the disco magic (a copy the handler owns)
   * @param source the sender as the socket saw it
   */
  byte[] answer(byte[] packet, InetSocketAddress source);
}
