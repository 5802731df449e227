package io.peerrelay.relay.core;

/**
 * One session as Tailscale's {@code status.ServerSession} lists it: leg 0 is the smaller disco key.
 *
 * @param vni the session's Geneve VNI
 * @param client1 leg 0
 * @param client2 leg 1
 */
public record SessionInfo(int vni, ClientInfo client1, ClientInfo client2) {

  /**
   * One leg of a session.
   *
   * @param endpoint bound {@code ip:port} (IPv6 in brackets), or {@code ""} before the handshake
   * @param shortDisco {@code d:} + hex of the first 8 key bytes
   * @param packetsTx data packets received from this client since it bound
   * @param bytesTx bytes of those packets, Geneve header included
   */
  public record ClientInfo(String endpoint, String shortDisco, long packetsTx, long bytesTx) {}
}
