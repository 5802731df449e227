package io.peerrelay.relay.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.peerrelay.relay.core.RelaySettings;
import io.peerrelay.relay.protocol.DiscoPrivateKey;
import io.peerrelay.relay.protocol.DiscoPublicKey;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class RelayConfigParserTest {
  private static final Path GOLDEN = Path.of("src/test/resources/golden/relay-config");
  private static final String KEY_A =
      "discokey:8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a";
  private static final String KEY_B =
      "discokey:de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f";
  private static final String HEAD =
      "version: 1\nudpPort: 40000\nhttpPort: 9090\nkeyFile: /k/private.key\n";

  @Test
  void fullGoldenFileGivesEveryFieldExactly() throws Exception {
    RelayConfig config = RelayConfigFile.read(GOLDEN.resolve("full.yaml"));

    assertThat(config.udpPort()).isEqualTo(40000);
    assertThat(config.httpPort()).isEqualTo(9090);
    assertThat(config.keyFile()).isEqualTo(Path.of("/etc/peerrelay/key/private.key"));
    assertThat(config.advertisedEndpoints())
        .containsExactly(
            new InetSocketAddress("192.0.2.10", 40000),
            new InetSocketAddress("198.51.100.7", 40000),
            new InetSocketAddress("2001:db8::10", 40000));
    assertThat(config.allowedClientKeys())
        .containsExactly(DiscoPublicKey.parse(KEY_A), DiscoPublicKey.parse(KEY_B));
    assertThat(config.settings().bindLifetime()).isEqualTo(Duration.ofSeconds(30));
    assertThat(config.settings().steadyStateLifetime()).isEqualTo(Duration.ofMinutes(5));
    assertThat(config.settings().gcInterval()).isEqualTo(Duration.ofSeconds(30));
    assertThat(config.settings().maxSessions()).isEqualTo(100_000);
    assertThat(config.settings().handshakesPerSecondPerSource()).isEqualTo(20.0);
    assertThat(config.settings().handshakeBurstPerSource()).isEqualTo(40);
    assertThat(config.shutdownDrain()).isEqualTo(Duration.ofSeconds(10));
  }

  @Test
  void minimalGoldenFileTakesTheDefaults() throws Exception {
    RelayConfig config = RelayConfigFile.read(GOLDEN.resolve("minimal.yaml"));

    assertThat(config.udpPort()).isEqualTo(40000);
    assertThat(config.httpPort()).isEqualTo(9090);
    assertThat(config.keyFile()).isEqualTo(Path.of("/etc/peerrelay/key/private.key"));
    assertThat(config.advertisedEndpoints()).isEmpty();
    assertThat(config.allowedClientKeys()).isEmpty();
    assertThat(config.settings()).isEqualTo(RelaySettings.defaults());
    assertThat(config.shutdownDrain()).isEqualTo(Duration.ofSeconds(10));
  }

  @Test
  void fullGoldenFileMapsToCoreSettings() throws Exception {
    RelaySettings settings = RelayConfigFile.read(GOLDEN.resolve("full.yaml")).settings();

    assertThat(settings.advertisedEndpoints()).hasSize(3);
    assertThat(settings.allowedClientKeys())
        .containsExactlyInAnyOrder(DiscoPublicKey.parse(KEY_A), DiscoPublicKey.parse(KEY_B));
    assertThat(settings.bindLifetime()).isEqualTo(Duration.ofSeconds(30));
    assertThat(settings.steadyStateLifetime()).isEqualTo(Duration.ofMinutes(5));
    assertThat(settings.gcInterval()).isEqualTo(Duration.ofSeconds(30));
    assertThat(settings.maxSessions()).isEqualTo(100_000);
    assertThat(settings.handshakesPerSecondPerSource()).isEqualTo(20.0);
    assertThat(settings.handshakeBurstPerSource()).isEqualTo(40);
  }

  @Test
  void goldenKeyFileGivesTheExpectedIdentity() throws Exception {
    DiscoPrivateKey key = ServerKeyFile.read(GOLDEN.resolve("private.key"));

    assertThat(key.toText()).isEqualTo("discoprivkey:" + "58".repeat(32));
    // X25519 public key of 32 bytes of 0x58, computed independently with Python's cryptography.
    assertThat(key.publicKey().toString())
        .isEqualTo("discokey:4c851fc5046a9493c0698d9ab7da0376bbb9deb6dbfcedc4dc887b5ffa279a6b");
  }

  @Test
  void relativeKeyFileIsTakenFromTheConfigFolder() throws Exception {
    RelayConfig config =
        RelayConfigParser.parse(
            "version: 1\nudpPort: 1\nhttpPort: 2\nkeyFile: key/private.key\n", Path.of("/etc/pr"));

    assertThat(config.keyFile()).isEqualTo(Path.of("/etc/pr/key/private.key"));
  }

  @Test
  void sixteenEndpointsAreAllowed() throws Exception {
    RelayConfig config = RelayConfigParser.parse(HEAD + endpoints(16), Path.of("/"));

    assertThat(config.advertisedEndpoints()).hasSize(16);
  }

  @Test
  void keysInEitherCaseAreTheSameKey() throws Exception {
    RelayConfig config =
        RelayConfigParser.parse(
            HEAD
                + "allowedClientKeys: ["
                + KEY_A.toUpperCase().replace("DISCOKEY", "discokey")
                + "]",
            Path.of("/"));

    assertThat(config.allowedClientKeys()).containsExactly(DiscoPublicKey.parse(KEY_A));
  }

  @Test
  void zeroDrainMeansStopAtOnce() throws Exception {
    RelayConfig config = RelayConfigParser.parse(HEAD + "shutdown: {drain: 0s}", Path.of("/"));

    assertThat(config.shutdownDrain()).isZero();
  }

  static Stream<Arguments> badFiles() {
    return Stream.of(
        bad("", "the file is empty (start with version: 1)"),
        bad("- a\n- b", "the file is not a YAML mapping of fields (start with version: 1)"),
        bad("version: 1\nudpPort: [", "not valid YAML"),
        bad(HEAD + "udpPort: 1", "field written twice: 'udpPort'"),
        bad("udpPort: 40000\nhttpPort: 9090\nkeyFile: /k", "version: missing (write version: 1)"),
        bad(
            "version: 2\nudpPort: 1\nfutureField: x",
            "version: 2 is not supported (this relay reads version 1)"),
        bad(
            "version: \"1\"\nudpPort: 1",
            "version: \"1\" is not supported (this relay reads version 1)"),
        bad(
            "version: 1\nhttpPort: 9090\nkeyFile: /k",
            "udpPort: missing (write e.g. udpPort: 40000)"),
        bad(
            "version: 1\nudpPort: 40000\nhttpPort: 0\nkeyFile: /k",
            "httpPort: 0 is outside 1-65535"),
        bad(
            "version: 1\nudpPort: 65536\nhttpPort: 9090\nkeyFile: /k",
            "udpPort: 65536 is outside 1-65535"),
        bad(
            "version: 1\nudpPort: \"40000\"\nhttpPort: 9090\nkeyFile: /k",
            "udpPort: \"40000\" is not a port number (write e.g. 40000)"),
        bad(
            "version: 1\nudpPort: 40000\nhttpPort: 9090",
            "keyFile: missing (write the path of the private key file, e.g."
                + " /etc/peerrelay/key/private.key)"),
        bad(HEAD + "keyfile: /x", "keyfile: unknown field (did you mean keyFile?)"),
        bad(HEAD + "lifetmes: {bind: 30s}", "lifetmes: unknown field (did you mean lifetimes?)"),
        bad(
            HEAD + "colour: blue",
            "colour: unknown field (known: version, udpPort, httpPort, keyFile,"
                + " advertisedEndpoints, allowedClientKeys, lifetimes, limits, shutdown, tailnet)"),
        bad(HEAD + "lifetimes: {bnd: 30s}", "lifetimes.bnd: unknown field (did you mean bind?)"),
        bad(
            HEAD + "lifetimes: 30s",
            "lifetimes: want a mapping with bind, steadyState, gcInterval"),
        bad(HEAD + "lifetimes: {bind: \"30\"}", "lifetimes.bind: \"30\" has no unit (write 30s)"),
        bad(HEAD + "lifetimes: {bind: 30}", "lifetimes.bind: \"30\" has no unit (write 30s)"),
        bad(
            HEAD + "lifetimes: {steadyState: 5 minutes}",
            "lifetimes.steadyState: \"5 minutes\" has an unknown unit \" minutes\" (use ns, us,"
                + " ms, s, m or h)"),
        bad(HEAD + "lifetimes: {gcInterval: 0s}", "lifetimes.gcInterval: 0s must be more than 0"),
        bad(HEAD + "lifetimes: {bind: -1s}", "lifetimes.bind: -1s must be more than 0"),
        bad(HEAD + "shutdown: {drain: -1s}", "shutdown.drain: -1s must be more than 0 or 0"),
        bad(HEAD + "shutdown: {grace: 1s}", "shutdown.grace: unknown field (known: drain)"),
        bad(HEAD + "limits: {maxSessions: 0}", "limits.maxSessions: 0 is outside 1-16777215"),
        bad(
            HEAD + "limits: {maxSessions: 16777216}",
            "limits.maxSessions: 16777216 is outside 1-16777215"),
        bad(HEAD + "limits: {maxSessions: 1.5}", "limits.maxSessions: 1.5 is not a whole number"),
        bad(
            HEAD + "limits: {handshakesPerSecondPerSource: 0}",
            "limits.handshakesPerSecondPerSource: 0 is not a number more than 0"),
        bad(
            HEAD + "limits: {handshakesPerSecondPerSource: fast}",
            "limits.handshakesPerSecondPerSource: \"fast\" is not a number more than 0"),
        bad(
            HEAD + "limits: {handshakeBurstPerSource: 0}",
            "limits.handshakeBurstPerSource: 0 is outside 1-2147483647"),
        bad(
            HEAD + "advertisedEndpoints: 1.2.3.4:40000",
            "advertisedEndpoints: want a list of ip:port (write [] for none)"),
        bad(
            HEAD + "advertisedEndpoints: [192.0.2.1:40000, 192.0.2.2:40000, 1.2.3.4]",
            "advertisedEndpoints[2]: \"1.2.3.4\" is not ip:port (write 1.2.3.4:40000, IPv6 as"
                + " [2001:db8::1]:40000)"),
        bad(
            HEAD + "advertisedEndpoints: [\"2001:db8::1:40000\"]",
            "advertisedEndpoints[0]: \"2001:db8::1:40000\" is not ip:port (IPv6 needs brackets:"
                + " write [2001:db8::1]:40000)"),
        bad(
            HEAD + "advertisedEndpoints: [192.0.2.1:70000]",
            "advertisedEndpoints[0]: \"192.0.2.1:70000\" has port 70000, outside 1-65535"),
        bad(
            HEAD + "advertisedEndpoints: [192.0.2.1:1, 192.0.2.2:1, 192.0.2.1:1]",
            "advertisedEndpoints[2]: duplicate of advertisedEndpoints[0] (192.0.2.1:1)"),
        bad(
            HEAD + "advertisedEndpoints: [40000]",
            "advertisedEndpoints[0]: 40000 is not ip:port (write e.g. 192.0.2.10:40000)"),
        bad(
            HEAD + endpoints(17),
            "advertisedEndpoints: 17 entries, at most 16 (the allocation answer must stay smaller"
                + " than the request)"),
        bad(
            HEAD + "allowedClientKeys: [nodekey:1234]",
            "allowedClientKeys[0]: not a disco public key (want discokey: + 64 hex)"),
        bad(
            HEAD + "allowedClientKeys: [" + KEY_A.substring(0, 70) + "]",
            "allowedClientKeys[0]: not a disco public key (want discokey: + 64 hex)"),
        bad(
            HEAD + "allowedClientKeys: [" + KEY_A + ", " + KEY_B + ", " + KEY_A + "]",
            "allowedClientKeys[2]: duplicate of allowedClientKeys[0]"),
        bad(
            HEAD + "allowedClientKeys: {a: b}",
            "allowedClientKeys: want a list of discokey:<64 hex> (write [] for none)"));
  }

  private static Arguments bad(String yaml, String problem) {
    return Arguments.of(yaml, problem);
  }

  private static String endpoints(int count) {
    return "advertisedEndpoints:\n"
        + IntStream.range(0, count)
            .mapToObj(i -> "  - 192.0.2." + (i + 1) + ":40000\n")
            .collect(Collectors.joining());
  }

  @ParameterizedTest(name = "[{index}] {1}")
  @MethodSource("badFiles")
  void rejectsWithAProblemThatNamesTheFieldAndTheFix(String yaml, String problem) {
    assertThatThrownBy(() -> RelayConfigParser.parse(yaml, Path.of("/")))
        .isInstanceOfSatisfying(
            InvalidConfigException.class,
            e -> assertThat(e.problems()).anySatisfy(p -> assertThat(p).contains(problem)));
  }

  @Test
  void reportsEveryProblemAtOnceOnOneLine() {
    String yaml =
        "version: 1\nudpPort: 0\nhttpPort: 9090\nkeyFile: /k\n"
            + "advertisedEndpoints: [1.2.3.4]\nlifetimes: {bind: 30}\n";

    assertThatThrownBy(() -> RelayConfigParser.parse(yaml, Path.of("/")))
        .isInstanceOfSatisfying(
            InvalidConfigException.class,
            e -> {
              assertThat(e.problems())
                  .containsExactly(
                      "udpPort: 0 is outside 1-65535",
                      "advertisedEndpoints[0]: \"1.2.3.4\" is not ip:port (write 1.2.3.4:40000,"
                          + " IPv6 as [2001:db8::1]:40000)",
                      "lifetimes.bind: \"30\" has no unit (write 30s)");
              assertThat(e.getMessage()).doesNotContain("\n");
            });
  }

  @Test
  void keyFileErrorsNameTheFileButNeverEchoTheKey() {
    String nearMiss = "discoprivkey:" + "ab".repeat(31);

    assertThatThrownBy(() -> ServerKeyFile.parse(nearMiss, Path.of("/s/private.key")))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessageContaining("keyFile /s/private.key: not a disco private key")
        .hasMessageNotContaining("abab");
  }

  @Test
  void unreadableConfigSaysWhy() {
    assertThatThrownBy(() -> RelayConfigFile.read(Path.of("/nonexistent/relay.yaml")))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessageContaining("cannot read the file (NoSuchFileException");
  }

  @Test
  void settingsKeepTheGrantedKeys() throws Exception {
    RelayConfig config =
        RelayConfigParser.parse(HEAD + "allowedClientKeys: [" + KEY_B + "]", Path.of("/"));

    assertThat(config.settings().allowedClientKeys())
        .isEqualTo(java.util.Set.of(DiscoPublicKey.parse(KEY_B)));
    assertThat(List.copyOf(config.settings().advertisedEndpoints())).isEmpty();
  }
}
