package io.peerrelay.operator.chart;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.peerrelay.testsupport.ControlPlaneExtension;
import io.peerrelay.testsupport.LocalControlPlane;
import io.peerrelay.testsupport.ToolPaths;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The Helm chart, rendered by the real helm and accepted by the real API server. */
@ExtendWith(ControlPlaneExtension.class)
class HelmChartIT {

  private static final Path ROOT = ToolPaths.projectRoot();
  private static final Path CHART = ROOT.resolve("helm/peerrelay");

  static Stream<Path> valuesFiles() throws IOException {
    try (Stream<Path> s = Files.list(CHART.resolve("ci"))) {
      return s.sorted().toList().stream();
    }
  }

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
                "--include-crds",
                "-f",
                values.toString()),
            null);
    assertThat(manifests).contains("kind: Deployment", "kind: ClusterRole");
    // PodMonitor's CRD (Prometheus Operator) is not installed on the test control plane, so the
    // server cannot validate those documents; everything else goes through a server-side dry run.
    String checkable =
        String.join(
            "\n---\n",
            Stream.of(manifests.split("(?m)^---$"))
                .filter(d -> !d.contains("kind: PodMonitor"))
                .filter(d -> !d.isBlank())
                .toList());
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
            "apiVersion: v1\nkind: Namespace\nmetadata: {name: peerrelay-system}\n---\n"
                + checkable);
    assertThat(out).contains("deployment.apps/peerrelay", "(server dry run)");
  }

  @Test
  void installsIntoTheControlPlane(LocalControlPlane cp, KubernetesClient client)
      throws IOException, InterruptedException {
    run(
        List.of(
            helm(),
            "upgrade",
            "--install",
            "peerrelay",
            CHART.toString(),
            "--kubeconfig",
            cp.kubeconfigPath().toString(),
            "--namespace",
            "peerrelay-system",
            "--create-namespace"),
        null);
    assertThat(
            client.apps().deployments().inNamespace("peerrelay-system").withName("peerrelay").get())
        .isNotNull();
    assertThat(client.rbac().clusterRoles().withName("peerrelay").get().getRules()).isNotEmpty();
    assertThat(
            client
                .apiextensions()
                .v1()
                .customResourceDefinitions()
                .withName("peerrelays.peerrelay.io")
                .get())
        .isNotNull();
    assertThat(
            client
                .apiextensions()
                .v1()
                .customResourceDefinitions()
                .withName("relaygrants.peerrelay.io")
                .get())
        .isNotNull();
  }

  private static String helm() {
    return ToolPaths.locate().binary("helm").toString();
  }

  private static String run(List<String> command, String stdin)
      throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>(command);
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    if (stdin != null) {
      p.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
    }
    p.getOutputStream().close();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(120, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("timed out: " + cmd);
    }
    assertThat(p.exitValue()).as("%s failed:%n%s", cmd, out).isZero();
    return out;
  }
}
