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

  /** The reasons API.md's condition table lists for {@code type}. */
  private static List<String> documented(String type) throws IOException {
    Path dir = Path.of("").toAbsolutePath();
    while (!Files.exists(dir.resolve("operator/API.md"))) {
      dir = dir.getParent();
      assertThat(dir).as("operator/API.md above the working directory").isNotNull();
    }
    // The Conditions table row: | `Ready` | `Ready`, `EndpointsPending`, ... |
    Matcher row =
        Pattern.compile("(?m)^\\| `" + type + "` \\| (.+) \\|$")
            .matcher(Files.readString(dir.resolve("operator/API.md")));
    assertThat(row.find()).as(type + " row in API.md's condition table").isTrue();
    return Arrays.stream(row.group(1).replaceAll("\\(.*\\)", "").split(","))
        .map(r -> r.trim().replace("`", ""))
        .toList();
  }

  @Test
  void everyDocumentedReadyReasonHasAGauge() throws IOException {
    List<String> documented = documented("Ready");
    assertThat(documented).contains("Ready", "ApiError");
    assertThat(RelayGauges.REASONS).containsAll(documented);
  }

  @Test
  void everyDocumentedTailnetReasonHasAGaugeAndNoOther() throws IOException {
    List<String> documented = documented("TailnetRegistered");
    assertThat(documented).contains("Registered", "AuthKeyMissing", "ControlUnreachable");
    assertThat(RelayGauges.TAILNET_REASONS)
        .containsExactlyInAnyOrderElementsOf(
            java.util.stream.Stream.concat(
                    documented.stream(), java.util.stream.Stream.of("Unknown"))
                .toList());
  }
}
