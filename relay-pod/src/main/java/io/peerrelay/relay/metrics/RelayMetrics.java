package io.peerrelay.relay.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.peerrelay.relay.core.AllocationResult;
import io.peerrelay.relay.core.DropReason;
import io.peerrelay.relay.core.RelayEvents;
import io.peerrelay.relay.core.RelaySettings;
import io.peerrelay.relay.core.SessionState;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.IntSupplier;

/**
 * The relay's Prometheus metrics: Tailscale's peer-relay metrics with their exact names, labels and
 * meanings (so Tailscale dashboards work unchanged), plus our own {@code peerrelay_*} ones.
 *
 * <p>Every labelled cell is created at construction: Prometheus needs a series to exist at 0 for
 * {@code rate()} to see its first increment, and the hot path then only touches pre-resolved
 * fields, so {@link #forwarded} does not allocate.
 */
public final class RelayMetrics implements RelayEvents {
  static final String FORWARDED_PACKETS = "tailscaled_peer_relay_forwarded_packets";
  static final String FORWARDED_BYTES = "tailscaled_peer_relay_forwarded_bytes";
  static final String ENDPOINTS = "tailscaled_peer_relay_endpoints";

  private final PrometheusMeterRegistry registry =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);

  /** Indexed by {@link #cell}: in/out families udp4/udp6. */
  private final LongAdder[] forwardedPackets = new LongAdder[4];

  private final LongAdder[] forwardedBytes = new LongAdder[4];
  private final Counter[] drops = new Counter[DropReason.values().length];
  private final Counter[] allocations = new Counter[AllocationResult.values().length];
  private final Counter[] reloads = new Counter[ReloadResult.values().length];
  private final Counter expired;
  private final AtomicLong connecting = new AtomicLong();
  private final AtomicLong open = new AtomicLong();
  private final AtomicLong draining = new AtomicLong();
  private final AtomicLong advertisedEndpoints = new AtomicLong();
  private final AtomicLong allowedClientKeys = new AtomicLong();
  private volatile IntSupplier sessionCount = () -> 0;

  /** Registers every metric at zero; {@code version} labels {@code peerrelay_build_info}. */
  public RelayMetrics(String version) {
    registerForwarded();
    registerEndpoints();
    for (DropReason reason : DropReason.values()) {
      drops[reason.ordinal()] =
          counter(
              "peerrelay_drops",
              "Datagrams the relay dropped without answering, by reason",
              "reason",
              reason.name().toLowerCase(Locale.ROOT));
    }
    for (AllocationResult result : AllocationResult.values()) {
      allocations[result.ordinal()] =
          counter(
              "peerrelay_allocations",
              "Allocation requests on the relay port, by result",
              "result",
              result.name().toLowerCase(Locale.ROOT));
    }
    for (ReloadResult result : ReloadResult.values()) {
      reloads[result.ordinal()] =
          counter(
              "peerrelay_config_reloads",
              "Changes of the config or key file seen by the relay, by result",
              "result",
              result.label());
    }
    expired =
        Counter.builder("peerrelay_sessions_expired")
            .description("Sessions removed by garbage collection after their lifetime ran out")
            .register(registry);
    registerGauges();
    BuildInfo.register(registry, version);
  }

  /** Tailscale's forwarded packets and bytes, one pre-resolved cell per family pair. */
  private void registerForwarded() {
    for (int cell = 0; cell < 4; cell++) {
      String in = family((cell & 2) != 0);
      String out = family((cell & 1) != 0);
      LongAdder packets = new LongAdder();
      LongAdder bytes = new LongAdder();
      forwardedPackets[cell] = packets;
      forwardedBytes[cell] = bytes;
      FunctionCounter.builder(FORWARDED_PACKETS, packets, LongAdder::doubleValue)
          .description("Number of packets forwarded via Peer Relay")
          .tags("transport_in", in, "transport_out", out)
          .register(registry);
      FunctionCounter.builder(FORWARDED_BYTES, bytes, LongAdder::doubleValue)
          .description("Number of bytes forwarded via Peer Relay")
          .tags("transport_in", in, "transport_out", out)
          .register(registry);
    }
  }

  /** Tailscale's endpoints gauge, by state. */
  private void registerEndpoints() {
    Gauge.builder(ENDPOINTS, connecting, AtomicLong::get)
        .description("Number of allocated Peer Relay endpoints")
        .tag("state", "connecting")
        .register(registry);
    Gauge.builder(ENDPOINTS, open, AtomicLong::get)
        .description("Number of allocated Peer Relay endpoints")
        .tag("state", "open")
        .register(registry);
  }

  private Counter counter(String name, String description, String tag, String value) {
    return Counter.builder(name).description(description).tag(tag, value).register(registry);
  }

  /** Our own gauges: the session table, drain and the config in force. */
  private void registerGauges() {
    Gauge.builder("peerrelay_sessions", this, m -> m.sessionCount.getAsInt())
        .description("Sessions in the relay's table (connecting and open)")
        .register(registry);
    Gauge.builder("peerrelay_draining", draining, AtomicLong::get)
        .description("1 while the relay is draining for shutdown and takes no new allocations")
        .register(registry);
    Gauge.builder("peerrelay_advertised_endpoints", advertisedEndpoints, AtomicLong::get)
        .description("Advertised endpoints in the config in force")
        .register(registry);
    Gauge.builder("peerrelay_allowed_client_keys", allowedClientKeys, AtomicLong::get)
        .description("Granted client disco keys in the config in force")
        .register(registry);
  }

  private static String family(boolean v6) {
    return v6 ? "udp6" : "udp4";
  }

  private static int cell(boolean inV6, boolean outV6) {
    return (inV6 ? 2 : 0) | (outV6 ? 1 : 0);
  }

  @Override
  public void forwarded(boolean inV6, boolean outV6, long packets, long bytes) {
    int cell = cell(inV6, outV6);
    forwardedPackets[cell].add(packets);
    forwardedBytes[cell].add(bytes);
  }

  @Override
  public void dropped(DropReason reason) {
    drops[reason.ordinal()].increment();
  }

  @Override
  public void allocation(AllocationResult result) {
    allocations[result.ordinal()].increment();
  }

  /**
   * Tailscale's endpoint gauge rules: entering or leaving {@code closed} touches only the other
   * side; any other change moves one endpoint from {@code from} to {@code to}.
   */
  @Override
  public void sessionState(SessionState from, SessionState to) {
    if (from == to) {
      return;
    }
    gaugeOf(from, -1);
    gaugeOf(to, +1);
  }

  private void gaugeOf(SessionState state, int delta) {
    switch (state) {
      case CONNECTING:
        connecting.addAndGet(delta);
        break;
      case OPEN:
        open.addAndGet(delta);
        break;
      default:
        break; // closed endpoints are not counted anywhere
    }
  }

  @Override
  public void expired(int count) {
    expired.increment(count);
  }

  /** Counts one re-read of the config or key file. */
  public void configReload(ReloadResult result) {
    reloads[result.ordinal()].increment();
  }

  /** Reports the live session count from {@code source} (the core's table) from now on. */
  public void countSessionsFrom(IntSupplier source) {
    this.sessionCount = source;
  }

  /**
   * Reports the sizes of the settings now in force (so a rejected reload is visible as no change).
   */
  public void settingsInForce(RelaySettings settings) {
    advertisedEndpoints.set(settings.advertisedEndpoints().size());
    allowedClientKeys.set(settings.allowedClientKeys().size());
  }

  /** Sets the draining gauge. */
  public void draining(boolean value) {
    draining.set(value ? 1 : 0);
  }

  /** The Prometheus text exposition (format 0.0.4) of every metric. */
  public String scrape() {
    return registry.scrape();
  }

  /** The registry, for tests and for adding process metrics. */
  public PrometheusMeterRegistry registry() {
    return registry;
  }
}
