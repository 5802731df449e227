package io.peerrelay.relay.tailnet.netmap;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * The tailnet's DERP map: regions by ID, sorted.
 *
 * @param regions the regions by region ID
 * @param omitDefaultRegions control's flag that Tailscale's own DERP servers are not to be used
 */
public record DerpMap(Map<Integer, DerpRegion> regions, boolean omitDefaultRegions) {
  /** A map with no regions. */
  public static final DerpMap EMPTY = new DerpMap(Map.of(), false);

  public DerpMap {
    regions = Collections.unmodifiableSortedMap(new TreeMap<>(regions));
  }

  /** The region with {@code id}, or null. */
  public DerpRegion region(int id) {
    return regions.get(id);
  }

  /**
   * The home region to report when none is configured: the lowest region ID with a DERP (not
   * STUN-only) node that control does not mark NoMeasureNoHome; regions marked Avoid only if
   * nothing else qualifies. 0 when the map has no usable region.
   *
   * <p>Tailscale clients pick by measured latency; the relay does not run netcheck, and a fixed
   * choice keeps every replica of a fleet predictable.
   */
  public int defaultHomeRegion() {
    int avoided = 0;
    for (DerpRegion region : regions.values()) {
      if (!region.hasDerpNode() || region.noMeasureNoHome()) {
        continue;
      }
      if (!region.avoid()) {
        return region.regionId();
      }
      if (avoided == 0) {
        avoided = region.regionId();
      }
    }
    return avoided;
  }
}
