package io.peerrelay.operator.it;

import static io.peerrelay.operator.it.Fixtures.relay;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.peerrelay.operator.api.Conditions;
import io.peerrelay.operator.api.ExposureType;
import io.peerrelay.operator.api.PeerRelay;
import io.peerrelay.operator.api.PeerRelayStatus;
import io.peerrelay.operator.api.ReplicaStatus;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A PeerRelay's whole life on a real API server and controller manager: children as specified,
 * scaling, drift correction, operator restart, deletion by garbage collection.
 */
class PeerRelayLifecycleIT {

  private static final String AWS = "service.beta.kubernetes.io/aws-load-balancer-";

  @RegisterExtension static final OperatorHarness harness = OperatorHarness.operator();

  @Test
  void createsEveryChildAsSpecified() {
    String ns = harness.newNamespace("children");
    PeerRelay spec = relay("office", 2, ExposureType.AWSNLB);
    spec.getSpec().getExposure().setAnnotations(Map.of(AWS + "scheme", "internal", "team", "net"));
    PeerRelay created = harness.create(ns, spec);

    PeerRelayStatus status =
        RelayAwait.status(
            harness.client(),
            ns,
            "office",
            s ->
                s.getReplicaStatuses().size() == 2
                    && s.getReplicaStatuses().stream().allMatch(r -> r.getPublicKey() != null)
                    && s.getReplicaStatuses().stream().allMatch(r -> r.getPodName() != null));
    // No kubelet: pods exist (the StatefulSet controller made them) but never become ready.
    assertThat(RelayAwait.readyReason(status)).isEqualTo(Conditions.REASON_PODS_PENDING);
    assertThat(status.getObservedGeneration()).isEqualTo(created.getMetadata().getGeneration());
    assertThat(status.getSelector())
        .isEqualTo("app.kubernetes.io/name=peer-relay,peerrelay.io/relay=office");
    assertThat(RelayAwait.condition(status, Conditions.ACCESS).getReason())
        .isEqualTo(Conditions.REASON_NO_GRANTS);
    assertThat(RelayAwait.condition(status, Conditions.EXPOSURE).getReason())
        .isEqualTo(Conditions.REASON_ANNOTATION_OVERRIDDEN);
    assertThat(RelayAwait.condition(status, Conditions.EXPOSURE).getMessage())
        .contains(AWS + "scheme=internal");

    for (int i = 0; i < 2; i++) {
      String name = "office-" + i;
      StatefulSet sts = harness.client().apps().statefulSets().inNamespace(ns).withName(name).get();
      assertOwnedBy(sts, created);
      assertThat(sts.getSpec().getReplicas()).isEqualTo(1);
      assertThat(sts.getMetadata().getLabels())
          .containsEntry("peerrelay.io/replica", Integer.toString(i))
          .containsEntry("app.kubernetes.io/managed-by", "peerrelay-operator");
      PodSpec pod = sts.getSpec().getTemplate().getSpec();
      assertThat(pod.getHostNetwork()).isTrue();
      assertThat(pod.getDnsPolicy()).isEqualTo("ClusterFirstWithHostNet");
      Container c = pod.getContainers().get(0);
      assertThat(c.getPorts())
          .extracting(ContainerPort::getHostPort, ContainerPort::getProtocol)
          .contains(
              org.assertj.core.groups.Tuple.tuple(40000, "UDP"),
              org.assertj.core.groups.Tuple.tuple(9090, "TCP"));
      assertThat(c.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/readyz");
      assertThat(c.getLivenessProbe().getHttpGet().getPath()).isEqualTo("/healthz");
      assertThat(c.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
      assertThat(c.getSecurityContext().getCapabilities().getDrop()).contains("ALL");
      assertThat(pod.getVolumes())
          .anySatisfy(v -> assertThat(v.getConfigMap()).extracting("name").isEqualTo(name))
          .anySatisfy(v -> assertThat(v.getSecret()).extracting("secretName").isEqualTo(name));

      Service svc = harness.client().services().inNamespace(ns).withName(name).get();
      assertOwnedBy(svc, created);
      assertThat(svc.getSpec().getType()).isEqualTo("LoadBalancer");
      assertThat(svc.getSpec().getLoadBalancerClass()).isEqualTo("service.k8s.aws/nlb");
      assertThat(svc.getSpec().getPorts().get(0).getProtocol()).isEqualTo("UDP");
      assertThat(svc.getSpec().getSelector()).containsEntry("peerrelay.io/replica", "" + i);
      assertThat(svc.getMetadata().getAnnotations())
          .containsEntry(AWS + "type", "external")
          .containsEntry(AWS + "nlb-target-type", "ip")
          .containsEntry(AWS + "scheme", "internet-facing")
          .containsEntry(AWS + "healthcheck-protocol", "http")
          .containsEntry(AWS + "healthcheck-port", "9090")
          .containsEntry(AWS + "healthcheck-path", "/readyz")
          .containsEntry(AWS + "attributes", "load_balancing.cross_zone.enabled=true")
          .containsEntry("team", "net");

      ConfigMap cm = harness.client().configMaps().inNamespace(ns).withName(name).get();
      assertOwnedBy(cm, created);
      assertThat(cm.getData().get("relay.yaml"))
          .contains("udpPort: 40000")
          .contains("httpPort: 9090")
          .contains("/etc/peerrelay/key/private.key");

      Secret key = harness.client().secrets().inNamespace(ns).withName(name).get();
      assertOwnedBy(key, created);
      assertThat(decode(key.getData().get("private.key"))).startsWith("discoprivkey:");
      assertThat(key.getMetadata().getAnnotations().get("peerrelay.io/public-key"))
          .startsWith("discokey:")
          .isEqualTo(status.getReplicaStatuses().get(i).getPublicKey());
      assertThat(status.getReplicaStatuses().get(i).getPodName()).isEqualTo(name + "-0");
    }
    PodDisruptionBudget pdb =
        harness
            .client()
            .policy()
            .v1()
            .podDisruptionBudget()
            .inNamespace(ns)
            .withName("office")
            .get();
    assertOwnedBy(pdb, created);
    assertThat(pdb.getSpec().getMaxUnavailable().getIntVal()).isEqualTo(1);
    assertThat(
            harness.client().v1().events().inNamespace(ns).list().getItems().stream()
                .map(e -> e.getReason())
                .toList())
        .contains("KeyGenerated", "Created", "AnnotationOverridden");
    assertThat(
            harness.client().v1().events().inNamespace(ns).list().getItems().stream()
                .filter(e -> "Created".equals(e.getReason()))
                .map(e -> e.getMessage())
                .toList())
        .as("one Created event per replica naming every child kind")
        .contains("replica 0: ConfigMap office-0, Service office-0, StatefulSet office-0");
  }

  @Test
  void scalingRemovesTheHighestUnitsAndKeepsEveryKey() {
    String ns = harness.newNamespace("scale");
    harness.create(ns, relay("fleet", 3, ExposureType.LoadBalancer));
    Map<Integer, String> keys = publicKeys(awaitReplicas(ns, "fleet", 3));

    scale(ns, "fleet", 1);
    awaitNames(ns, StatefulSet.class, List.of("fleet-0"));
    awaitNames(ns, Service.class, List.of("fleet-0"));
    awaitNames(ns, ConfigMap.class, List.of("fleet-0"));
    assertThat(names(ns, Secret.class))
        .as("relay keys stay, so a replica keeps its identity when it comes back")
        .containsExactly("fleet-0", "fleet-1", "fleet-2");

    scale(ns, "fleet", 0);
    RelayAwait.reason(harness.client(), ns, "fleet", Conditions.REASON_SCALED_TO_ZERO);
    awaitNames(ns, StatefulSet.class, List.of());
    awaitNames(ns, Service.class, List.of());

    scale(ns, "fleet", 3);
    Map<Integer, String> again = publicKeys(awaitReplicas(ns, "fleet", 3));
    assertThat(again).isEqualTo(keys);
    awaitNames(ns, StatefulSet.class, List.of("fleet-0", "fleet-1", "fleet-2"));
  }

  @Test
  void driftInChildrenIsCorrected() {
    String ns = harness.newNamespace("drift");
    harness.create(ns, relay("edge", 1, ExposureType.LoadBalancer));
    awaitReplicas(ns, "edge", 1);

    // Someone else (a patch by another field manager, as kubectl edit sends) turns
    // hostNetwork off.
    RelayAwait.retryOnConflict(
        () ->
            harness
                .client()
                .apps()
                .statefulSets()
                .inNamespace(ns)
                .withName("edge-0")
                .edit(
                    sts -> {
                      sts.getSpec().getTemplate().getSpec().setHostNetwork(false);
                      return sts;
                    }));
    await()
        .atMost(RelayAwait.TIMEOUT)
        .until(
            () ->
                harness
                    .client()
                    .apps()
                    .statefulSets()
                    .inNamespace(ns)
                    .withName("edge-0")
                    .get()
                    .getSpec()
                    .getTemplate()
                    .getSpec()
                    .getHostNetwork(),
            Boolean.TRUE::equals);

    String uid =
        harness.client().services().inNamespace(ns).withName("edge-0").get().getMetadata().getUid();
    harness.client().services().inNamespace(ns).withName("edge-0").delete();
    await()
        .atMost(RelayAwait.TIMEOUT)
        .until(
            () -> harness.client().services().inNamespace(ns).withName("edge-0").get(),
            s -> s != null && !s.getMetadata().getUid().equals(uid));

    String good =
        harness
            .client()
            .configMaps()
            .inNamespace(ns)
            .withName("edge-0")
            .get()
            .getData()
            .get("relay.yaml");
    RelayAwait.retryOnConflict(
        () ->
            harness
                .client()
                .configMaps()
                .inNamespace(ns)
                .withName("edge-0")
                .edit(
                    cm -> {
                      cm.getData().put("relay.yaml", "garbage: true\n");
                      return cm;
                    }));
    await()
        .atMost(RelayAwait.TIMEOUT)
        .until(
            () ->
                harness
                    .client()
                    .configMaps()
                    .inNamespace(ns)
                    .withName("edge-0")
                    .get()
                    .getData()
                    .get("relay.yaml"),
            good::equals);
  }

  @Test
  void relayKeysSurviveAnOperatorRestart() {
    String ns = harness.newNamespace("restart");
    harness.create(ns, relay("steady", 2, ExposureType.None));
    Map<Integer, String> keys = publicKeys(awaitReplicas(ns, "steady", 2));
    Map<String, String> versions = secretVersions(ns);

    harness.stopOperator();
    harness.startOperator();
    // A spec change makes the new operator reconcile (and prove it did via observedGeneration).
    PeerRelay updated =
        RelayAwait.retryOnConflict(
            () ->
                harness
                    .client()
                    .resources(PeerRelay.class)
                    .inNamespace(ns)
                    .withName("steady")
                    .edit(
                        r -> {
                          r.getSpec().setDrain("20s");
                          return r;
                        }));
    PeerRelayStatus s =
        RelayAwait.status(
            harness.client(),
            ns,
            "steady",
            st -> st.getObservedGeneration().equals(updated.getMetadata().getGeneration()));
    assertThat(publicKeys(s)).isEqualTo(keys);
    assertThat(secretVersions(ns)).as("key Secrets were not even rewritten").isEqualTo(versions);
  }

  @Test
  void deletingTheRelayLeavesNothing() {
    String ns = harness.newNamespace("delete");
    harness.create(ns, relay("gone", 2, ExposureType.LoadBalancer));
    awaitReplicas(ns, "gone", 2);
    awaitNames(ns, StatefulSet.class, List.of("gone-0", "gone-1"));

    harness.client().resources(PeerRelay.class).inNamespace(ns).withName("gone").delete();
    // The controller manager's garbage collector follows the owner references.
    for (Class<? extends HasMetadata> kind :
        List.of(
            StatefulSet.class,
            Service.class,
            ConfigMap.class,
            Secret.class,
            PodDisruptionBudget.class,
            io.fabric8.kubernetes.api.model.Pod.class)) {
      await()
          .atMost(RelayAwait.TIMEOUT)
          .until(
              () -> names(ns, kind).stream().filter(n -> n.startsWith("gone")).toList(),
              List::isEmpty);
    }
  }

  private static PeerRelayStatus awaitReplicas(String ns, String name, int n) {
    return RelayAwait.status(
        harness.client(),
        ns,
        name,
        s ->
            s.getReplicaStatuses().size() == n
                && s.getReplicaStatuses().stream().allMatch(r -> r.getPublicKey() != null));
  }

  private static void scale(String ns, String name, int replicas) {
    // Through the scale subresource, as kubectl scale does.
    harness.client().resources(PeerRelay.class).inNamespace(ns).withName(name).scale(replicas);
  }

  private static Map<Integer, String> publicKeys(PeerRelayStatus s) {
    return s.getReplicaStatuses().stream()
        .collect(Collectors.toMap(ReplicaStatus::getIndex, ReplicaStatus::getPublicKey));
  }

  private static Map<String, String> secretVersions(String ns) {
    return harness
        .client()
        .secrets()
        .inNamespace(ns)
        .withLabel("app.kubernetes.io/managed-by")
        .list()
        .getItems()
        .stream()
        .collect(
            Collectors.toMap(
                s -> s.getMetadata().getName(), s -> s.getMetadata().getResourceVersion()));
  }

  private static <T extends HasMetadata> List<String> names(String ns, Class<T> kind) {
    return harness.client().resources(kind).inNamespace(ns).list().getItems().stream()
        .map(o -> o.getMetadata().getName())
        .filter(n -> !n.startsWith("kube-root-ca") && !n.equals("kubernetes"))
        .sorted()
        .toList();
  }

  private static <T extends HasMetadata> void awaitNames(
      String ns, Class<T> kind, List<String> want) {
    await().atMost(RelayAwait.TIMEOUT).until(() -> names(ns, kind), want::equals);
  }

  private static void assertOwnedBy(HasMetadata child, PeerRelay owner) {
    assertThat(child).as("child exists").isNotNull();
    List<OwnerReference> refs = child.getMetadata().getOwnerReferences();
    assertThat(refs)
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.getUid()).isEqualTo(owner.getMetadata().getUid());
              assertThat(r.getKind()).isEqualTo("PeerRelay");
              assertThat(r.getController()).isTrue();
            });
  }

  private static String decode(String b64) {
    return new String(Base64.getDecoder().decode(b64), StandardCharsets.UTF_8);
  }
}
