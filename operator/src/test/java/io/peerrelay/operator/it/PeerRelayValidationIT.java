package io.peerrelay.operator.it;

import static io.peerrelay.operator.it.Fixtures.relay;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceQuotaBuilder;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.peerrelay.operator.api.Conditions;
import io.peerrelay.operator.api.ExposureType;
import io.peerrelay.operator.api.PeerRelay;
import io.peerrelay.operator.api.PeerRelayStatus;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Invalid specs are refused by the real API server with the field named (OpenAPI and CEL), what
 * gets past validation becomes a condition, Pod Security blocks are reported, and every example
 * manifest applies.
 */
class PeerRelayValidationIT {

  @RegisterExtension static final OperatorHarness harness = OperatorHarness.operator();
  private static String ns;

  @BeforeAll
  static void setUp() {
    ns = harness.newNamespace("invalid");
  }

  static Stream<Arguments> invalidSpecs() {
    return Stream.of(
        Arguments.of("replicas: 65", "spec.replicas"),
        Arguments.of("replicas: -1", "spec.replicas"),
        Arguments.of("udpPort: 0", "spec.udpPort"),
        Arguments.of("httpPort: 70000", "spec.httpPort"),
        Arguments.of("udpPort: 9090\n  httpPort: 9090", "spec.httpPort"),
        Arguments.of("exposure: {type: Ingress}", "spec.exposure.type"),
        Arguments.of(
            "replicas: 2\n  exposure: {elasticIPs: [{allocationID: eipalloc-1}]}",
            "spec.exposure.elasticIPs"),
        Arguments.of(
            "exposure: {elasticIPs: [{allocationID: eipalloc-1, subnetID: subnet-1}]}",
            "subnetID and zone"),
        // Without a subnet the AWS Load Balancer Controller refuses the eip-allocations
        // annotation (it wants one subnet per allocation): refused up front, naming the fix.
        Arguments.of(
            "exposure: {elasticIPs: [{allocationID: eipalloc-1}]}",
            "subnetID and zone are required: the AWS Load Balancer Controller needs one subnet"),
        Arguments.of(
            "exposure: {type: AWSNLB, loadBalancerClass: x}", "spec.exposure.loadBalancerClass"),
        Arguments.of(
            "staticEndpoints: [{address: relay.example.org}]", "spec.staticEndpoints[0].address"),
        Arguments.of("lifetimes: {bind: 5 minutes}", "spec.lifetimes.bind"),
        // The relay refuses zero lifetimes and more than 16 advertised endpoints at start.
        Arguments.of("lifetimes: {bind: 0s}", "spec.lifetimes.bind: Invalid value"),
        Arguments.of("lifetimes: {gcInterval: 0m0s}", "must be more than 0"),
        Arguments.of(
            "staticEndpoints: ["
                + java.util.stream.IntStream.rangeClosed(1, 17)
                    .mapToObj(p -> "{address: '192.0.2.1:" + p + "'}")
                    .collect(java.util.stream.Collectors.joining(", "))
                + "]",
            "spec.staticEndpoints: Too many"),
        Arguments.of("drain: soon", "spec.drain"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("invalidSpecs")
  void theApiServerRefusesAnInvalidSpecNamingTheField(String spec, String field) {
    String yaml =
        "apiVersion: peerrelay.io/v1alpha1\nkind: PeerRelay\nmetadata:\n  name: bad\nspec:\n  "
            + spec
            + "\n";
    assertThatThrownBy(() -> harness.client().resource(yaml).inNamespace(ns).create())
        .isInstanceOf(KubernetesClientException.class)
        .hasMessageContaining(field);
  }

  @Test
  void aNameTooLongForItsChildrenIsRefused() {
    assertThatThrownBy(() -> harness.create(ns, relay("r".repeat(50), 1, ExposureType.None)))
        .isInstanceOf(KubernetesClientException.class)
        .hasMessageContaining("metadata.name");
  }

  @Test
  void exposureTypeCannotChange() {
    harness.create(ns, relay("fixed", 0, ExposureType.AWSNLB));
    assertThatThrownBy(
            () ->
                RelayAwait.retryOnConflict(
                    () ->
                        harness
                            .client()
                            .resources(PeerRelay.class)
                            .inNamespace(ns)
                            .withName("fixed")
                            .edit(
                                r -> {
                                  r.getSpec().getExposure().setType(ExposureType.LoadBalancer);
                                  return r;
                                })))
        .isInstanceOf(KubernetesClientException.class)
        .hasMessageContaining("spec.exposure.type")
        .hasMessageContaining("immutable");
  }

  @Test
  void aGrantWithAMalformedInlineKeyIsRefused() {
    String yaml =
        "apiVersion: peerrelay.io/v1alpha1\nkind: RelayGrant\nmetadata: {name: bad}\n"
            + "spec:\n  src: [{clientKeys: [nodekey:00]}]\n  dst: {selector: {}}\n";
    assertThatThrownBy(() -> harness.client().resource(yaml).inNamespace(ns).create())
        .isInstanceOf(KubernetesClientException.class)
        .hasMessageContaining("spec.src[0].clientKeys[0]");
  }

  @Test
  void aChildTheApiServerRefusesBecomesAConfigInvalidCondition() {
    // The CRD cannot see it, but the StatefulSet's pod template validation can: requests above
    // limits. The reconciler reports the API server's answer (naming the field) as a condition.
    PeerRelay r = relay("greedy", 1, ExposureType.None);
    r.getSpec()
        .setResources(
            new ResourceRequirementsBuilder()
                .addToRequests("cpu", new Quantity("2"))
                .addToLimits("cpu", new Quantity("1"))
                .build());
    harness.create(ns, r);
    PeerRelayStatus s =
        RelayAwait.reason(harness.client(), ns, "greedy", Conditions.REASON_CONFIG_INVALID);
    // Short and to the point: the child, the server's cause, the PeerRelay field to fix; none of
    // fabric8's request URL and Status dump.
    assertThat(RelayAwait.condition(s, Conditions.READY).getMessage())
        .isEqualTo(
            "refused by the API server: StatefulSet greedy-0:"
                + " spec.template.spec.containers[0].resources.requests:"
                + " must be less than or equal to cpu limit of 1 (fix spec.resources)");
    assertThat(
            harness.client().v1().events().inNamespace(ns).list().getItems().stream()
                .filter(e -> "greedy".equals(e.getInvolvedObject().getName()))
                .map(e -> e.getReason()))
        .contains(Conditions.REASON_CONFIG_INVALID);
  }

  @Test
  void aUsersObjectHoldingAChildsNameBecomesANameConflictNamingItAndTheFix() {
    // Not owned by the PeerRelay and without its labels: invisible to the operator's caches, so
    // every apply of the key Secret answered 409 and the operator retried forever.
    harness
        .client()
        .secrets()
        .inNamespace(ns)
        .resource(
            new SecretBuilder()
                .withNewMetadata()
                .withName("squat-0")
                .endMetadata()
                .addToStringData("mine", "keep")
                .build())
        .create();
    harness.create(ns, relay("squat", 1, ExposureType.None));
    PeerRelayStatus s =
        RelayAwait.reason(harness.client(), ns, "squat", Conditions.REASON_NAME_CONFLICT);
    assertThat(RelayAwait.condition(s, Conditions.READY).getMessage())
        .isEqualTo(
            "Secret squat-0 already exists and is not owned by PeerRelay squat: the operator"
                + " needs that name for a child; rename or delete that Secret, or give the"
                + " PeerRelay another name");
    assertThat(harness.client().secrets().inNamespace(ns).withName("squat-0").get().getData())
        .as("the user's Secret is left alone")
        .containsOnlyKeys("mine");
  }

  @Test
  void aChildRefusedForAPassingReasonIsRetriedNotConfigInvalid() {
    // A quota with no room for ConfigMaps: the server answers 403 (not the spec's fault, and an
    // admin can lift it), so the relay says ApiError and the operator keeps retrying.
    String quota = harness.newNamespace("quota");
    harness
        .client()
        .resourceQuotas()
        .inNamespace(quota)
        .resource(
            new ResourceQuotaBuilder()
                .withNewMetadata()
                .withName("no-configmaps")
                .endMetadata()
                .withNewSpec()
                .addToHard("configmaps", new Quantity("0"))
                .endSpec()
                .build())
        .create();
    harness.create(quota, relay("squeezed", 1, ExposureType.None));
    PeerRelayStatus s =
        RelayAwait.reason(harness.client(), quota, "squeezed", Conditions.REASON_API_ERROR);
    assertThat(RelayAwait.condition(s, Conditions.READY).getStatus()).isEqualTo(Conditions.UNKNOWN);
    assertThat(RelayAwait.condition(s, Conditions.READY).getMessage())
        .startsWith("API request failed, retrying: ConfigMap squeezed-0: ")
        .contains("exceeded quota")
        .doesNotContain("Failure executing");
    assertThat(
            harness.client().v1().events().inNamespace(quota).list().getItems().stream()
                .filter(e -> "squeezed".equals(e.getInvolvedObject().getName()))
                .filter(e -> "Warning".equals(e.getType()))
                .map(e -> e.getReason()))
        .contains(Conditions.REASON_API_ERROR);

    // Lifting the quota is enough: the retry (not a spec change) carries the relay on, even after
    // JOSDK's default budget of 5 retries (2 + 2 + 3 + 4.5 + 6.75 s, ~19 s) has run out; nothing
    // else in this namespace changes, so no event would wake the operator.
    sleepSeconds(25);
    harness.client().resourceQuotas().inNamespace(quota).withName("no-configmaps").delete();
    RelayAwait.reason(harness.client(), quota, "squeezed", Conditions.REASON_PODS_PENDING);
  }

  private static void sleepSeconds(int seconds) {
    try {
      Thread.sleep(seconds * 1000L);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  @Test
  void aNamespaceThatForbidsHostNetworkIsReported() {
    String baseline =
        harness.newNamespace("baseline", Map.of("pod-security.kubernetes.io/enforce", "baseline"));
    harness.create(baseline, relay("blocked", 1, ExposureType.None));
    PeerRelayStatus s =
        RelayAwait.reason(
            harness.client(), baseline, "blocked", Conditions.REASON_POD_SECURITY_BLOCKED);
    // The admission message itself (from the server-side dry run), and what to do about it.
    assertThat(RelayAwait.condition(s, Conditions.READY).getMessage())
        .startsWith("Pod Security admission rejects the relay pod")
        .contains("violates PodSecurity \"baseline")
        .contains("hostNetwork")
        .contains("pod-security.kubernetes.io/enforce=privileged");
    assertThat(
            harness.client().v1().events().inNamespace(baseline).list().getItems().stream()
                .map(e -> e.getReason()))
        .contains(Conditions.REASON_POD_SECURITY_BLOCKED);
  }

  @Test
  void everyExampleAppliesToTheRealApiServer() throws IOException {
    Path dir = OperatorHarness.projectRoot().resolve("examples");
    List<Path> files;
    try (Stream<Path> s = Files.list(dir)) {
      files = s.filter(p -> p.toString().matches(".*\\.ya?ml$")).sorted().toList();
    }
    assertThat(files).as("examples/ holds manifests").isNotEmpty();
    String exampleNs = harness.newNamespace("examples");
    for (Path file : files) {
      try (InputStream in = Files.newInputStream(file)) {
        List<HasMetadata> items = harness.client().load(in).items();
        assertThat(items).as(file.toString()).isNotEmpty();
        for (HasMetadata item : items) {
          // Server-side apply: the same path kubectl apply --server-side takes, schema and CEL.
          harness.client().resource(item).inNamespace(exampleNs).forceConflicts().serverSideApply();
        }
      }
    }
    assertThat(harness.client().resources(PeerRelay.class).inNamespace(exampleNs).list().getItems())
        .isNotEmpty();
  }
}
