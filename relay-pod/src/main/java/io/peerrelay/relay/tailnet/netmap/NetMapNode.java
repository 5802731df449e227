package io.peerrelay.relay.tailnet.netmap;

import io.peerrelay.relay.protocol.DiscoPublicKey;
import io.peerrelay.relay.tailnet.key.TailnetKey;
import java.net.InetAddress;
import java.time.Instant;
import java.util.List;

/**
 * One node of the netmap (the relay itself or a peer), with the fields the relay uses.
 *
 * @param id the control server's node ID
 * @param stableId the stable node ID, or "" if not sent
 * @param name the MagicDNS name (FQDN with a trailing dot), or "" if not sent
 * @param nodeKey the node key ({@code nodekey:})
 * @param discoKey the disco key, or null if the node has none (yet)
 * @param addresses the node's Tailscale addresses, in control's order
 * @param capabilityVersion the node's capability version, 0 if control did not say
 * @param homeDerp the home DERP region ID, 0 if none
 * @param online true/false as control last said, null if it never said
 * @param keyExpiry when the node key expires, null if it does not
 */
public record NetMapNode(
    long id,
    String stableId,
    String name,
    TailnetKey nodeKey,
    DiscoPublicKey discoKey,
    List<IpPrefix> addresses,
    int capabilityVersion,
    int homeDerp,
    Boolean online,
    Instant keyExpiry) {

  /** The capability version from which Tailscale clients use a node as a peer relay. */
  public static final int RELAY_CAPABLE_VERSION = 121;

  public NetMapNode {
    addresses = List.copyOf(addresses);
  }

  /** The single-host addresses (/32, /128): the node's Tailscale IPs. */
  public List<InetAddress> tailscaleIps() {
    return addresses.stream().filter(IpPrefix::isSingleIp).map(IpPrefix::address).toList();
  }

  /** The first single-host address of the family of {@code ipv4}, or null. */
  public IpPrefix firstHostAddress(boolean ipv4) {
    return addresses.stream()
        .filter(p -> p.isSingleIp() && p.isIpv4() == ipv4)
        .findFirst()
        .orElse(null);
  }

  /** True when control said online (unknown counts as not online). */
  public boolean isOnline() {
    return Boolean.TRUE.equals(online);
  }

  /** True when the node key has an expiry at or before {@code now}. */
  public boolean keyExpiredAt(Instant now) {
    return keyExpiry != null && !keyExpiry.isAfter(now);
  }

  /** A copy with fields changed by a patch. */
  NetMapNode with(
      TailnetKey key, DiscoPublicKey disco, int cap, int derp, Boolean on, Instant expiry) {
    return new NetMapNode(id, stableId, name, key, disco, addresses, cap, derp, on, expiry);
  }
}
