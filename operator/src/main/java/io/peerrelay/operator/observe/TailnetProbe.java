package io.peerrelay.operator.observe;

import java.time.Duration;
import java.util.Map;

/**
 * Asks relays' side ports {@code GET /tailnet} (see {@link SidePortProbe}: all replicas at once, a
 * hung relay costs a reconcile at most {@link #TIMEOUT}).
 */
public final class TailnetProbe {

  /** How long one answer may take. */
  public static final Duration TIMEOUT = SidePortProbe.TIMEOUT;

  /** Path of the relay's tailnet state on its side port. */
  public static final String PATH = "/tailnet";

  /** The largest answer read. */
  static final int MAX_BODY = SidePortProbe.MAX_BODY;

  private final SidePortProbe<TailnetReport> probe =
      new SidePortProbe<>(PATH, TailnetReport.class, TailnetReport::notAnswering, "tailnet JSON");

  /** The report of each replica's side port ({@code ip:port}); a failure is a report too. */
  public Map<Integer, TailnetReport> probe(Map<Integer, Endpoint> sidePorts) {
    return probe.probe(sidePorts);
  }
}
