package io.peerrelay.operator.desired;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

class NamesTest {

  @ParameterizedTest
  @CsvSource({"office,0,office-0", "office,7,office-7", "us-east-1a,63,us-east-1a-63"})
  void childNamesAreRelayDashIndex(String relay, int index, String expected) {
    assertThat(Names.replica(relay, index)).isEqualTo(expected);
  }

  @Test
  void podAndDisruptionBudgetNamesDeriveFromTheRelayName() {
    assertThat(Names.pod(Relays.relay(), 2)).isEqualTo("office-2-0");
    assertThat(Names.podDisruptionBudget(Relays.relay())).isEqualTo("office");
  }

  @Test
  void replicaLabelsCarryRelayAndIndexAndParseBack() {
    Map<String, String> labels = Names.replicaLabels(Relays.relay(), 5);
    assertThat(labels)
        .containsEntry("app.kubernetes.io/name", "peer-relay")
        .containsEntry("app.kubernetes.io/instance", "office")
        .containsEntry("app.kubernetes.io/managed-by", "peerrelay-operator")
        .containsEntry("peerrelay.io/relay", "office")
        .containsEntry("peerrelay.io/replica", "5");
    assertThat(Names.replicaIndex(labels)).hasValue(5);
  }

  @ParameterizedTest
  @CsvSource({"0,0", "9,9", "10,10", "63,63", "999,999"})
  void replicaLabelParsesCanonicalIndexes(String value, int expected) {
    assertThat(Names.replicaIndex(Map.of(Names.LABEL_REPLICA, value))).hasValue(expected);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "-1", "+1", "01", "1 ", " 1", "a", "1a", "1000", "0x1", "١"})
  void replicaLabelRejectsAnythingThatCouldAliasAnotherReplica(String value) {
    assertThat(Names.replicaIndex(Map.of(Names.LABEL_REPLICA, value))).isEmpty();
  }

  @ParameterizedTest
  @NullSource
  void replicaLabelMissingIsEmpty(Map<String, String> labels) {
    assertThat(Names.replicaIndex(labels)).isEqualTo(OptionalInt.empty());
    assertThat(Names.replicaIndex(new HashMap<>())).isEmpty();
  }

  @Test
  void selectorStringMatchesTheRelayPods() {
    assertThat(Names.relaySelectorString(Relays.relay()))
        .isEqualTo("app.kubernetes.io/name=peer-relay,peerrelay.io/relay=office");
    assertThat(Names.replicaLabels(Relays.relay(), 0))
        .containsAllEntriesOf(Names.relaySelector(Relays.relay()));
  }

  @ParameterizedTest
  @CsvSource({
    "office,true",
    "us-east-1a,true",
    "a,true",
    "r2d2,true",
    "1relay,false",
    "relay.office,false",
    "Office,false",
    "relay-,false",
    "-relay,false"
  })
  void relayNamesMustMakeValidServiceNames(String name, boolean valid) {
    assertThat(name.matches(Names.RELAY_NAME_PATTERN)).isEqualTo(valid);
  }

  @Test
  void theLongestAllowedNameStillGivesValidChildNames() {
    String longest = "r".repeat(Names.MAX_RELAY_NAME);
    String child = Names.replica(longest, 63);
    // StatefulSet: its pods carry controller-revision-hash=<name>-<10 char hash>, at most 63.
    assertThat(child.length() + 1 + 10).isLessThanOrEqualTo(63);
    // Pod <child>-0 and Service <child> are DNS labels.
    assertThat((child + "-0").length()).isLessThanOrEqualTo(63);
    assertThat(child).matches("^[a-z]([-a-z0-9]*[a-z0-9])?$");
  }
}
