package io.peerrelay.relay.tailnet.relay;

import io.peerrelay.relay.protocol.DiscoPublicKey;
import io.peerrelay.relay.tailnet.key.TailnetKey;
import java.util.Optional;

/**
 * The current netmap's peers and packet filter, as the relay asks about them. Implementations read
 * the netmap in force (they are called from the DERP reader thread and the UDP event loops, so they
 * must be fast and thread-safe); after a netmap change call {@link DiscoOverDerp#revalidate()} so
 * sessions of peers that lost the grant end.
 */
public interface PeerDirectory {
  /** The peer with node key {@code k}, if the netmap has it. */
  Optional<TailnetPeer> peerByNodeKey(TailnetKey k);

  /** The peer whose netmap disco key is {@code k} (UDP pings carry no node key). */
  Optional<TailnetPeer> peerByDiscoKey(DiscoPublicKey k);

  /**
   * Whether the packet filter grants {@code p} the capability {@code tailscale.com/cap/relay} on
   * this node (Tailscale's {@code nodeHasCap(filt, peer, self, PeerCapabilityRelay)}).
   */
  boolean grantsRelay(TailnetPeer p);
}
