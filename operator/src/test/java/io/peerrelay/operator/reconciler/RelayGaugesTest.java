package io.peerrelay.operator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class RelayGaugesTest {

  @Test
  void everyDocumentedReadyReasonHasAGauge() throws IOException {
    Path dir = Path.of("").toAbsolutePath();
    while (!Files.exists(dir.resolve("operator/API.md"))) {
      dir = dir.getParent();
      assertThat(dir).as("operator/API.md above the working directory").isNotNull();
    }
    // The Conditions table row: | `Ready` | `Ready`, `EndpointsPending`, ... |
    Matcher row =
        Pattern.compile("(?m)^\\| `Ready` \\| (.+) \\|$")
            .matcher(Files.readString(dir.resolve("operator/API.md")));
    assertThat(row.find()).as("Ready row in API.md's condition table").isTrue();
    List<String> documented =
        Arrays.stream(row.group(1).split(",")).map(r -> r.trim().replace("`", "")).toList();
    assertThat(documented).contains("Ready", "ApiError");
    assertThat(RelayGauges.REASONS).containsAll(documented);
  }
}
