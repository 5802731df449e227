package io.peerrelay.relay.tailnet.netmap;

import io.peerrelay.relay.protocol.DiscoPublicKey;
import io.peerrelay.relay.tailnet.key.TailnetKey;
import java.net.InetAddress;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One immutable snapshot of what control told the relay: itself, its peers, the DERP map and the
 * capability grants of the packet filter. A new snapshot replaces the old one as a whole, so a
 * reader never sees half an update.
 *
 * @param self the relay's own node
 * @param peersByNodeKey every peer, by node key
 * @param peersByDiscoKey every peer that has a disco key, by disco key
 * @param derpMap the DERP map
 * @param filter the capability grants of the packet filter
 */
public record NetMap(
    NetMapNode self,
    Map<TailnetKey, NetMapNode> peersByNodeKey,
    Map<DiscoPublicKey, NetMapNode> peersByDiscoKey,
    DerpMap derpMap,
    CapabilityFilter filter) {

  public NetMap {
    peersByNodeKey = Collections.unmodifiableMap(new LinkedHashMap<>(peersByNodeKey));
    peersByDiscoKey = Collections.unmodifiableMap(new LinkedHashMap<>(peersByDiscoKey));
  }

  /** Builds the two peer indexes from a peer list. */
  public static NetMap of(
      NetMapNode self, Collection<NetMapNode> peers, DerpMap derpMap, CapabilityFilter filter) {
    Map<TailnetKey, NetMapNode> byKey = new LinkedHashMap<>();
    Map<DiscoPublicKey, NetMapNode> byDisco = new LinkedHashMap<>();
    for (NetMapNode peer : peers) {
      byKey.put(peer.nodeKey(), peer);
      if (peer.discoKey() != null) {
        byDisco.put(peer.discoKey(), peer);
      }
    }
    return new NetMap(self, byKey, byDisco, derpMap, filter);
  }

  /** The peer with {@code nodeKey}, or null. */
  public NetMapNode peer(TailnetKey nodeKey) {
    return peersByNodeKey.get(nodeKey);
  }

  /** The peer with {@code discoKey}, or null. */
  public NetMapNode peerByDisco(DiscoPublicKey discoKey) {
    return peersByDiscoKey.get(discoKey);
  }

  /** Whether {@code src} holds {@code capability} towards {@code dst} in the packet filter. */
  public boolean hasCapability(InetAddress src, InetAddress dst, String capability) {
    return filter.hasCapability(src, dst, capability);
  }

  /**
   * Whether {@code peer} holds {@code capability} on this relay, checked as Tailscale's relay
   * server checks an allocation request (magicsock nodeHasCap): the peer's first single-host
   * address against this node's first single-host address of the same family, trying the peer's
   * addresses in order and deciding on the first family both have.
   */
  public boolean peerHasCapability(NetMapNode peer, String capability) {
    if (peer == null || self == null) {
      return false;
    }
    for (IpPrefix src : peer.addresses()) {
      if (!src.isSingleIp()) {
        continue;
      }
      IpPrefix dst = self.firstHostAddress(src.isIpv4());
      if (dst != null) {
        return filter.hasCapability(src.rawAddress(), dst.rawAddress(), capability);
      }
    }
    return false;
  }
}
