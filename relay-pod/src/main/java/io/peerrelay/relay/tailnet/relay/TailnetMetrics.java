package io.peerrelay.relay.tailnet.relay;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.function.BooleanSupplier;

/**
 * Tailnet-mode metrics, registered beside the relay's own (pass {@code RelayMetrics.registry()});
 * every labelled series exists from start at 0, as the relay's do.
 */
public final class TailnetMetrics {
  /** Where a disco ping came in. */
  public enum PingPath {
    DERP,
    UDP
  }

  private final Counter[] allocations = new Counter[TailnetAllocationResult.values().length];
  private final Counter[][] pings = new Counter[2][2];
  private final Counter revoked;

  /**
   * @param registry the relay's registry
   * @param derpConnected whether the home DERP connection is up (for the gauge)
   */
  public TailnetMetrics(MeterRegistry registry, BooleanSupplier derpConnected) {
    for (TailnetAllocationResult r : TailnetAllocationResult.values()) {
      allocations[r.ordinal()] =
          Counter.builder("peerrelay_tailnet_allocations")
              .description("Allocation requests over DERP by outcome")
              .tag("result", r.label())
              .register(registry);
    }
    for (PingPath p : PingPath.values()) {
      for (int answered = 0; answered < 2; answered++) {
        pings[p.ordinal()][answered] =
            Counter.builder("peerrelay_tailnet_pings")
                .description(
                    "Disco pings to this node by path; ignored ones came from no known peer")
                .tag("path", p.name().toLowerCase(java.util.Locale.ROOT))
                .tag("result", answered == 1 ? "answered" : "ignored")
                .register(registry);
      }
    }
    revoked =
        Counter.builder("peerrelay_tailnet_sessions_revoked")
            .description("Sessions ended because their peer lost the relay grant")
            .register(registry);
    Gauge.builder("peerrelay_tailnet_derp_connected", () -> derpConnected.getAsBoolean() ? 1 : 0)
        .description("1 while the home DERP connection is logged in, else 0")
        .register(registry);
  }

  /** Metrics that go nowhere (tests). */
  public static TailnetMetrics discard() {
    return new TailnetMetrics(
        new io.micrometer.core.instrument.simple.SimpleMeterRegistry(), () -> false);
  }

  void allocation(TailnetAllocationResult r) {
    allocations[r.ordinal()].increment();
  }

  void ping(PingPath path, boolean answered) {
    pings[path.ordinal()][answered ? 1 : 0].increment();
  }

  void revoked(int n) {
    revoked.increment(n);
  }

  /** The count for {@code r} (tests and logs). */
  public long allocations(TailnetAllocationResult r) {
    return (long) allocations[r.ordinal()].count();
  }

  /** Pings on {@code path} answered or ignored. */
  public long pings(PingPath path, boolean answered) {
    return (long) pings[path.ordinal()][answered ? 1 : 0].count();
  }
}
