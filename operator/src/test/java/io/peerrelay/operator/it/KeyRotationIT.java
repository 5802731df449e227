package io.peerrelay.operator.it;

import static io.peerrelay.operator.it.Fixtures.relay;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.peerrelay.operator.api.ExposureType;
import io.peerrelay.operator.api.PeerRelay;
import io.peerrelay.operator.api.PeerRelayStatus;
import io.peerrelay.operator.api.StaticEndpoint;
import io.peerrelay.operator.desired.RelaySecret;
import java.util.HashMap;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Rotating a replica's key on a real API server, as operator/README.md says: delete its key Secret.
 * The operator creates a new key, the pod template's key fingerprint changes so the StatefulSet
 * rolls the pod (the running relay would keep serving the old key), and status shows the key
 * derived from the private key, never the annotation.
 */
class KeyRotationIT {

  @RegisterExtension static final OperatorHarness harness = OperatorHarness.operator();

  private static Secret secret(String ns) {
    return await()
        .atMost(RelayAwait.TIMEOUT)
        .until(
            () -> harness.client().secrets().inNamespace(ns).withName("office-0").get(),
            s -> s != null);
  }

  private static String fingerprint(String ns) {
    StatefulSet sts =
        harness.client().apps().statefulSets().inNamespace(ns).withName("office-0").get();
    return sts == null
        ? null
        : sts.getSpec()
            .getTemplate()
            .getMetadata()
            .getAnnotations()
            .get(RelaySecret.ANNOTATION_KEY_FINGERPRINT);
  }

  private static PeerRelayStatus withKey(String ns, String key) {
    return RelayAwait.status(
        harness.client(),
        ns,
        "office",
        s ->
            s.getReplicaStatuses() != null
                && !s.getReplicaStatuses().isEmpty()
                && key.equals(s.getReplicaStatuses().get(0).getPublicKey()));
  }

  @Test
  void deletingTheKeySecretRollsThePodAndStatusShowsTheNewKey() {
    String ns = harness.newNamespace("rotate");
    PeerRelay r = relay("office", 1, ExposureType.None);
    r.getSpec().setStaticEndpoints(List.of(new StaticEndpoint("192.0.2.10:40000", null)));
    harness.create(ns, r);
    Secret first = secret(ns);
    String key1 = RelaySecret.publicKey(first).orElseThrow();
    await()
        .atMost(RelayAwait.TIMEOUT)
        .untilAsserted(() -> assertThat(fingerprint(ns)).isEqualTo(RelaySecret.fingerprint(key1)));
    withKey(ns, key1);

    // An edited annotation is not the key the relay serves: status keeps the derived one.
    harness
        .client()
        .secrets()
        .inNamespace(ns)
        .withName("office-0")
        .edit(
            s -> {
              var a = new HashMap<>(s.getMetadata().getAnnotations());
              a.put("peerrelay.io/public-key", "discokey:" + "0".repeat(64));
              s.getMetadata().setAnnotations(a);
              return s;
            });
    RelayAwait.markReady(harness.client(), ns, "office-0-0");
    assertThat(withKey(ns, key1).getReplicaStatuses().get(0).getPublicKey()).isEqualTo(key1);

    harness.client().secrets().inNamespace(ns).withName("office-0").delete();
    Secret second =
        await()
            .atMost(RelayAwait.TIMEOUT)
            .until(
                () -> harness.client().secrets().inNamespace(ns).withName("office-0").get(),
                s -> s != null && !s.getMetadata().getUid().equals(first.getMetadata().getUid()));
    String key2 = RelaySecret.publicKey(second).orElseThrow();
    assertThat(key2).isNotEqualTo(key1);
    await()
        .atMost(RelayAwait.TIMEOUT)
        .untilAsserted(
            () ->
                assertThat(fingerprint(ns))
                    .as("the template changes, so the StatefulSet rolls the pod")
                    .isEqualTo(RelaySecret.fingerprint(key2)));
    withKey(ns, key2);
  }
}
