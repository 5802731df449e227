package io.peerrelay.operator.dependent;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.peerrelay.operator.api.PeerRelay;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** The StatefulSet a replica is given: the new template, or, while held, the one it runs. */
class RelayStatefulSetsDependentTest {

  private static PeerRelay relay(String image) {
    PeerRelay r = new PeerRelay();
    r.setMetadata(
        new ObjectMetaBuilder().withName("office").withNamespace("ns").withUid("u-1").build());
    r.getSpec().setImage(image);
    return r;
  }

  private static RelayPlan plan(Map<Integer, StatefulSet> held) {
    return new RelayPlan("default:1", Map.of(), new TreeSet<>(), held);
  }

  @Test
  void aFreeReplicaGetsTheNewTemplateStampedWithItsDigest() {
    StatefulSet sts = RelayStatefulSetsDependent.desired(relay("r:2"), 0, plan(Map.of()));
    assertThat(sts.getSpec().getTemplate().getSpec().getContainers().get(0).getImage())
        .isEqualTo("r:2");
    assertThat(TemplateHash.stampedOn(sts)).isEqualTo(TemplateHash.of(sts.getSpec().getTemplate()));
  }

  @Test
  void aHeldReplicaKeepsItsRunningTemplateAndDigest() {
    StatefulSet running = RelayStatefulSetsDependent.desired(relay("r:1"), 1, plan(Map.of()));
    StatefulSet held =
        RelayStatefulSetsDependent.desired(relay("r:2"), 1, plan(Map.of(1, running)));
    assertThat(held.getSpec().getTemplate()).isEqualTo(running.getSpec().getTemplate());
    assertThat(TemplateHash.stampedOn(held)).isEqualTo(TemplateHash.stampedOn(running));
    assertThat(TemplateHash.stampedOn(held))
        .as("the digest of the new template differs, so the rollout still sees it as stale")
        .isNotEqualTo(
            TemplateHash.stampedOn(
                RelayStatefulSetsDependent.desired(relay("r:2"), 1, plan(Map.of()))));
  }

  @Test
  void digestsAreStableForEqualTemplates() {
    List<String> digests =
        List.of(
            TemplateHash.stampedOn(
                RelayStatefulSetsDependent.desired(relay("r:1"), 0, plan(Map.of()))),
            TemplateHash.stampedOn(
                RelayStatefulSetsDependent.desired(relay("r:1"), 0, plan(Map.of()))));
    assertThat(digests.get(0)).isEqualTo(digests.get(1)).hasSize(20);
  }
}
