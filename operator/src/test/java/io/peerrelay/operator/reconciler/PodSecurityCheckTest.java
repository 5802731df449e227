package io.peerrelay.operator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PodSecurityCheckTest {

  @ParameterizedTest(name = "enforce={0} blocks={1}")
  @CsvSource(
      nullValues = "absent",
      value = {"privileged, false", "baseline, true", "restricted, true", "absent, false"})
  void onlyAnEnforceLevelForbiddingHostNetworkBlocks(String level, boolean blocks) {
    Map<String, String> labels = new HashMap<>(Map.of("team", "net"));
    if (level != null) {
      labels.put(PodSecurityCheck.ENFORCE_LABEL, level);
    }
    String problem = PodSecurityCheck.labelProblem("relays", labels);
    if (blocks) {
      assertThat(problem)
          .contains("namespace relays")
          .contains("\"" + level + "\"")
          .contains("pod-security.kubernetes.io/enforce=privileged");
    } else {
      assertThat(problem).isNull();
    }
  }

  @ParameterizedTest(name = "{0}={1} does not block")
  @CsvSource({
    // Only the enforce mode rejects pods; audit and warn merely report.
    "pod-security.kubernetes.io/warn, restricted",
    "pod-security.kubernetes.io/audit, baseline",
    "pod-security.kubernetes.io/enforce-version, latest"
  })
  void labelsOtherThanEnforceDoNotBlock(String label, String value) {
    assertThat(PodSecurityCheck.labelProblem("relays", Map.of(label, value))).isNull();
  }
}
