package io.peerrelay.relay.tailnet.relay;

import static org.assertj.core.api.Assertions.assertThat;

import io.peerrelay.relay.metrics.RelayMetrics;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class TailnetMetricsTest {
  @Test
  void everySeriesExistsFromStartAndTheGaugeFollowsTheConnection() {
    RelayMetrics relay = new RelayMetrics("test");
    AtomicBoolean up = new AtomicBoolean();
    new TailnetMetrics(relay.registry(), up::get);
    String scrape = relay.scrape();
    for (TailnetAllocationResult r : TailnetAllocationResult.values()) {
      assertThat(scrape)
          .contains("peerrelay_tailnet_allocations_total{result=\"" + r.label() + "\"} 0.0");
    }
    for (String path : new String[] {"derp", "udp"}) {
      for (String result : new String[] {"answered", "ignored"}) {
        assertThat(scrape)
            .contains(
                "peerrelay_tailnet_pings_total{path=\""
                    + path
                    + "\",result=\""
                    + result
                    + "\"} 0.0");
      }
    }
    assertThat(scrape)
        .contains("peerrelay_tailnet_derp_connected 0.0")
        .contains("peerrelay_tailnet_sessions_revoked_total 0.0");
    up.set(true);
    assertThat(relay.scrape()).contains("peerrelay_tailnet_derp_connected 1.0");
  }
}
