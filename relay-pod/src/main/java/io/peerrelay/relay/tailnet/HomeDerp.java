package io.peerrelay.relay.tailnet;

import io.peerrelay.relay.tailnet.derp.DerpServer;
import io.peerrelay.relay.tailnet.netmap.DerpMap;
import io.peerrelay.relay.tailnet.netmap.DerpNode;
import io.peerrelay.relay.tailnet.netmap.DerpRegion;

/**
 * This node's home DERP, decided in one place from the netmap's DERP map: the region reported to
 * control in Hostinfo (by {@link ControlLoop}) is the one the DERP client dials (by {@link
 * TailnetMode}).
 *
 * @param regionId the home region, 0 when the map has no usable region
 * @param server the first DERP (not STUN-only) node of that region as the DERP client dials it, or
 *     null when there is none
 */
record HomeDerp(int regionId, DerpServer server) {
  /** The home DERP of {@code map} ({@link DerpMap#defaultHomeRegion}). */
  static HomeDerp of(DerpMap map) {
    int region = map.defaultHomeRegion();
    return new HomeDerp(region, firstDerpNode(map.region(region)));
  }

  private static DerpServer firstDerpNode(DerpRegion region) {
    if (region == null) {
      return null;
    }
    for (DerpNode n : region.nodes()) {
      if (!n.stunOnly()) {
        return new DerpServer(
            n.hostName(), n.ipv4(), n.ipv6(), n.derpPort(), n.insecureForTests(), n.certName());
      }
    }
    return null;
  }
}
