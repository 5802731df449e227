package io.peerrelay.relay.tailnet;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The tailnet node's metrics, registered at zero on the relay's registry next to RelayMetrics':
 * {@code peerrelay_tailnet_registered} (1 while registered) and {@code
 * peerrelay_tailnet_map_updates_total} (netmaps applied, keep-alives not counted).
 */
public final class TailnetMetrics {
  private final AtomicLong registered = new AtomicLong();
  private final Counter mapUpdates;

  /** Registers both metrics on {@code registry}. */
  public TailnetMetrics(MeterRegistry registry) {
    Gauge.builder("peerrelay_tailnet_registered", registered, AtomicLong::get)
        .description("1 while the relay is registered with the tailnet's control server")
        .register(registry);
    mapUpdates =
        Counter.builder("peerrelay_tailnet_map_updates")
            .description("Netmap updates (full or delta) received from the control server")
            .register(registry);
  }

  void registered(boolean value) {
    registered.set(value ? 1 : 0);
  }

  void mapUpdate() {
    mapUpdates.increment();
  }
}
