package io.peerrelay.relay.tailnet.derp;

/**
 * One node of the DERP map, with the fields of Tailscale's {@code tailcfg.DERPNode} that decide how
 * a client reaches it.
 *
 * @param hostName the TLS server name (SNI) and, without {@code certName}, the name the certificate
 *     must carry; also resolved by DNS when {@code ipv4}/{@code ipv6} are empty
 * @param ipv4 an IPv4 address to dial instead of resolving {@code hostName}; {@code "none"} (any
 *     text that is not an IPv4 address) disables IPv4; empty or null means use DNS
 * @param ipv6 the same for IPv6
 * @param derpPort the TLS port; 0 means 443
 * @param insecureForTests accept any certificate (Tailscale's test DERP maps set this)
 * @param certName the name the certificate must carry when it differs from {@code hostName}, or
 *     {@code sha256-raw:<hex>} to pin the leaf certificate's SHA-256; empty or null for none
 */
public record DerpServer(
    String hostName,
    String ipv4,
    String ipv6,
    int derpPort,
    boolean insecureForTests,
    String certName) {
  /** Checks what a dial cannot do without. */
  public DerpServer {
    if (hostName == null || hostName.isBlank()) {
      throw new IllegalArgumentException("DERP node hostName is empty (the DERP map must name it)");
    }
    if (derpPort < 0 || derpPort > 65535) {
      throw new IllegalArgumentException(
          "DERP node " + hostName + ": derpPort " + derpPort + " is outside 0-65535");
    }
    ipv4 = ipv4 == null ? "" : ipv4;
    ipv6 = ipv6 == null ? "" : ipv6;
    certName = certName == null ? "" : certName;
  }

  /** The port to dial: {@code derpPort}, or 443 when it is 0. */
  public int port() {
    return derpPort == 0 ? 443 : derpPort;
  }

  /** {@code host:port} for logs. */
  public String describe() {
    return hostName + ":" + port();
  }
}
