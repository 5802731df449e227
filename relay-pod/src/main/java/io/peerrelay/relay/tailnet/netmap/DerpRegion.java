package io.peerrelay.relay.tailnet.netmap;

import java.util.List;

/**
 * One DERP region of the map.
 *
 * @param regionId the region ID (what Node.HomeDERP and PreferredDERP name)
 * @param regionCode the short code, e.g. "nyc"
 * @param regionName the long name
 * @param avoid true when clients should not pick it as home unless nothing else works
 * @param noMeasureNoHome true when clients must neither measure it nor pick it as home
 * @param nodes the region's servers, in control's order (clients try them in that order)
 */
public record DerpRegion(
    int regionId,
    String regionCode,
    String regionName,
    boolean avoid,
    boolean noMeasureNoHome,
    List<DerpNode> nodes) {

  public DerpRegion {
    nodes = List.copyOf(nodes);
  }

  /** True when at least one node serves DERP (not only STUN). */
  public boolean hasDerpNode() {
    return nodes.stream().anyMatch(n -> !n.stunOnly());
  }
}
