package io.peerrelay.relay.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The tailnet block, against the golden file the operator renders (the contract). */
class TailnetConfigParserTest {
  private static final Path GOLDEN = Path.of("src/test/resources/golden/relay-config");
  private static final String HEAD =
      "version: 1\nudpPort: 40000\nhttpPort: 9090\nkeyFile: /k/private.key\n";
  private static final String GOOD =
      "tailnet:\n  controlUrl: https://c.example\n  authKeyFile: /a\n  stateDir: /s\n"
          + "  hostname: relay-0\n";

  @Test
  void theGoldenTailnetFileGivesEveryField() throws Exception {
    RelayConfig config = RelayConfigFile.read(GOLDEN.resolve("tailnet.yaml"));
    assertThat(config.tailnet())
        .isEqualTo(
            new TailnetConfig(
                "https://controlplane.tailscale.com",
                Path.of("/etc/peerrelay/tailnet-auth/authkey"),
                Path.of("/etc/peerrelay/tailnet-state"),
                "office-0",
                List.of("tag:peer-relay")));
    assertThat(config.allowedClientKeys()).isEmpty();
    assertThat(config.advertisedEndpoints())
        .containsExactly(new InetSocketAddress("192.0.2.10", 40000));
  }

  @Test
  void standaloneFilesHaveNoTailnetAndBothModesMayBeOn() throws Exception {
    assertThat(RelayConfigFile.read(GOLDEN.resolve("full.yaml")).tailnet()).isNull();
    RelayConfig both =
        RelayConfigParser.parse(
            HEAD
                + "allowedClientKeys:\n  - discokey:"
                + "8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a\n"
                + GOOD,
            Path.of("/etc/peerrelay"));
    assertThat(both.allowedClientKeys()).hasSize(1);
    assertThat(both.tailnet().tags()).isEmpty();
  }

  @Test
  void relativePathsAreTakenFromTheConfigFolder() throws Exception {
    RelayConfig c =
        RelayConfigParser.parse(
            HEAD + GOOD.replace("/a", "auth/key").replace("/s", "state"), Path.of("/etc/pr"));
    assertThat(c.tailnet().authKeyFile()).isEqualTo(Path.of("/etc/pr/auth/key"));
    assertThat(c.tailnet().stateDir()).isEqualTo(Path.of("/etc/pr/state"));
  }

  @Test
  void aChangedTailnetBlockNeedsARestart() throws Exception {
    RelayConfig a = RelayConfigParser.parse(HEAD + GOOD, Path.of("/"));
    RelayConfig b =
        RelayConfigParser.parse(HEAD + GOOD.replace("relay-0", "relay-1"), Path.of("/"));
    assertThat(b.restartReasonComparedTo(a)).isEqualTo("the tailnet block changed");
    assertThat(a.restartReasonComparedTo(a)).isNull();
  }

  static Stream<Arguments> badBlocks() {
    return Stream.of(
        Arguments.of("tailnet: yes\n", "tailnet: want a mapping with controlUrl"),
        Arguments.of(
            GOOD + "  hostnme: x\n", "tailnet.hostnme: unknown field (did you mean hostname?)"),
        Arguments.of(
            GOOD.replace("  controlUrl: https://c.example\n", ""), "tailnet.controlUrl: missing"),
        Arguments.of(
            GOOD.replace("https://c.example", "c.example"),
            "tailnet.controlUrl: \"c.example\" must start with https://"),
        Arguments.of(GOOD.replace("https://c.example", "https://c.example/x"), "no path or query"),
        Arguments.of(
            GOOD.replace("  authKeyFile: /a\n", ""),
            "tailnet.authKeyFile: missing (write the path of the auth key file"),
        Arguments.of(GOOD.replace("  stateDir: /s\n", ""), "tailnet.stateDir: missing"),
        Arguments.of(
            GOOD.replace("relay-0", "Relay_0"), "tailnet.hostname: \"Relay_0\" is not a DNS label"),
        Arguments.of(GOOD.replace("relay-0", "-r"), "is not a DNS label"),
        Arguments.of(GOOD + "  tags: tag:x\n", "tailnet.tags: want a list of tag:<name>"),
        Arguments.of(
            GOOD + "  tags: [peer-relay]\n", "tailnet.tags[0]: \"peer-relay\" is not a tag"),
        Arguments.of(
            GOOD + "  tags: [tag:a, tag:a]\n", "tailnet.tags[1]: duplicate of tailnet.tags[0]"));
  }

  @ParameterizedTest(name = "[{index}] {1}")
  @MethodSource("badBlocks")
  void rejectsWithAProblemThatNamesTheFieldAndTheFix(String block, String problem) {
    assertThatThrownBy(() -> RelayConfigParser.parse(HEAD + block, Path.of("/")))
        .isInstanceOfSatisfying(
            InvalidConfigException.class,
            e -> assertThat(e.problems()).anySatisfy(p -> assertThat(p).contains(problem)));
  }
}
