package io.peerrelay.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class OperatorSettingsTest {

  @Test
  void defaultsWithoutEnvironment() {
    OperatorSettings s = OperatorSettings.from(Map.of(), new String[0]);
    assertThat(s.watchNamespaces()).isEmpty();
    assertThat(s.defaultRelayImage()).isEqualTo(OperatorSettings.DEFAULT_RELAY_IMAGE);
    assertThat(s.healthPort()).isEqualTo(8081);
    assertThat(s.metricsPort()).isEqualTo(8080);
    assertThat(s.leaderElection()).isTrue();
    assertThat(s.leaseNamespace()).isEqualTo("peerrelay-system");
  }

  @Test
  void environmentAsTheChartSetsItAndFlagsOverrideIt() {
    OperatorSettings s =
        OperatorSettings.from(
            Map.of(
                "PEERRELAY_WATCH_NAMESPACES", " relays , edge,",
                "PEERRELAY_RELAY_IMAGE", "r:1",
                "PEERRELAY_METRICS_PORT", "9100",
                "POD_NAMESPACE", "ops"),
            new String[] {"--relay-image=r:2", "--leader-election=false"});
    assertThat(s.watchNamespaces()).isEqualTo(Set.of("relays", "edge"));
    assertThat(s.defaultRelayImage()).isEqualTo("r:2");
    assertThat(s.metricsPort()).isEqualTo(9100);
    assertThat(s.leaderElection()).isFalse();
    assertThat(s.leaseNamespace()).isEqualTo("ops");
  }

  @Test
  void aBadPortOrFlagIsRefused() {
    assertThatThrownBy(
            () -> OperatorSettings.from(Map.of("PEERRELAY_HEALTH_PORT", "70000"), new String[0]))
        .hasMessageContaining("PEERRELAY_HEALTH_PORT");
    assertThatThrownBy(() -> OperatorSettings.from(Map.of(), new String[] {"watch"}))
        .hasMessageContaining("--name=value");
  }
}
