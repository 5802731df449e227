package io.peerrelay.relay.tailnet.relay;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;

/**
 * Tailnet-mode metrics, registered beside the relay's own (pass {@code RelayMetrics.registry()});
 * every labelled series exists from start at 0, as the relay's do. The node's (registered with
 * control, netmaps applied) and the relay's over DERP (allocations, pings, revocations, the home
 * DERP connection) are one set: tailnet mode makes one and hands it to both.
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
  private final AtomicLong registered = new AtomicLong();
  private final Counter mapUpdates;
  private volatile BooleanSupplier derpConnected = () -> false;

  /**
   * @param registry the relay's registry
   * @param derpConnected whether the home DERP connection is up (for the gauge)
   */
  public TailnetMetrics(MeterRegistry registry, BooleanSupplier derpConnected) {
    this(registry);
    derpConnected(derpConnected);
  }

  /**
   * Registers every metric on {@code registry}; the DERP gauge reads 0 until {@link
   * #derpConnected}.
   */
  public TailnetMetrics(MeterRegistry registry) {
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
    Gauge.builder("peerrelay_tailnet_derp_connected", this, m -> m.derpUp() ? 1 : 0)
        .description("1 while the home DERP connection is logged in, else 0")
        .register(registry);
    Gauge.builder("peerrelay_tailnet_registered", registered, AtomicLong::get)
        .description("1 while the relay is registered with the tailnet's control server")
        .register(registry);
    mapUpdates =
        Counter.builder("peerrelay_tailnet_map_updates")
            .description("Netmap updates (full or delta) received from the control server")
            .register(registry);
  }

  /** Where the DERP gauge reads whether the home DERP connection is up. */
  public void derpConnected(BooleanSupplier up) {
    derpConnected = up;
  }

  private boolean derpUp() {
    return derpConnected.getAsBoolean();
  }

  /** Whether the node is registered with control ({@code peerrelay_tailnet_registered}). */
  public void registered(boolean value) {
    registered.set(value ? 1 : 0);
  }

  /** One netmap applied (keep-alives not counted). */
  public void mapUpdate() {
    mapUpdates.increment();
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
