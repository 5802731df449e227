package io.peerrelay.operator.chart;

import static org.assertj.core.api.Assertions.assertThat;

import io.peerrelay.testsupport.ToolPaths;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The chart's copies (CRDs, RBAC rules) must equal their single sources in the repository. */
class ChartDriftTest {

  private static final Path ROOT = ToolPaths.projectRoot();
  private static final Path CHART = ROOT.resolve("helm/peerrelay");

  static Stream<String> crdFiles() throws IOException {
    try (Stream<Path> s = Files.list(ROOT.resolve("crds"))) {
      return s.map(p -> p.getFileName().toString()).sorted().toList().stream();
    }
  }

  @ParameterizedTest
  @MethodSource("crdFiles")
  void chartCrdEqualsGeneratedCrd(String file) throws IOException {
    Path copy = CHART.resolve("files/crds").resolve(file);
    assertThat(copy)
        .as(
            "helm/peerrelay/files/crds/%s is a copy of crds/%s (templates/crds/crds.yaml renders"
                + " it); refresh it with: cp crds/*.yml %s/",
            file, file, "helm/peerrelay/files/crds")
        .exists()
        .hasSameTextualContentAs(ROOT.resolve("crds").resolve(file));
  }

  @Test
  void chartHasNoStaleCrd() throws IOException {
    List<String> sources = crdFiles().toList();
    try (Stream<Path> s = Files.list(CHART.resolve("files/crds"))) {
      assertThat(s.map(p -> p.getFileName().toString()).sorted().toList())
          .as("helm/peerrelay/files/crds must hold exactly the files of crds/")
          .isEqualTo(sources);
    }
  }

  @Test
  void chartHasNoCrdsFolder() {
    // Helm installs a chart's crds/ once and never upgrades it; the CRDs are templates instead.
    assertThat(CHART.resolve("crds"))
        .as("helm/peerrelay/crds/ must not exist: the CRDs live in files/crds/ (templated)")
        .doesNotExist();
  }

  @Test
  void chartRbacEqualsOperatorRbac() {
    assertThat(CHART.resolve("files/clusterrole.yaml"))
        .as(
            "helm/peerrelay/files/clusterrole.yaml is a copy of the operator's RBAC; refresh it"
                + " with: cp operator/src/main/resources/rbac/clusterrole.yaml"
                + " helm/peerrelay/files/")
        .hasSameTextualContentAs(ROOT.resolve("operator/src/main/resources/rbac/clusterrole.yaml"));
  }
}
