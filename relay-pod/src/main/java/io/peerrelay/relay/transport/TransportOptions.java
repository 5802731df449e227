package io.peerrelay.relay.transport;

/**
 * Where and how the relay's UDP port is opened.
 *
 * @param udpPort the relay port; 0 picks an ephemeral port (IPv4 and IPv6 may then differ)
 * @param bindV4 IPv4 address to bind, normally {@code 0.0.0.0}
 * @param bindV6 IPv6 address to bind (v6-only socket), normally {@code ::}; null skips IPv6
 * @param threads event-loop threads, one socket per thread and family (SO_REUSEPORT)
 */
public record TransportOptions(int udpPort, String bindV4, String bindV6, int threads) {
  /** Checks the port and thread count. */
  public TransportOptions {
    if (udpPort < 0 || udpPort > 65535) {
      throw new IllegalArgumentException("udpPort must be 0..65535");
    }
    if (threads < 1) {
      throw new IllegalArgumentException("threads must be at least 1");
    }
    if (bindV4 == null) {
      throw new IllegalArgumentException("bindV4 is required: Tailscale's relay needs IPv4");
    }
  }

  /** All interfaces, both families, one thread per core. */
  public static TransportOptions defaults(int udpPort) {
    return new TransportOptions(
        udpPort, "0.0.0.0", "::", Runtime.getRuntime().availableProcessors());
  }

  /** A copy bound to loopback only (tests and local tools). */
  public static TransportOptions loopback(int udpPort, int threads) {
    return new TransportOptions(udpPort, "127.0.0.1", "::1", threads);
  }

  /** A copy without IPv6. */
  public TransportOptions withoutIpv6() {
    return new TransportOptions(udpPort, bindV4, null, threads);
  }
}
