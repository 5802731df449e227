package io.peerrelay.relay.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.peerrelay.relay.core.RelayServer;
import io.peerrelay.relay.metrics.RelayMetrics;
import io.peerrelay.relay.protocol.DiscoPrivateKey;
import io.peerrelay.relay.protocol.DiscoPublicKey;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Clock;
import java.util.HexFormat;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What GET /config reports after good and refused reloads (the relay side of the contract). */
class ConfigStatusTest {
  @TempDir Path dir;
  private final DiscoPrivateKey serverKey = DiscoPrivateKey.generate();
  private final DiscoPublicKey a = DiscoPrivateKey.generate().publicKey();
  private final DiscoPublicKey b = DiscoPrivateKey.generate().publicKey();
  private final RelayMetrics metrics = new RelayMetrics("test");
  private Path configFile;
  private ConfigReload reload;
  private RelayServer server;

  private String config(String extra) {
    return "version: 1\nudpPort: 40000\nhttpPort: 9090\nkeyFile: private.key\n"
        + "allowedClientKeys: ["
        + a
        + ", "
        + b
        + "]\n"
        + extra;
  }

  private static String sha256(String text) throws Exception {
    return HexFormat.of()
        .formatHex(
            MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
  }

  @BeforeEach
  void start() throws Exception {
    Files.writeString(dir.resolve("private.key"), serverKey.toText());
    configFile = dir.resolve("relay.yaml");
    Files.writeString(configFile, config("advertisedEndpoints: [192.0.2.1:40000]\n"));
    reload = new ConfigReload(configFile, FileSource.DISK, Clock.systemUTC(), metrics);
    server = new RelayServer(serverKey, reload.current().settings(), metrics, System::nanoTime);
    reload.applyTo(server::apply);
  }

  @Test
  void theStartedFileIsAppliedWithItsHashAndNothingRejected() throws Exception {
    ConfigStatus status = reload.status();

    assertThat(status.applied().sha256())
        .isEqualTo(sha256(config("advertisedEndpoints: [192.0.2.1:40000]\n")));
    assertThat(status.applied().appliedAt()).isNotNull();
    assertThat(status.rejected()).isNull();
  }

  @Test
  void seventeenEndpointsAreRejectedNamingTheFieldAndTheSessionStays() throws Exception {
    String goodSha = reload.status().applied().sha256();
    int vni = server.allocate(a, b).vni();
    String endpoints =
        IntStream.range(0, 17)
            .mapToObj(i -> "192.0.2.1:" + (40000 + i))
            .collect(Collectors.joining(", ", "[", "]"));
    String refused = config("advertisedEndpoints: " + endpoints + "\n");
    Files.writeString(configFile, refused);

    reload.check();

    ConfigStatus.Rejected rejected = reload.status().rejected();
    assertThat(rejected).isNotNull();
    assertThat(rejected.field()).isEqualTo("advertisedEndpoints");
    assertThat(rejected.error())
        .isEqualTo(
            "17 entries, at most 16 (the allocation answer must stay smaller than the request)");
    assertThat(rejected.sha256()).isEqualTo(sha256(refused));
    assertThat(rejected.seenAt()).isNotNull();
    assertThat(reload.status().applied().sha256()).isEqualTo(goodSha);
    assertThat(reload.current().advertisedEndpoints()).hasSize(1);
    assertThat(server.sessions()).extracting(s -> s.vni()).containsExactly(vni);
  }

  @Test
  void aZeroLifetimeIsRejectedAndALaterGoodFileClearsIt() throws Exception {
    Files.writeString(
        configFile, config("advertisedEndpoints: [192.0.2.1:40000]\nlifetimes: {bind: 0s}\n"));
    reload.check();

    assertThat(reload.status().rejected().field()).isEqualTo("lifetimes.bind");
    assertThat(reload.status().rejected().error()).isEqualTo("0s must be more than 0");

    String good = config("advertisedEndpoints: [192.0.2.2:40000]\n");
    Files.writeString(configFile, good);
    reload.check();

    assertThat(reload.status().rejected()).isNull();
    assertThat(reload.status().applied().sha256()).isEqualTo(sha256(good));
    assertThat(reload.current().advertisedEndpoints().get(0).getHostString())
        .isEqualTo("192.0.2.2");
  }

  @Test
  void aFileThatDoesNotParseHasAnEmptyField() throws Exception {
    Files.writeString(configFile, "version: 1\nnonsense: [");
    reload.check();

    assertThat(reload.status().rejected().field()).isEmpty();
    assertThat(reload.status().rejected().error()).contains("not valid YAML");
  }

  @Test
  void aPortChangeIsRejectedAsNeedingARestart() throws Exception {
    Files.writeString(configFile, config("").replace("udpPort: 40000", "udpPort: 40001"));
    reload.check();

    assertThat(reload.status().rejected().field()).isEqualTo("udpPort");
    assertThat(reload.status().rejected().error())
        .isEqualTo("udpPort changed from 40000 to 40001; restart the relay to use it");
  }

  @Test
  void theTerminationLineIsFieldThenError() {
    ConfigRefusal refusal =
        ConfigRefusal.of(
            new InvalidConfigException(
                java.util.List.of(
                    "limits.maxSessions: 0 is outside 1-16777215", "udpPort: missing (write...)")));

    assertThat(refusal.field()).isEqualTo("limits.maxSessions");
    assertThat(refusal.terminationLine())
        .isEqualTo("limits.maxSessions: 0 is outside 1-16777215; udpPort: missing (write...)");
    assertThat(ConfigRefusal.of(new InvalidConfigException("line 2: not valid YAML: x")).field())
        .isEmpty();
    assertThat(
            ConfigRefusal.of(new InvalidConfigException("advertisedEndpoints[2]: \"1.2.3.4\" x"))
                .field())
        .isEqualTo("advertisedEndpoints[2]");
  }
}
