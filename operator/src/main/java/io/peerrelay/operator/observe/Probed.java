package io.peerrelay.operator.observe;

import java.util.Map;

/**
 * What the relays' side ports answered in one reconcile, per replica (ready replicas only).
 *
 * @param tailnet {@code /tailnet} reports (tailnet mode only)
 * @param config {@code /config} reports
 */
public record Probed(Map<Integer, TailnetReport> tailnet, Map<Integer, ConfigReport> config) {

  /** Nothing probed (the spec is invalid, or the API server refused a child). */
  public static final Probed NONE = new Probed(Map.of(), Map.of());

  public Probed {
    tailnet = Map.copyOf(tailnet);
    config = Map.copyOf(config);
  }
}
