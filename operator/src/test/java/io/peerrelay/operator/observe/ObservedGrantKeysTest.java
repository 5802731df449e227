package io.peerrelay.operator.observe;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.peerrelay.operator.api.GrantSource;
import io.peerrelay.operator.api.RelayGrant;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ObservedGrantKeysTest {

  private static final String K1 = "discokey:" + "11".repeat(32);
  private static final String K2 = "discokey:" + "22".repeat(32);

  private static Secret secret(String key, String value) {
    return new SecretBuilder()
        .withNewMetadata()
        .withName("fleet")
        .endMetadata()
        .addToData(key, Base64.getEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_8)))
        .build();
  }

  private static RelayGrant grant(GrantSource... src) {
    RelayGrant g = new RelayGrant();
    g.getSpec().setSrc(List.of(src));
    return g;
  }

  @Test
  void inlineAndSecretKeysAreUnitedSortedAndDeduplicated() {
    Secret s = secret("keys", K2 + ",\n\t " + K1 + "  \n" + K2 + "\n");
    ObservedGrantKeys keys =
        ObservedGrantKeys.resolve(
            grant(GrantSource.ofClientKeys(List.of(K2)), GrantSource.ofSecret("fleet", "keys")),
            name -> name.equals("fleet") ? s : null);
    assertThat(keys.keys()).containsExactly(K1, K2);
    assertThat(keys.missing()).isEmpty();
    assertThat(keys.malformed()).isEmpty();
  }

  @Test
  void missingSecretAndMissingKeyAreNamedByTheirSpecPath() {
    ObservedGrantKeys keys =
        ObservedGrantKeys.resolve(
            grant(GrantSource.ofSecret("absent", "k"), GrantSource.ofSecret("fleet", "other")),
            name -> name.equals("fleet") ? secret("keys", K1) : null);
    assertThat(keys.missing())
        .containsExactly(
            "spec.src[0].secretRef: Secret absent not found",
            "spec.src[1].secretRef: Secret fleet has no key other");
    assertThat(keys.keys()).isEmpty();
  }

  @Test
  void malformedEntriesAreNamedTruncatedAndTheRestGranted() {
    String secretValue = "not-a-key-but-a-long-secret-value " + K1;
    ObservedGrantKeys keys =
        ObservedGrantKeys.resolve(
            grant(GrantSource.ofSecret("fleet", "keys"), GrantSource.ofClientKeys(List.of("x"))),
            name -> secret("keys", secretValue));
    assertThat(keys.keys()).containsExactly(K1);
    assertThat(keys.malformed()).hasSize(2);
    assertThat(keys.malformed().get(0))
        .startsWith("spec.src[0].secretRef (fleet/keys entry 0)")
        .doesNotContain("long-secret-value");
    assertThat(keys.malformed().get(1)).startsWith("spec.src[1].clientKeys[0]");
  }

  static Stream<Arguments> selections() {
    Map<String, String> labels = Map.of("pool", "east", "tier", "gold");
    return Stream.of(
        Arguments.of("missing selector selects nothing", null, labels, false),
        Arguments.of("empty selector selects everything", new LabelSelector(), labels, true),
        Arguments.of(
            "matchLabels subset",
            new LabelSelectorBuilder().withMatchLabels(Map.of("pool", "east")).build(),
            labels,
            true),
        Arguments.of(
            "matchLabels other value",
            new LabelSelectorBuilder().withMatchLabels(Map.of("pool", "west")).build(),
            labels,
            false),
        Arguments.of("In", expr("tier", "In", List.of("gold", "silver")), labels, true),
        Arguments.of("NotIn", expr("tier", "NotIn", List.of("gold")), labels, false),
        Arguments.of("Exists", expr("pool", "Exists", null), labels, true),
        Arguments.of("DoesNotExist", expr("pool", "DoesNotExist", null), labels, false),
        Arguments.of("unlabelled relay, NotIn", expr("tier", "NotIn", List.of("x")), null, true));
  }

  private static LabelSelector expr(String key, String operator, List<String> values) {
    return new LabelSelectorBuilder()
        .addToMatchExpressions(new LabelSelectorRequirement(key, operator, values))
        .build();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("selections")
  void selectorsFollowTheApiServersSemantics(
      String name, LabelSelector selector, Map<String, String> labels, boolean selects) {
    assertThat(ObservedSelection.selects(selector, labels)).isEqualTo(selects);
  }
}
