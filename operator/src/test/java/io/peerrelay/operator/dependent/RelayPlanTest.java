package io.peerrelay.operator.dependent;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.peerrelay.operator.api.PeerRelay;
import io.peerrelay.operator.desired.RelayKeys;
import io.peerrelay.operator.desired.RelaySecret;
import java.security.SecureRandom;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The StatefulSet a replica is given: the new template, or, while held, the one it runs. */
class RelayPlanTest {

  private static PeerRelay relay(String image) {
    PeerRelay r = new PeerRelay();
    r.setMetadata(
        new ObjectMetaBuilder().withName("office").withNamespace("ns").withUid("u-1").build());
    r.getSpec().setImage(image);
    return r;
  }

  /** Replica {@code i}'s planned StatefulSet, with replica {@code i} held on {@code held}. */
  private static StatefulSet desired(PeerRelay relay, int i, Map<Integer, StatefulSet> held) {
    relay.getSpec().setReplicas(i + 1);
    return RelayPlan.of(relay, "default:1", Map.of(), List.of(), keys(relay, 7))
        .holding(held.keySet(), held)
        .statefulSets()
        .get(i);
  }

  @Test
  void aFreeReplicaGetsTheNewTemplateStampedWithItsDigest() {
    StatefulSet sts = desired(relay("r:2"), 0, Map.of());
    assertThat(sts.getSpec().getTemplate().getSpec().getContainers().get(0).getImage())
        .isEqualTo("r:2");
    assertThat(TemplateHash.stampedOn(sts)).isEqualTo(TemplateHash.of(sts.getSpec().getTemplate()));
  }

  @Test
  void aHeldReplicaKeepsItsRunningTemplateAndDigest() {
    StatefulSet running = desired(relay("r:1"), 1, Map.of());
    StatefulSet held = desired(relay("r:2"), 1, Map.of(1, running));
    assertThat(held.getSpec().getTemplate()).isEqualTo(running.getSpec().getTemplate());
    assertThat(TemplateHash.stampedOn(held)).isEqualTo(TemplateHash.stampedOn(running));
    assertThat(TemplateHash.stampedOn(held))
        .as("the digest of the new template differs, so the rollout still sees it as stale")
        .isNotEqualTo(TemplateHash.stampedOn(desired(relay("r:2"), 1, Map.of())));
  }

  /** Key Secrets for replicas 0..1 with keys from a random seeded with {@code seed}. */
  private static Map<Integer, Secret> keys(PeerRelay relay, long seed) {
    SecureRandom random;
    try {
      random = SecureRandom.getInstance("SHA1PRNG"); // seeded before use: deterministic
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
    random.setSeed(seed);
    Map<Integer, Secret> out = new HashMap<>();
    for (int i = 0; i < 2; i++) {
      RelayKeys.DiscoKeyPair pair = RelayKeys.generateDisco(random);
      out.put(i, RelaySecret.relaySecret(relay, i, pair.privateKey(), pair.publicKey()));
    }
    return out;
  }

  @Test
  void aNewKeyChangesTheTemplateSoThePodRollsAndAMissingSecretGetsOne() {
    PeerRelay relay = relay("r:1");
    relay.getSpec().setReplicas(1);
    RelayPlan before = RelayPlan.of(relay, "default:1", Map.of(), List.of(), keys(relay, 7));
    RelayPlan rotated = RelayPlan.of(relay, "default:1", Map.of(), List.of(), Map.of());
    String fingerprint =
        RelaySecret.fingerprint(RelaySecret.publicKey(before.keySecrets().get(0)).orElseThrow());
    assertThat(before.statefulSets().get(0).getSpec().getTemplate().getMetadata().getAnnotations())
        .containsEntry(RelaySecret.ANNOTATION_KEY_FINGERPRINT, fingerprint);
    assertThat(rotated.keySecrets()).containsKey(0);
    assertThat(RelaySecret.publicKey(rotated.keySecrets().get(0)))
        .isNotEqualTo(RelaySecret.publicKey(before.keySecrets().get(0)));
    assertThat(TemplateHash.stampedOn(rotated.statefulSets().get(0)))
        .isNotEqualTo(TemplateHash.stampedOn(before.statefulSets().get(0)));
  }

  @Test
  void digestsAreStableForEqualTemplates() {
    List<String> digests =
        List.of(
            TemplateHash.stampedOn(desired(relay("r:1"), 0, Map.of())),
            TemplateHash.stampedOn(desired(relay("r:1"), 0, Map.of())));
    assertThat(digests.get(0)).isEqualTo(digests.get(1)).hasSize(20);
  }
}
