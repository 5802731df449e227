package io.peerrelay.operator.desired;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.peerrelay.operator.api.PeerRelay;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RelayPodDisruptionBudgetTest {

  @ParameterizedTest
  @ValueSource(ints = {0, 1, 5})
  void allowsOneReplicaDownAndSelectsEveryReplicasPod(int index) {
    PeerRelay relay = Relays.relay();
    PodDisruptionBudget pdb = RelayPodDisruptionBudget.relayPodDisruptionBudget(relay);
    assertThat(pdb.getMetadata().getName()).isEqualTo("office");
    assertThat(pdb.getSpec().getMaxUnavailable().getIntVal()).isEqualTo(1);
    assertThat(pdb.getSpec().getMinAvailable()).isNull();
    StatefulSet sts = RelayStatefulSet.relayStatefulSet(relay, index, "img");
    assertThat(sts.getSpec().getTemplate().getMetadata().getLabels())
        .containsAllEntriesOf(pdb.getSpec().getSelector().getMatchLabels());
  }

  @ParameterizedTest
  @ValueSource(strings = {"office-2", "other"})
  void doesNotSelectPodsOfAnotherRelay(String otherName) {
    PodDisruptionBudget pdb = RelayPodDisruptionBudget.relayPodDisruptionBudget(Relays.relay());
    StatefulSet other =
        RelayStatefulSet.relayStatefulSet(Relays.relay(otherName, s -> {}), 0, "img");
    assertThat(other.getSpec().getTemplate().getMetadata().getLabels())
        .doesNotContainEntry(Names.LABEL_RELAY, "office");
    assertThat(pdb.getSpec().getSelector().getMatchLabels())
        .containsEntry(Names.LABEL_RELAY, "office");
  }
}
