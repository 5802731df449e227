package io.peerrelay.relay.tailnet.netmap;

/**
 * One DERP server of a region, as tailcfg.DERPNode describes it.
 *
 * @param name the node's name (unique in the map, e.g. "1a")
 * @param regionId the region it belongs to
 * @param hostName the host name to dial and to check the certificate against
 * @param certName if not empty, the name the certificate must carry instead of hostName
 * @param ipv4 an IPv4 address to dial instead of resolving hostName, "" for DNS; "none" disables
 * @param ipv6 likewise for IPv6
 * @param stunPort the STUN port: 0 means 3478, -1 means no STUN
 * @param stunOnly true when the node serves only STUN, no DERP
 * @param derpPort the DERP HTTPS port, 0 meaning 443
 * @param insecureForTests true to skip certificate checks (test servers only)
 */
public record DerpNode(
    String name,
    int regionId,
    String hostName,
    String certName,
    String ipv4,
    String ipv6,
    int stunPort,
    boolean stunOnly,
    int derpPort,
    boolean insecureForTests) {

  /** The DERP port to dial: {@link #derpPort} or 443 when it is 0. */
  public int derpPortOrDefault() {
    return derpPort == 0 ? 443 : derpPort;
  }
}
