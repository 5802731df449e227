package io.peerrelay.operator.it;

import static io.peerrelay.operator.it.Fixtures.clientKey;
import static io.peerrelay.operator.it.Fixtures.grant;
import static io.peerrelay.operator.it.Fixtures.keySecret;
import static io.peerrelay.operator.it.Fixtures.relay;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.peerrelay.operator.api.Condition;
import io.peerrelay.operator.api.Conditions;
import io.peerrelay.operator.api.ExposureType;
import io.peerrelay.operator.api.GrantSource;
import io.peerrelay.operator.api.PeerRelay;
import io.peerrelay.operator.api.RelayGrant;
import io.peerrelay.operator.api.RelayGrantStatus;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * RelayGrant status on a real API server: keys resolved inline and from Secrets, relays matched.
 */
class RelayGrantIT {

  @RegisterExtension static final OperatorHarness harness = OperatorHarness.operator();

  @Test
  void inlineAndSecretKeysAreCountedAndSelectedRelaysListed() {
    String ns = harness.newNamespace("grant-ok");
    harness.create(ns, relay("east", 0, ExposureType.None, Map.of("pool", "east")));
    harness.create(ns, relay("west", 0, ExposureType.None, Map.of("pool", "west")));
    harness.create(ns, keySecret("fleet", "keys", clientKey(2) + ",\n " + clientKey(3) + "\n"));
    harness.create(
        ns,
        grant(
            "office",
            Map.of("pool", "east"),
            GrantSource.ofClientKeys(List.of(clientKey(1), clientKey(2))),
            GrantSource.ofSecret("fleet", "keys")));

    RelayGrantStatus s = awaitReason(ns, "office", Conditions.REASON_RESOLVED);
    assertThat(s.getMatchedRelays()).containsExactly("east");
    assertThat(s.getKeys()).as("1, 2 inline and 2, 3 from the Secret: 3 distinct").isEqualTo(3);
  }

  @Test
  void missingSecretIsReportedUntilItAppears() {
    String ns = harness.newNamespace("grant-missing");
    harness.create(ns, relay("east", 0, ExposureType.None, Map.of("pool", "east")));
    harness.create(ns, grant("office", Map.of("pool", "east"), GrantSource.ofSecret("late", "k")));

    Condition c = ready(awaitReason(ns, "office", Conditions.REASON_SECRET_MISSING));
    assertThat(c.getStatus()).isEqualTo(Conditions.FALSE);
    assertThat(c.getMessage()).contains("spec.src[0].secretRef").contains("late");

    // A Secret without the watch label is not cached and sends no event: the grant looks again
    // while a Secret is missing, and the condition comes to name it, the label and the fix (the
    // operator never patches a user's Secret itself).
    harness.create(ns, Fixtures.unwatchedSecret("late", "k", clientKey(7)));
    await()
        .atMost(RelayAwait.TIMEOUT)
        .untilAsserted(
            () ->
                assertThat(
                        ready(awaitReason(ns, "office", Conditions.REASON_SECRET_MISSING))
                            .getMessage())
                    .contains(
                        "spec.src[0].secretRef: Secret late lacks label peerrelay.io/watch=true",
                        "kubectl label secret -n " + ns + " late peerrelay.io/watch=true"));

    // Labelling it is an event of the label-selected Secret watch: the grant is reconciled.
    harness
        .client()
        .secrets()
        .inNamespace(ns)
        .withName("late")
        .edit(
            sec -> {
              sec.getMetadata().setLabels(Map.of("peerrelay.io/watch", "true"));
              return sec;
            });
    assertThat(awaitReason(ns, "office", Conditions.REASON_RESOLVED).getKeys()).isEqualTo(1);
  }

  @Test
  void malformedKeyInSecretNamesTheEntryAndKeepsTheOthers() {
    String ns = harness.newNamespace("grant-malformed");
    harness.create(ns, relay("east", 0, ExposureType.None, Map.of("pool", "east")));
    harness.create(ns, keySecret("fleet", "keys", clientKey(4) + " nodekey:abc"));
    harness.create(
        ns, grant("office", Map.of("pool", "east"), GrantSource.ofSecret("fleet", "keys")));

    RelayGrantStatus s = awaitReason(ns, "office", Conditions.REASON_KEY_MALFORMED);
    assertThat(ready(s).getMessage()).contains("fleet/keys entry 1").contains("nodekey:abc");
    assertThat(s.getKeys()).isEqualTo(1);
  }

  @Test
  void grantSelectingNothingSaysSoUntilARelayMatches() {
    String ns = harness.newNamespace("grant-nomatch");
    harness.create(
        ns,
        grant("office", Map.of("pool", "east"), GrantSource.ofClientKeys(List.of(clientKey(5)))));
    awaitReason(ns, "office", Conditions.REASON_NO_RELAYS_MATCHED);

    harness.create(ns, relay("east", 0, ExposureType.None, Map.of("pool", "east")));
    assertThat(awaitReason(ns, "office", Conditions.REASON_RESOLVED).getMatchedRelays())
        .containsExactly("east");
  }

  @Test
  void grantsAddAndRemoveKeysInEveryReplicaConfig() {
    String ns = harness.newNamespace("grant-config");
    harness.create(ns, relay("east", 2, ExposureType.None, Map.of("pool", "east")));
    RelayAwait.reason(harness.client(), ns, "east", Conditions.REASON_PODS_PENDING);
    assertThat(
            RelayAwait.condition(
                    RelayAwait.status(harness.client(), ns, "east", s -> true), Conditions.ACCESS)
                .getReason())
        .isEqualTo(Conditions.REASON_NO_GRANTS);

    harness.create(
        ns, grant("a", Map.of("pool", "east"), GrantSource.ofClientKeys(List.of(clientKey(1)))));
    harness.create(ns, keySecret("fleet", "keys", clientKey(2)));
    harness.create(ns, grant("b", Map.of("pool", "east"), GrantSource.ofSecret("fleet", "keys")));
    RelayAwait.status(
        harness.client(), ns, "east", s -> Integer.valueOf(2).equals(s.getGrantedKeys()));
    for (String cm : List.of("east-0", "east-1")) {
      await()
          .atMost(Duration.ofSeconds(20))
          .until(() -> config(ns, cm), c -> c.contains(clientKey(1)) && c.contains(clientKey(2)));
    }

    // Editing the grant Secret reaches the configs (the Secret informer maps it to the relay).
    RelayAwait.retryOnConflict(
        () ->
            harness
                .client()
                .secrets()
                .inNamespace(ns)
                .withName("fleet")
                .edit(
                    secret -> {
                      secret.setData(
                          Map.of(
                              "keys",
                              java.util.Base64.getEncoder()
                                  .encodeToString(
                                      clientKey(3).getBytes(StandardCharsets.US_ASCII))));
                      return secret;
                    }));
    await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () -> config(ns, "east-0"), c -> c.contains(clientKey(3)) && !c.contains(clientKey(2)));

    // Re-pointing grant "a" at another pool revokes its key here (the old selector matched).
    RelayAwait.retryOnConflict(
        () ->
            harness
                .client()
                .resources(RelayGrant.class)
                .inNamespace(ns)
                .withName("a")
                .edit(
                    a -> {
                      a.getSpec().getDst().getSelector().setMatchLabels(Map.of("pool", "west"));
                      return a;
                    }));
    await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () -> config(ns, "east-0"), c -> !c.contains(clientKey(1)) && c.contains(clientKey(3)));

    harness.client().resources(RelayGrant.class).inNamespace(ns).withName("a").delete();
    harness.client().resources(RelayGrant.class).inNamespace(ns).withName("b").delete();
    var s =
        RelayAwait.status(
            harness.client(), ns, "east", st -> Integer.valueOf(0).equals(st.getGrantedKeys()));
    assertThat(RelayAwait.condition(s, Conditions.ACCESS).getReason())
        .isEqualTo(Conditions.REASON_NO_GRANTS);
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> config(ns, "east-1"), c -> !c.contains("discokey:"));
  }

  @Test
  void relabellingARelayOutOfAGrantsSelectorRevokesItsKeys() {
    String ns = harness.newNamespace("grant-relabel");
    harness.create(ns, relay("east", 1, ExposureType.None, Map.of("pool", "east")));
    harness.create(
        ns, grant("a", Map.of("pool", "east"), GrantSource.ofClientKeys(List.of(clientKey(6)))));
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> config(ns, "east-0"), c -> c.contains(clientKey(6)));

    // A label change does not bump the PeerRelay's generation; the grant reconciler sees it,
    // rewrites matchedRelays, and that grant update reconciles the relay.
    RelayAwait.retryOnConflict(
        () ->
            harness
                .client()
                .resources(PeerRelay.class)
                .inNamespace(ns)
                .withName("east")
                .edit(
                    r -> {
                      r.getMetadata().getLabels().put("pool", "west");
                      return r;
                    }));
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> config(ns, "east-0"), c -> !c.contains(clientKey(6)));
    assertThat(awaitReason(ns, "a", Conditions.REASON_NO_RELAYS_MATCHED).getMatchedRelays())
        .isEmpty();
  }

  private static String config(String ns, String name) {
    var cm = harness.client().configMaps().inNamespace(ns).withName(name).get();
    return cm == null ? "" : cm.getData().get("relay.yaml");
  }

  private static RelayGrantStatus awaitReason(String ns, String name, String reason) {
    return await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () ->
                harness
                    .client()
                    .resources(RelayGrant.class)
                    .inNamespace(ns)
                    .withName(name)
                    .get()
                    .getStatus(),
            s -> s != null && s.getConditions() != null && reason.equals(reasonOf(s)));
  }

  private static String reasonOf(RelayGrantStatus s) {
    return s.getConditions().stream()
        .filter(c -> Conditions.READY.equals(c.getType()))
        .map(Condition::getReason)
        .findFirst()
        .orElse(null);
  }

  private static Condition ready(RelayGrantStatus s) {
    return s.getConditions().stream()
        .filter(c -> Conditions.READY.equals(c.getType()))
        .findFirst()
        .orElseThrow();
  }
}
