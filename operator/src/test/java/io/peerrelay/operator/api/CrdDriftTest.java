package io.peerrelay.operator.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.peerrelay.testsupport.ToolPaths;
import java.io.IOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The committed CRDs in crds/ are exactly what the generator makes from the api package. */
class CrdDriftTest {

  @ParameterizedTest
  @ValueSource(strings = {"peerrelays.peerrelay.io-v1.yml", "relaygrants.peerrelay.io-v1.yml"})
  void committedCrdEqualsGeneratedCrd(String file) throws IOException, URISyntaxException {
    // crd-generator-maven-plugin writes into the build's classes folder in process-classes.
    URL generatedUrl = getClass().getResource("/META-INF/fabric8/" + file);
    assertThat(generatedUrl)
        .as("generated %s missing: run mvn -pl operator process-classes", file)
        .isNotNull();
    Path generated = Path.of(generatedUrl.toURI());
    Path committed = ToolPaths.projectRoot().resolve("crds").resolve(file);
    String fix =
        "crds/"
            + file
            + " is out of date with the api package. Update it with:\n  cp "
            + generated
            + " "
            + committed
            + "\n(or run `mvn -pl operator process-classes && cp operator/target/classes/"
            + "META-INF/fabric8/*.yml crds/` from the project root), refresh the chart's copy"
            + " (`cp crds/*.yml helm/peerrelay/files/crds/`) and commit them.";
    assertThat(committed).as(fix).isRegularFile();
    List<String> want = Files.readAllLines(generated, StandardCharsets.UTF_8);
    List<String> have = Files.readAllLines(committed, StandardCharsets.UTF_8);
    int line = 0;
    while (line < want.size() && line < have.size() && want.get(line).equals(have.get(line))) {
      line++;
    }
    boolean same = line == want.size() && line == have.size();
    assertThat(same)
        .as(
            "%s\nfirst difference at line %d:\n  generated: %s\n  committed: %s",
            fix,
            line + 1,
            line < want.size() ? want.get(line) : "<end of file>",
            line < have.size() ? have.get(line) : "<end of file>")
        .isTrue();
  }
}
