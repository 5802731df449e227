package io.peerrelay.relay.tailnet;

import io.peerrelay.relay.protocol.DiscoPublicKey;
import io.peerrelay.relay.tailnet.key.TailnetKey;
import io.peerrelay.relay.tailnet.netmap.CapabilityFilter;
import io.peerrelay.relay.tailnet.netmap.NetMap;
import io.peerrelay.relay.tailnet.netmap.NetMapNode;
import io.peerrelay.relay.tailnet.relay.PeerDirectory;
import io.peerrelay.relay.tailnet.relay.TailnetPeer;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The netmap in force, as the DERP side asks about it: peers by node or disco key and whether the
 * packet filter grants a peer {@code tailscale.com/cap/relay} on this node. Every question reads
 * the latest snapshot once, so an answer never mixes two netmaps.
 */
final class NetMapPeers implements PeerDirectory {
  private final Supplier<NetMap> current;

  NetMapPeers(Supplier<NetMap> current) {
    this.current = current;
  }

  @Override
  public Optional<TailnetPeer> peerByNodeKey(TailnetKey k) {
    NetMap map = current.get();
    return map == null ? Optional.empty() : peer(map.peer(k));
  }

  @Override
  public Optional<TailnetPeer> peerByDiscoKey(DiscoPublicKey k) {
    NetMap map = current.get();
    return map == null ? Optional.empty() : peer(map.peerByDisco(k));
  }

  /**
   * Granted only while the same peer (same node key and disco key) is in the netmap in force and
   * the filter gives it the relay capability on this node, as Tailscale's relay checks it.
   */
  @Override
  public boolean grantsRelay(TailnetPeer p) {
    NetMap map = current.get();
    if (map == null) {
      return false;
    }
    NetMapNode node = map.peer(p.nodeKey());
    return node != null
        && p.discoKey().equals(node.discoKey())
        && map.peerHasCapability(node, CapabilityFilter.RELAY_CAPABILITY);
  }

  private static Optional<TailnetPeer> peer(NetMapNode node) {
    if (node == null || node.discoKey() == null) {
      return Optional.empty();
    }
    return Optional.of(new TailnetPeer(node.nodeKey(), node.discoKey(), node.name()));
  }
}
