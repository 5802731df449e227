package io.peerrelay.operator.it;

import static io.peerrelay.operator.it.Fixtures.relay;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.peerrelay.operator.api.Condition;
import io.peerrelay.operator.api.Conditions;
import io.peerrelay.operator.api.ExposureType;
import io.peerrelay.operator.api.PeerRelay;
import io.peerrelay.operator.api.PeerRelayStatus;
import io.peerrelay.operator.api.ReplicaTailnetStatus;
import io.peerrelay.operator.api.StaticEndpoint;
import io.peerrelay.operator.api.Tailnet;
import io.peerrelay.operator.api.TailnetAuthKeyRef;
import io.peerrelay.testsupport.ToolPaths;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Tailnet mode on a real API server and controller manager: the node-state Secret (created once,
 * never replaced), the config the relay's golden file fixes, the auth-key Secret reported missing,
 * and the relay's side port (a fake one on loopback, where the pod's address points) turned into
 * replica status and the TailnetRegistered condition.
 */
class PeerRelayTailnetIT {

  @RegisterExtension static final OperatorHarness harness = OperatorHarness.operator();

  private static PeerRelay tailnetRelay(String name, String authSecret, String... tags) {
    PeerRelay r = relay(name, 1, ExposureType.None);
    r.getSpec().setStaticEndpoints(List.of(new StaticEndpoint("192.0.2.10:40000", null)));
    Tailnet t = new Tailnet();
    t.setAuthKeySecretRef(new TailnetAuthKeyRef(authSecret, null));
    t.setTags(List.of(tags));
    r.getSpec().setTailnet(t);
    return r;
  }

  private static String golden(String file) throws IOException {
    String text =
        Files.readString(
            ToolPaths.projectRoot()
                .resolve("relay-pod/src/test/resources/golden/relay-config/" + file),
            StandardCharsets.UTF_8);
    return text.lines().dropWhile(l -> l.startsWith("#")).collect(Collectors.joining("\n")) + "\n";
  }

  private static String config(String ns, String name) {
    ConfigMap cm = harness.client().configMaps().inNamespace(ns).withName(name).get();
    return cm == null ? null : cm.getData().get("relay.yaml");
  }

  private static Secret secret(String ns, String name) {
    return harness.client().secrets().inNamespace(ns).withName(name).get();
  }

  private static Condition tailnetCondition(PeerRelayStatus s) {
    return s.condition(Conditions.TAILNET_REGISTERED);
  }

  private static PeerRelayStatus tailnetReason(String ns, String name, String reason) {
    return RelayAwait.status(
        harness.client(),
        ns,
        name,
        s -> tailnetCondition(s) != null && reason.equals(tailnetCondition(s).getReason()));
  }

  @Test
  void nodeStateIsCreatedOnceConfigIsTheGoldenAndAMissingAuthKeyIsReported() throws IOException {
    String ns = harness.newNamespace("tailnet");
    harness.create(ns, tailnetRelay("office", "office-tailnet-auth", "tag:peer-relay"));

    await()
        .atMost(RelayAwait.TIMEOUT)
        .untilAsserted(() -> assertThat(config(ns, "office-0")).isEqualTo(golden("tailnet.yaml")));
    Secret state =
        await()
            .atMost(RelayAwait.TIMEOUT)
            .until(() -> secret(ns, "office-0-tailnet"), s -> s != null);
    for (String key : List.of("machine.key", "node.key")) {
      String line =
          new String(
              Base64.getDecoder().decode(state.getData().get(key)), StandardCharsets.US_ASCII);
      assertThat(line).as(key).matches("privkey:[0-9a-f]{64}\n");
      byte[] raw = HexFormat.of().parseHex(line.strip().substring("privkey:".length()));
      assertThat(raw[0] & 7).as(key + " clamped").isZero();
      assertThat(raw[31] & 0xc0).as(key + " clamped").isEqualTo(0x40);
    }
    assertThat(state.getData().get("machine.key")).isNotEqualTo(state.getData().get("node.key"));
    assertThat(state.getMetadata().getOwnerReferences()).singleElement();

    PeerRelayStatus s = tailnetReason(ns, "office", Conditions.REASON_AUTH_KEY_MISSING);
    assertThat(tailnetCondition(s).getStatus()).isEqualTo(Conditions.FALSE);
    assertThat(tailnetCondition(s).getMessage())
        .contains("create Secret office-tailnet-auth with key authkey");
    assertThat(
            harness.client().v1().events().inNamespace(ns).list().getItems().stream()
                .map(e -> e.getReason())
                .toList())
        .contains("TailnetAuthKeyMissing");

    // An operator restart and a spec edit neither replace nor rewrite the node state.
    harness.stopOperator();
    harness.startOperator();
    RelayAwait.retryOnConflict(
        () ->
            harness
                .client()
                .resources(PeerRelay.class)
                .inNamespace(ns)
                .withName("office")
                .edit(
                    r -> {
                      r.getSpec().getTailnet().setTags(List.of("tag:peer-relay", "tag:edge"));
                      return r;
                    }));
    await()
        .atMost(RelayAwait.TIMEOUT)
        .untilAsserted(() -> assertThat(config(ns, "office-0")).contains("    - tag:edge\n"));
    Secret after = secret(ns, "office-0-tailnet");
    assertThat(after.getMetadata().getUid()).isEqualTo(state.getMetadata().getUid());
    assertThat(after.getMetadata().getResourceVersion())
        .isEqualTo(state.getMetadata().getResourceVersion());
    assertThat(after.getData()).isEqualTo(state.getData());

    // The user creates the auth key: the Secret's event reaches the relay, which now waits for
    // its pod (no kubelet here) instead of the key.
    harness.create(ns, Fixtures.keySecret("office-tailnet-auth", "authkey", "tskey-auth-test"));
    s = tailnetReason(ns, "office", Conditions.REASON_PENDING);
    assertThat(tailnetCondition(s).getMessage()).contains("pod not ready");
  }

  @Test
  void theRelaysSidePortReportBecomesStatusAndEachStateItsReason() throws IOException {
    AtomicReference<String> answer = new AtomicReference<>(report("Registered", true, ""));
    HttpServer sidePort = FakeSidePort.serve("/tailnet", answer);
    boolean stopped = false;
    try {
      String ns = harness.newNamespace("tailnet-side");
      harness.create(ns, Fixtures.keySecret("edge-auth", "authkey", "tskey-auth-test"));
      PeerRelay r = tailnetRelay("edge", "edge-auth", "tag:peer-relay");
      r.getSpec().setHttpPort(sidePort.getAddress().getPort());
      harness.create(ns, r);
      // hostNetwork: the pod's address is the node's; here the fake side port's loopback.
      RelayAwait.markReady(harness.client(), ns, "edge-0-0", "127.0.0.1");

      PeerRelayStatus s = tailnetReason(ns, "edge", Conditions.REASON_REGISTERED);
      assertThat(tailnetCondition(s).getStatus()).isEqualTo(Conditions.TRUE);
      assertThat(tailnetCondition(s).getMessage()).contains("edge-0.tail1234.ts.net");
      ReplicaTailnetStatus node = s.getReplicaStatuses().get(0).getTailnet();
      assertThat(node.getNodeName()).isEqualTo("edge-0.tail1234.ts.net");
      assertThat(node.getTailscaleIPs()).containsExactly("100.64.0.3", "fd7a:115c:a1e0::3");
      assertThat(node.getOnline()).isTrue();

      Map<String, String> states =
          Map.of(
              "AuthKeyRefused", Conditions.REASON_AUTH_KEY_REFUSED,
              "ControlUnreachable", Conditions.REASON_CONTROL_UNREACHABLE,
              "NodeKeyExpired", Conditions.REASON_NODE_KEY_EXPIRED);
      int nudge = 0;
      for (var e : states.entrySet()) {
        answer.set(report(e.getKey(), false, "control said no (" + e.getKey() + ")"));
        nudge(ns, "edge-0-0", ++nudge);
        s = tailnetReason(ns, "edge", e.getValue());
        assertThat(tailnetCondition(s).getStatus()).isEqualTo(Conditions.FALSE);
        assertThat(tailnetCondition(s).getMessage()).contains("control said no");
        assertThat(s.getReplicaStatuses().get(0).getTailnet().getOnline()).isFalse();
      }

      // A side port that stops answering: pending, with what went wrong.
      stopped = true;
      sidePort.stop(0);
      nudge(ns, "edge-0-0", ++nudge);
      s = tailnetReason(ns, "edge", Conditions.REASON_PENDING);
      assertThat(tailnetCondition(s).getMessage()).contains("/tailnet on 127.0.0.1:");
    } finally {
      if (!stopped) {
        sidePort.stop(0);
      }
    }
  }

  @Test
  void aTagThatIsNotTagColonNameIsRefusedWithTheFix() {
    String ns = harness.newNamespace("tailnet-invalid");
    assertThatThrownBy(() -> harness.create(ns, tailnetRelay("bad", "auth", "peer-relay")))
        .isInstanceOf(KubernetesClientException.class)
        .hasMessageContaining("spec.tailnet.tags")
        .hasMessageContaining("tag:peer-relay");
  }

  private static String report(String state, boolean online, String message) {
    return "{\"enabled\":true,\"state\":\""
        + state
        + "\",\"message\":\""
        + message
        + "\",\"nodeName\":\"edge-0.tail1234.ts.net\",\"nodeKey\":\"nodekey:"
        + "ab".repeat(32)
        + "\",\"tailscaleIPs\":[\"100.64.0.3\",\"fd7a:115c:a1e0::3\"],\"online\":"
        + online
        + ",\"derpConnected\":true,\"homeDerp\":1}";
  }

  /** A pod annotation change: the pod informer's event makes the operator look again. */
  private static void nudge(String ns, String pod, int n) {
    RelayAwait.retryOnConflict(
        () ->
            harness
                .client()
                .pods()
                .inNamespace(ns)
                .withName(pod)
                .edit(
                    p -> {
                      Map<String, String> a = new HashMap<>();
                      if (p.getMetadata().getAnnotations() != null) {
                        a.putAll(p.getMetadata().getAnnotations());
                      }
                      a.put("test.peerrelay.io/nudge", Integer.toString(n));
                      p.getMetadata().setAnnotations(a);
                      return p;
                    }));
  }
}
