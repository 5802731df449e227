package io.peerrelay.operator.it;

import static io.peerrelay.operator.it.Fixtures.relay;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.BindingBuilder;
import io.fabric8.kubernetes.api.model.LoadBalancerIngressBuilder;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.peerrelay.operator.api.Conditions;
import io.peerrelay.operator.api.ExposureType;
import io.peerrelay.operator.api.PeerRelay;
import io.peerrelay.operator.api.PeerRelayStatus;
import io.peerrelay.operator.api.RelayEndpoint;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Endpoints from load-balancer status written the way real controllers write it, readiness from pod
 * status written the way a kubelet writes it, and a template change rolling one replica at a time.
 */
class PeerRelayExposureIT {

  @RegisterExtension static final OperatorHarness harness = OperatorHarness.operator();

  @Test
  void awsNlbHostnameIsResolvedIntoStatusAndConfig() {
    String ns = harness.newNamespace("nlb");
    harness.create(ns, relay("aws", 2, ExposureType.AWSNLB));
    RelayAwait.markReady(harness.client(), ns, "aws-0-0");
    RelayAwait.markReady(harness.client(), ns, "aws-1-0");
    // The AWS Load Balancer Controller writes only a DNS name; "localhost" resolves here, the
    // .invalid name never does (RFC 6761), like an NLB still provisioning.
    writeLoadBalancer(ns, "aws-0", null, "localhost");
    writeLoadBalancer(ns, "aws-1", null, "nlb-still-provisioning.invalid");

    PeerRelayStatus s =
        RelayAwait.status(
            harness.client(),
            ns,
            "aws",
            st -> st.getEndpoints().contains(new RelayEndpoint(0, "127.0.0.1:40000")));
    assertThat(RelayAwait.readyReason(s)).isEqualTo(Conditions.REASON_ENDPOINTS_PENDING);
    assertThat(s.getEndpoints()).allMatch(e -> e.getReplica() == 0);
    assertThat(s.getReadyReplicas()).isEqualTo(2);
    assertThat(s.getEndpointSummary()).contains("127.0.0.1:40000");
    assertThat(config(ns, "aws-0")).contains("127.0.0.1:40000");
    assertThat(config(ns, "aws-1")).doesNotContain("127.0.0.1");
  }

  @Test
  void metalLbIpMakesTheRelayReady() {
    String ns = harness.newNamespace("metallb");
    PeerRelay r = relay("lb", 2, ExposureType.LoadBalancer);
    r.getSpec().getExposure().setLoadBalancerClass("metallb.io/metallb");
    harness.create(ns, r);
    RelayAwait.markReady(harness.client(), ns, "lb-0-0");
    RelayAwait.markReady(harness.client(), ns, "lb-1-0");
    // MetalLB writes the ip.
    writeLoadBalancer(ns, "lb-0", "203.0.113.10", null);
    writeLoadBalancer(ns, "lb-1", "203.0.113.11", null);

    PeerRelayStatus s = RelayAwait.reason(harness.client(), ns, "lb", Conditions.REASON_READY);
    assertThat(s.getEndpoints())
        .containsExactly(
            new RelayEndpoint(0, "203.0.113.10:40000"), new RelayEndpoint(1, "203.0.113.11:40000"));
    assertThat(s.getEndpointSummary()).isEqualTo("203.0.113.10:40000,203.0.113.11:40000");
    assertThat(config(ns, "lb-0")).contains("203.0.113.10:40000").doesNotContain("203.0.113.11");
    assertThat(config(ns, "lb-1")).contains("203.0.113.11:40000");
    assertThat(
            harness
                .client()
                .services()
                .inNamespace(ns)
                .withName("lb-0")
                .get()
                .getSpec()
                .getLoadBalancerClass())
        .isEqualTo("metallb.io/metallb");

    // Steady state: a reconcile caused by a change that alters nothing (the LB controller
    // rewriting the same address, a label on the Service) must not write status again.
    String version =
        harness
            .client()
            .resources(PeerRelay.class)
            .inNamespace(ns)
            .withName("lb")
            .get()
            .getMetadata()
            .getResourceVersion();
    RelayAwait.retryOnConflict(
        () ->
            harness
                .client()
                .services()
                .inNamespace(ns)
                .withName("lb-0")
                .edit(
                    svc -> {
                      svc.getMetadata().getLabels().put("touched", "yes");
                      return svc;
                    }));
    writeLoadBalancer(ns, "lb-0", "203.0.113.10", null);
    await()
        .pollDelay(java.time.Duration.ofSeconds(3))
        .atMost(java.time.Duration.ofSeconds(5))
        .until(() -> true);
    assertThat(
            harness
                .client()
                .resources(PeerRelay.class)
                .inNamespace(ns)
                .withName("lb")
                .get()
                .getMetadata()
                .getResourceVersion())
        .as("status not rewritten when nothing changed")
        .isEqualTo(version);
  }

  @Test
  void nodeAddressModeAdvertisesTheNodesExternalIpAndFollowsItsChanges() {
    String ns = harness.newNamespace("nodeaddr");
    String node = ns + "-node";
    // A node as a kubelet registers it (status included): an external and an internal address.
    harness
        .client()
        .nodes()
        .resource(
            new NodeBuilder()
                .withNewMetadata()
                .withName(node)
                .endMetadata()
                .withNewStatus()
                .addNewAddress("198.51.100.7", "ExternalIP")
                .addNewAddress("10.0.0.7", "InternalIP")
                .endStatus()
                .build())
        .create();
    harness.create(ns, relay("na", 1, ExposureType.NodeAddress));
    RelayAwait.pod(harness.client(), ns, "na-0-0");
    // No scheduler runs: bind the pod to the node as the scheduler would (pods/binding).
    harness
        .client()
        .bindings()
        .inNamespace(ns)
        .resource(
            new BindingBuilder()
                .withNewMetadata()
                .withName("na-0-0")
                .endMetadata()
                .withNewTarget()
                .withKind("Node")
                .withName(node)
                .endTarget()
                .build())
        .create();
    RelayAwait.markReady(harness.client(), ns, "na-0-0");

    PeerRelayStatus s = RelayAwait.reason(harness.client(), ns, "na", Conditions.REASON_READY);
    assertThat(s.getEndpoints()).containsExactly(new RelayEndpoint(0, "198.51.100.7:40000"));
    assertThat(s.getReplicaStatuses().get(0).getNode()).isEqualTo(node);
    assertThat(harness.client().services().inNamespace(ns).list().getItems()).isEmpty();
    assertThat(config(ns, "na-0")).contains("198.51.100.7:40000");

    // The node's address changes (a new public IP): the Node informer brings it in.
    RelayAwait.retryOnConflict(
        () ->
            harness
                .client()
                .nodes()
                .withName(node)
                .editStatus(
                    n -> {
                      n.getStatus().getAddresses().get(0).setAddress("198.51.100.8");
                      return n;
                    }));
    RelayAwait.status(
        harness.client(),
        ns,
        "na",
        st -> st.getEndpoints().contains(new RelayEndpoint(0, "198.51.100.8:40000")));
  }

  @Test
  void aTemplateChangeRollsOneReplicaAtATime() {
    String ns = harness.newNamespace("roll");
    harness.create(ns, relay("roll", 3, ExposureType.None));
    for (int i = 0; i < 3; i++) {
      RelayAwait.markReady(harness.client(), ns, "roll-" + i + "-0");
    }
    RelayAwait.status(harness.client(), ns, "roll", s -> s.getReadyReplicas() == 3);

    RelayAwait.retryOnConflict(
        () ->
            harness
                .client()
                .resources(PeerRelay.class)
                .inNamespace(ns)
                .withName("roll")
                .edit(
                    r -> {
                      r.getSpec().setImage("example.org/relay:2");
                      return r;
                    }));

    for (int turn = 0; turn < 3; turn++) {
      int expected = turn;
      await()
          .atMost(RelayAwait.TIMEOUT)
          .until(() -> images(ns), m -> m.get(expected).equals("example.org/relay:2"));
      Map<Integer, String> now = images(ns);
      for (int j = expected + 1; j < 3; j++) {
        assertThat(now.get(j))
            .as("replica %d waits while replica %d rolls", j, expected)
            .isNotEqualTo("example.org/relay:2");
      }
      // The status patch follows the StatefulSet apply within the same reconcile.
      RelayAwait.status(
          harness.client(),
          ns,
          "roll",
          st ->
              List.of(Conditions.REASON_PROGRESSING, Conditions.REASON_PODS_PENDING)
                  .contains(RelayAwait.readyReason(st)));
      // The StatefulSet controller replaces the pod; play the kubelet for the new one.
      awaitNewPodRevision(ns, "roll-" + expected);
      RelayAwait.markReady(harness.client(), ns, "roll-" + expected + "-0");
    }
    RelayAwait.status(harness.client(), ns, "roll", s -> s.getReadyReplicas() == 3);
  }

  private static Map<Integer, String> images(String ns) {
    Map<Integer, String> out = new java.util.TreeMap<>();
    for (int i = 0; i < 3; i++) {
      StatefulSet sts =
          harness.client().apps().statefulSets().inNamespace(ns).withName("roll-" + i).get();
      out.put(i, sts.getSpec().getTemplate().getSpec().getContainers().get(0).getImage());
    }
    return out;
  }

  private static void awaitNewPodRevision(String ns, String sts) {
    await()
        .atMost(RelayAwait.TIMEOUT)
        .until(
            () -> {
              StatefulSet s =
                  harness.client().apps().statefulSets().inNamespace(ns).withName(sts).get();
              var pod = harness.client().pods().inNamespace(ns).withName(sts + "-0").get();
              return s.getStatus() != null
                  && pod != null
                  && s.getStatus().getUpdateRevision() != null
                  && s.getStatus()
                      .getUpdateRevision()
                      .equals(pod.getMetadata().getLabels().get("controller-revision-hash"));
            });
  }

  /** Writes {@code status.loadBalancer} as a load-balancer controller does. */
  private static void writeLoadBalancer(String ns, String service, String ip, String hostname) {
    await()
        .atMost(RelayAwait.TIMEOUT)
        .until(
            () -> harness.client().services().inNamespace(ns).withName(service).get(),
            s -> s != null);
    RelayAwait.retryOnConflict(
        () ->
            harness
                .client()
                .services()
                .inNamespace(ns)
                .withName(service)
                .editStatus(
                    svc -> {
                      svc.getStatus()
                          .getLoadBalancer()
                          .setIngress(
                              List.of(
                                  new LoadBalancerIngressBuilder()
                                      .withIp(ip)
                                      .withHostname(hostname)
                                      .build()));
                      return svc;
                    }));
  }

  private static String config(String ns, String name) {
    return harness
        .client()
        .configMaps()
        .inNamespace(ns)
        .withName(name)
        .get()
        .getData()
        .get("relay.yaml");
  }
}
