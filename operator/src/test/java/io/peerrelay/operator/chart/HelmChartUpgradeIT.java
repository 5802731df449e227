package io.peerrelay.operator.chart;

import static io.peerrelay.operator.chart.HelmRun.CHART;
import static io.peerrelay.operator.chart.HelmRun.ROOT;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.peerrelay.testsupport.ControlPlaneExtension;
import io.peerrelay.testsupport.LocalControlPlane;
import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * `helm upgrade` from the previous chart (0.1.0, CRDs in its crds/ folder, which Helm installs once
 * and never upgrades) to this one (templated CRDs) on the real API server with the real helm: the
 * CRDs on the server afterwards carry the new schema, users' PeerRelays survive the upgrade and an
 * uninstall. The fixture {@code charts/peerrelay-0.1.0.tgz} is the chart as it was at commit
 * 8d116e9, made with {@code git archive 8d116e9 helm/peerrelay | tar -x && helm package}.
 *
 * <p>Its own control plane: the JVM-wide one holds CRDs that other ITs applied, and this test must
 * start from the old chart's CRDs.
 */
class HelmChartUpgradeIT {

  private static final String NS = "peerrelay-system";
  private static final String PR_CRD = "peerrelays.peerrelay.io";
  private static final ResourceDefinitionContext PEER_RELAYS =
      new ResourceDefinitionContext.Builder()
          .withGroup("peerrelay.io")
          .withVersion("v1alpha1")
          .withPlural("peerrelays")
          .withNamespaced(true)
          .build();

  private static LocalControlPlane cp;
  private static KubernetesClient client;

  @BeforeAll
  static void startControlPlane() {
    cp = LocalControlPlane.start(ControlPlaneExtension.buildDir().resolve("control-plane-upgrade"));
    client = cp.client();
  }

  @AfterAll
  static void stopControlPlane() {
    if (cp != null) {
      cp.close();
    }
  }

  @Test
  void upgradeFromThePreviousChartUpdatesTheCrdsAndKeepsUsersObjects() throws Exception {
    Path kubeconfig = cp.kubeconfigPath();
    HelmRun.helm(
        kubeconfig, "install", "peerrelay", fixture().toString(), "-n", NS, "--create-namespace");
    assertThat(columns(serverCrd(PR_CRD)))
        .as("the 0.1.0 chart's CRD has no Exposure column (else this test proves nothing)")
        .noneMatch(c -> c.startsWith("Exposure "));
    client
        .namespaces()
        .resource(new NamespaceBuilder().withNewMetadata().withName("relays").endMetadata().build())
        .create();
    client
        .load(Files.newInputStream(ROOT.resolve("examples/peerrelay-static.yaml")))
        .inNamespace("relays")
        .create();

    // The CRDs were made by the old chart's crds/ folder, so no release owns them; Helm refuses
    // to adopt them silently, and says how.
    HelmRun.Result plain =
        HelmRun.tryHelm(kubeconfig, "upgrade", "peerrelay", CHART.toString(), "-n", NS);
    assertThat(plain.exit()).as(plain.output()).isNotZero();
    assertThat(plain.output()).contains(PR_CRD, "invalid ownership metadata");

    HelmRun.helm(
        kubeconfig, "upgrade", "peerrelay", CHART.toString(), "-n", NS, "--take-ownership");
    for (String file : List.of(PR_CRD, "relaygrants.peerrelay.io")) {
      CustomResourceDefinition want = committedCrd(file);
      CustomResourceDefinition have = serverCrd(file);
      assertThat(columns(have))
          .as("%s printer columns after the upgrade", file)
          .isEqualTo(columns(want));
      assertThat(have.getSpec().getVersions())
          .extracting(v -> v.getSchema().getOpenAPIV3Schema())
          .as("%s schema after the upgrade equals crds/%s-v1.yml", file, file)
          .isEqualTo(
              want.getSpec().getVersions().stream()
                  .map(v -> v.getSchema().getOpenAPIV3Schema())
                  .toList());
      assertThat(have.getMetadata().getLabels())
          .containsEntry("app.kubernetes.io/managed-by", "Helm");
      assertThat(have.getMetadata().getAnnotations())
          .containsEntry("helm.sh/resource-policy", "keep")
          .containsEntry("meta.helm.sh/release-name", "peerrelay");
    }
    assertThat(columns(serverCrd(PR_CRD)))
        .contains("Exposure .spec.exposure.type string priority=1");
    assertThat(peerRelay()).as("the user's PeerRelay survives the upgrade").isNotNull();

    // helm.sh/resource-policy: keep: an uninstall leaves the CRDs and so every user's object.
    String out = HelmRun.helm(kubeconfig, "uninstall", "peerrelay", "-n", NS);
    assertThat(out).contains(PR_CRD);
    assertThat(client.apps().deployments().inNamespace(NS).withName("peerrelay").get()).isNull();
    assertThat(serverCrd(PR_CRD)).isNotNull();
    assertThat(peerRelay()).as("the user's PeerRelay survives an uninstall").isNotNull();
  }

  private static GenericKubernetesResource peerRelay() {
    return client
        .genericKubernetesResources(PEER_RELAYS)
        .inNamespace("relays")
        .withName("home")
        .get();
  }

  private static Path fixture() throws URISyntaxException {
    return Path.of(HelmChartUpgradeIT.class.getResource("/charts/peerrelay-0.1.0.tgz").toURI());
  }

  private static CustomResourceDefinition serverCrd(String name) {
    return client.apiextensions().v1().customResourceDefinitions().withName(name).get();
  }

  private static CustomResourceDefinition committedCrd(String name) throws IOException {
    try (InputStream in = Files.newInputStream(ROOT.resolve("crds").resolve(name + "-v1.yml"))) {
      return client.apiextensions().v1().customResourceDefinitions().load(in).item();
    }
  }

  /** Each printer column as text; the server leaves out priority 0 (its default). */
  private static List<String> columns(CustomResourceDefinition crd) {
    return crd.getSpec().getVersions().stream()
        .flatMap(v -> v.getAdditionalPrinterColumns().stream())
        .map(
            c ->
                String.join(
                    " ",
                    c.getName(),
                    c.getJsonPath(),
                    c.getType(),
                    "priority=" + (c.getPriority() == null ? 0 : c.getPriority())))
        .toList();
  }
}
