package io.peerrelay.relay.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.peerrelay.relay.core.AllocationResult;
import io.peerrelay.relay.core.DropReason;
import io.peerrelay.relay.core.SessionState;
import java.lang.management.ManagementFactory;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RelayMetricsTest {
  private final RelayMetrics metrics = new RelayMetrics("1.2.3-test");

  /** The value of one exposition line, found by its exact name and label text. */
  private double sample(String nameAndLabels) {
    return metrics
        .scrape()
        .lines()
        .filter(l -> l.startsWith(nameAndLabels + " "))
        .map(l -> Double.parseDouble(l.substring(nameAndLabels.length() + 1).trim()))
        .findFirst()
        .orElseThrow(
            () -> new AssertionError("no line " + nameAndLabels + " in\n" + metrics.scrape()));
  }

  private static String forwarded(String what, String in, String out) {
    return "tailscaled_peer_relay_forwarded_"
        + what
        + "_total{transport_in=\""
        + in
        + "\",transport_out=\""
        + out
        + "\"}";
  }

  @Test
  void allFourForwardedCellsExistAtZeroFromStart() {
    for (String in : new String[] {"udp4", "udp6"}) {
      for (String out : new String[] {"udp4", "udp6"}) {
        assertThat(sample(forwarded("packets", in, out))).isZero();
        assertThat(sample(forwarded("bytes", in, out))).isZero();
      }
    }
    assertThat(sample("tailscaled_peer_relay_endpoints{state=\"connecting\"}")).isZero();
    assertThat(sample("tailscaled_peer_relay_endpoints{state=\"open\"}")).isZero();
  }

  @Test
  void tailscaleNamesAreExportedWithTheirTypesAndHelp() {
    String text = metrics.scrape();

    assertThat(text)
        .contains("# TYPE tailscaled_peer_relay_forwarded_packets_total counter")
        .contains("# TYPE tailscaled_peer_relay_forwarded_bytes_total counter")
        .contains("# TYPE tailscaled_peer_relay_endpoints gauge")
        .contains(
            "# HELP tailscaled_peer_relay_forwarded_packets_total Number of packets forwarded via"
                + " Peer Relay")
        .contains(
            "# HELP tailscaled_peer_relay_forwarded_bytes_total Number of bytes forwarded via Peer"
                + " Relay")
        .contains("# HELP tailscaled_peer_relay_endpoints Number of allocated Peer Relay endpoints")
        .doesNotContain("_total_total");
  }

  @ParameterizedTest(name = "in v6={0}, out v6={1} -> {2}/{3}")
  @CsvSource({
    "false, false, udp4, udp4",
    "false, true, udp4, udp6",
    "true, false, udp6, udp4",
    "true, true, udp6, udp6"
  })
  void forwardedCountsExactlyOneCell(boolean inV6, boolean outV6, String in, String out) {
    metrics.forwarded(inV6, outV6, 1, 100);
    metrics.forwarded(inV6, outV6, 3, 28); // a run of three datagrams, settled at once

    assertThat(sample(forwarded("packets", in, out))).isEqualTo(4);
    assertThat(sample(forwarded("bytes", in, out))).isEqualTo(128);
    long others =
        metrics
            .scrape()
            .lines()
            .filter(l -> l.startsWith("tailscaled_peer_relay_forwarded_"))
            .filter(l -> !l.contains("transport_in=\"" + in + "\",transport_out=\"" + out + "\""))
            .filter(l -> !l.endsWith(" 0.0"))
            .count();
    assertThat(others).isZero();
  }

  /** Tailscale's TestMetricsEndpointTransitions, all nine (before, after) pairs. */
  @ParameterizedTest(name = "{0} -> {1}: connecting {2}, open {3}")
  @CsvSource({
    "CLOSED, CLOSED, 0, 0",
    "CLOSED, CONNECTING, 1, 0",
    "CLOSED, OPEN, 0, 1",
    "CONNECTING, CLOSED, -1, 0",
    "CONNECTING, CONNECTING, 0, 0",
    "CONNECTING, OPEN, -1, 1",
    "OPEN, CLOSED, 0, -1",
    "OPEN, CONNECTING, 1, -1",
    "OPEN, OPEN, 0, 0"
  })
  void endpointGaugeFollowsTailscaleTransitionRules(
      SessionState from, SessionState to, int connecting, int open) {
    metrics.sessionState(from, to);

    assertThat(sample("tailscaled_peer_relay_endpoints{state=\"connecting\"}"))
        .isEqualTo(connecting);
    assertThat(sample("tailscaled_peer_relay_endpoints{state=\"open\"}")).isEqualTo(open);
  }

  @Test
  void aSessionLifecycleEndsWithBothGaugesAtZero() {
    metrics.sessionState(SessionState.CLOSED, SessionState.CONNECTING);
    metrics.sessionState(SessionState.CLOSED, SessionState.CONNECTING);
    metrics.sessionState(SessionState.CONNECTING, SessionState.OPEN);
    assertThat(sample("tailscaled_peer_relay_endpoints{state=\"connecting\"}")).isEqualTo(1);
    assertThat(sample("tailscaled_peer_relay_endpoints{state=\"open\"}")).isEqualTo(1);

    metrics.sessionState(SessionState.OPEN, SessionState.CLOSED);
    metrics.sessionState(SessionState.CONNECTING, SessionState.CLOSED);

    assertThat(sample("tailscaled_peer_relay_endpoints{state=\"connecting\"}")).isZero();
    assertThat(sample("tailscaled_peer_relay_endpoints{state=\"open\"}")).isZero();
  }

  @Test
  void everyDropReasonAllocationResultAndReloadResultHasASeries() {
    for (DropReason reason : DropReason.values()) {
      assertThat(
              sample(
                  "peerrelay_drops_total{reason=\""
                      + reason.name().toLowerCase(Locale.ROOT)
                      + "\"}"))
          .isZero();
    }
    for (AllocationResult result : AllocationResult.values()) {
      assertThat(
              sample(
                  "peerrelay_allocations_total{result=\""
                      + result.name().toLowerCase(Locale.ROOT)
                      + "\"}"))
          .isZero();
    }
    assertThat(
            Arrays.stream(ReloadResult.values())
                .map(r -> sample("peerrelay_config_reloads_total{result=\"" + r.label() + "\"}"))
                .collect(Collectors.toList()))
        .containsOnly(0.0);
  }

  @Test
  void countersMoveByTheirLabel() {
    metrics.dropped(DropReason.BAD_COOKIE);
    metrics.dropped(DropReason.BAD_COOKIE);
    metrics.allocation(AllocationResult.UNGRANTED);
    metrics.configReload(ReloadResult.ERROR);
    metrics.expired(3);

    assertThat(sample("peerrelay_drops_total{reason=\"bad_cookie\"}")).isEqualTo(2);
    assertThat(sample("peerrelay_drops_total{reason=\"malformed\"}")).isZero();
    assertThat(sample("peerrelay_allocations_total{result=\"ungranted\"}")).isEqualTo(1);
    assertThat(sample("peerrelay_config_reloads_total{result=\"error\"}")).isEqualTo(1);
    assertThat(sample("peerrelay_config_reloads_total{result=\"ok\"}")).isZero();
    assertThat(sample("peerrelay_sessions_expired_total")).isEqualTo(3);
  }

  @Test
  void sessionsGaugeReadsTheBoundSource() {
    assertThat(sample("peerrelay_sessions")).isZero();

    metrics.countSessionsFrom(() -> 42);

    assertThat(sample("peerrelay_sessions")).isEqualTo(42);
  }

  @Test
  void settingsInForceAreCounted() {
    metrics.settingsInForce(
        io.peerrelay.relay.core.RelaySettings.defaults()
            .withAdvertisedEndpoints(
                java.util.List.of(
                    new java.net.InetSocketAddress("192.0.2.1", 1),
                    new java.net.InetSocketAddress("192.0.2.2", 1))));

    assertThat(sample("peerrelay_advertised_endpoints")).isEqualTo(2);
    assertThat(sample("peerrelay_allowed_client_keys")).isZero();
  }

  @Test
  void drainingGaugeFlips() {
    assertThat(sample("peerrelay_draining")).isZero();
    metrics.draining(true);
    assertThat(sample("peerrelay_draining")).isEqualTo(1);
  }

  @Test
  void buildInfoNamesTheVersion() {
    assertThat(metrics.scrape())
        .containsPattern(
            "peerrelay_build_info\\{java=\"[^\"]+\",version=\"1\\.2\\.3-test\"} 1(\\.0)?\n");
  }

  @Test
  void forwardedDoesNotAllocateOnTheHotPath() {
    com.sun.management.ThreadMXBean threads =
        (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    long thread = Thread.currentThread().getId();
    for (int i = 0; i < 20_000; i++) { // warm up: JIT and LongAdder's first touch
      metrics.forwarded((i & 1) == 0, (i & 2) == 0, 1, 1200);
    }
    long before = threads.getThreadAllocatedBytes(thread);
    for (int i = 0; i < 1_000_000; i++) {
      metrics.forwarded((i & 1) == 0, (i & 2) == 0, 1, 1200);
    }
    long allocated = threads.getThreadAllocatedBytes(thread) - before;

    // A single boxed long or lambda per call would be >= 16 MB here; allow noise from the bean.
    assertThat(allocated).isLessThan(64 * 1024);
    assertThat(sample(forwarded("packets", "udp6", "udp6"))).isEqualTo(255_000);
  }
}
