package io.peerrelay.operator.it;

import static io.peerrelay.operator.it.Fixtures.relay;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.peerrelay.operator.api.Condition;
import io.peerrelay.operator.api.Conditions;
import io.peerrelay.operator.api.ExposureType;
import io.peerrelay.operator.api.PeerRelay;
import io.peerrelay.operator.api.PeerRelayStatus;
import io.peerrelay.operator.api.StaticEndpoint;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A relay's refusal of its relay.yaml reaches the PeerRelay status on a real API server: through
 * the side port's {@code GET /config} (a server on loopback speaking the relay's JSON, where the
 * pod's address points; the relay side of the route is tested in relay-pod) and through the relay
 * container's termination message. The key status shows is the one {@code /config} says it serves.
 */
class RelayConfigReportIT {

  @RegisterExtension static final OperatorHarness harness = OperatorHarness.operator();

  private static final String SERVED = "discokey:" + "cd".repeat(32);

  private static PeerRelay staticRelay(String name) {
    PeerRelay r = relay(name, 1, ExposureType.None);
    r.getSpec().setStaticEndpoints(List.of(new StaticEndpoint("192.0.2.10:40000", null)));
    return r;
  }

  private static String writtenSha256(String ns, String name) throws NoSuchAlgorithmException {
    ConfigMap cm =
        await()
            .atMost(RelayAwait.TIMEOUT)
            .until(
                () -> harness.client().configMaps().inNamespace(ns).withName(name).get(),
                c -> c != null);
    byte[] yaml = cm.getData().get("relay.yaml").getBytes(StandardCharsets.UTF_8);
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(yaml));
  }

  private static PeerRelayStatus configReason(String ns, String name, String reason) {
    return RelayAwait.status(
        harness.client(),
        ns,
        name,
        s ->
            s.condition(Conditions.CONFIG_ACCEPTED) != null
                && reason.equals(s.condition(Conditions.CONFIG_ACCEPTED).getReason()));
  }

  @Test
  void aRefusalOnTheSidePortIsAConditionNamingReplicaAndFieldAndClearsOnceApplied()
      throws Exception {
    AtomicReference<String> answer = new AtomicReference<>("{}");
    HttpServer sidePort = FakeSidePort.serve("/config", answer);
    try {
      String ns = harness.newNamespace("config-side");
      PeerRelay r = staticRelay("office");
      r.getSpec().setHttpPort(sidePort.getAddress().getPort());
      harness.create(ns, r);
      String sha = writtenSha256(ns, "office-0");
      answer.set(
          "{\"applied\":{\"sha256\":\""
              + "0".repeat(64)
              + "\",\"appliedAt\":\"2026-12-02T00:00:00Z\"},\"rejected\":{\"sha256\":\""
              + sha
              + "\",\"field\":\"staticEndpoints\",\"error\":\"staticEndpoints: at most 16"
              + " endpoints; remove some\",\"seenAt\":\"2026-12-02T00:01:00Z\"},"
              + "\"serverDiscoKey\":\""
              + SERVED
              + "\"}");
      // hostNetwork: the pod's address is the node's; here the fake side port's loopback.
      RelayAwait.markReady(harness.client(), ns, "office-0-0", "127.0.0.1");

      PeerRelayStatus s = configReason(ns, "office", Conditions.REASON_RELAY_REFUSED_CONFIG);
      Condition config = s.condition(Conditions.CONFIG_ACCEPTED);
      assertThat(config.getStatus()).isEqualTo(Conditions.FALSE);
      assertThat(config.getMessage())
          .startsWith("replica 0: relay refused relay.yaml field staticEndpoints: ");
      assertThat(RelayAwait.readyReason(s)).isEqualTo(Conditions.REASON_RELAY_REFUSED_CONFIG);
      assertThat(s.condition(Conditions.READY).getStatus()).isEqualTo(Conditions.FALSE);
      assertThat(s.getReplicaStatuses().get(0).getPublicKey())
          .as("the key the relay serves, from /config")
          .isEqualTo(SERVED);

      answer.set(
          "{\"applied\":{\"sha256\":\""
              + sha
              + "\",\"appliedAt\":\"2026-12-02T00:02:00Z\"},\"rejected\":null,"
              + "\"serverDiscoKey\":\""
              + SERVED
              + "\"}");
      RelayAwait.markReady(harness.client(), ns, "office-0-0", "127.0.0.1");
      s = configReason(ns, "office", Conditions.REASON_APPLIED);
      assertThat(s.condition(Conditions.CONFIG_ACCEPTED).getStatus()).isEqualTo(Conditions.TRUE);
      s = RelayAwait.reason(harness.client(), ns, "office", Conditions.REASON_READY);
      assertThat(s.condition(Conditions.READY).getStatus()).isEqualTo(Conditions.TRUE);
    } finally {
      sidePort.stop(0);
    }
  }

  @Test
  void aRefusalAtStartIsReadFromTheTerminationMessage() {
    String ns = harness.newNamespace("config-start");
    harness.create(ns, staticRelay("edge"));
    RelayAwait.pod(harness.client(), ns, "edge-0-0");
    // What a kubelet writes after the relay exited 1 with "<field>: <error>" in
    // /dev/termination-log.
    var crashed =
        new ContainerStatusBuilder()
            .withName("relay")
            .withImage("relay")
            .withImageID("")
            .withReady(false)
            .withRestartCount(3)
            .withNewState()
            .withNewWaiting()
            .withReason("CrashLoopBackOff")
            .endWaiting()
            .endState()
            .withNewLastState()
            .withNewTerminated()
            .withExitCode(1)
            .withReason("Error")
            .withMessage("lifetimes.bindTimeout: must be more than 0s; set it to e.g. 30s\n")
            .endTerminated()
            .endLastState()
            .build();
    RelayAwait.retryOnConflict(
        () ->
            harness
                .client()
                .pods()
                .inNamespace(ns)
                .withName("edge-0-0")
                .editStatus(
                    p -> {
                      p.getStatus().setContainerStatuses(List.of(crashed));
                      return p;
                    }));
    PeerRelayStatus s = configReason(ns, "edge", Conditions.REASON_RELAY_REFUSED_CONFIG);
    assertThat(s.condition(Conditions.CONFIG_ACCEPTED).getMessage())
        .isEqualTo(
            "replica 0: relay refused relay.yaml field lifetimes.bindTimeout: must be more than"
                + " 0s; set it to e.g. 30s");
    assertThat(RelayAwait.readyReason(s)).isEqualTo(Conditions.REASON_RELAY_REFUSED_CONFIG);
  }
}
