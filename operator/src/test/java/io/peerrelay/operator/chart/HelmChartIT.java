package io.peerrelay.operator.chart;

import static io.peerrelay.operator.chart.HelmRun.CHART;
import static io.peerrelay.operator.chart.HelmRun.helm;
import static io.peerrelay.operator.chart.HelmRun.run;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.peerrelay.testsupport.ControlPlaneExtension;
import io.peerrelay.testsupport.LocalControlPlane;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The Helm chart, rendered by the real helm and accepted by the real API server. */
@ExtendWith(ControlPlaneExtension.class)
class HelmChartIT {

  static Stream<Path> valuesFiles() throws IOException {
    try (Stream<Path> s = Files.list(CHART.resolve("ci"))) {
      return s.sorted().toList().stream();
    }
  }

  private static final Pattern NAMESPACE_FIELD =
      Pattern.compile("(?m)^\\s+namespace: \"?([a-z0-9-]+)\"?\\s*$");

  @ParameterizedTest
  @MethodSource("valuesFiles")
  void lintsAndRendersAndTheServerAcceptsIt(Path values, LocalControlPlane cp)
      throws IOException, InterruptedException {
    run(List.of(helm(), "lint", "--strict", CHART.toString(), "-f", values.toString()), null);
    String manifests =
        run(
            List.of(
                helm(),
                "template",
                "peerrelay",
                CHART.toString(),
                "--namespace",
                "peerrelay-system",
                "-f",
                values.toString()),
            null);
    assertThat(manifests).contains("kind: Deployment", "kind: ClusterRole");
    if (values.getFileName().toString().startsWith("crds-off")) {
      assertThat(manifests).doesNotContain("CustomResourceDefinition");
    } else {
      assertThat(manifests)
          .contains("name: \"peerrelays.peerrelay.io\"", "name: \"relaygrants.peerrelay.io\"")
          .contains("helm.sh/resource-policy: keep");
    }
    // PodMonitor's CRD (Prometheus Operator) is not installed on the test control plane, so the
    // server cannot validate those documents; everything else goes through a server-side dry run.
    String checkable =
        String.join(
            "\n---\n",
            Stream.of(manifests.split("(?m)^---$"))
                .filter(d -> !d.contains("kind: PodMonitor"))
                .filter(d -> !d.isBlank())
                .toList());
    // A dry run creates nothing, so the namespaces the objects live in (the release's and, with
    // watchNamespaces, one Role's each) must exist for real first.
    String namespaces =
        Stream.concat(
                Stream.of("peerrelay-system"),
                NAMESPACE_FIELD.matcher(manifests).results().map(m -> m.group(1)))
            .distinct()
            .map(n -> "apiVersion: v1\nkind: Namespace\nmetadata: {name: " + n + "}\n")
            .collect(Collectors.joining("---\n"));
    run(
        List.of("kubectl", "--kubeconfig", cp.kubeconfigPath().toString(), "apply", "-f", "-"),
        namespaces);
    String out =
        run(
            List.of(
                "kubectl",
                "--kubeconfig",
                cp.kubeconfigPath().toString(),
                "apply",
                "--dry-run=server",
                "-f",
                "-"),
            checkable);
    assertThat(out).contains("deployment.apps/peerrelay", "(server dry run)");
  }

  @Test
  void installsIntoTheControlPlane(LocalControlPlane cp, KubernetesClient client)
      throws IOException, InterruptedException {
    // Other ITs on this JVM-wide control plane apply the CRDs themselves, as a user who applied
    // crds/ by hand would: --take-ownership lets the release adopt them (see README.md).
    HelmRun.helm(
        cp.kubeconfigPath(),
        "upgrade",
        "--install",
        "peerrelay",
        CHART.toString(),
        "--namespace",
        "peerrelay-system",
        "--create-namespace",
        "--take-ownership");
    assertThat(
            client.apps().deployments().inNamespace("peerrelay-system").withName("peerrelay").get())
        .isNotNull();
    assertThat(client.rbac().clusterRoles().withName("peerrelay").get().getRules()).isNotEmpty();
    for (String crd : List.of("peerrelays.peerrelay.io", "relaygrants.peerrelay.io")) {
      assertThat(client.apiextensions().v1().customResourceDefinitions().withName(crd).get())
          .as(crd)
          .isNotNull();
    }
  }
}
