package io.peerrelay.relay.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.peerrelay.relay.core.RelaySettings;
import io.peerrelay.relay.metrics.RelayMetrics;
import io.peerrelay.relay.protocol.DiscoPrivateKey;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigReloadTest {
  @TempDir Path dir;
  private final RelayMetrics metrics = new RelayMetrics("test");
  private final List<RelaySettings> applied = new ArrayList<>();
  private final DiscoPrivateKey key = DiscoPrivateKey.generate();
  private LogCapture log;
  private Path configFile;
  private Path keyFile;
  private ConfigReload reload;

  private String config(int udpPort, String endpoints) {
    return "version: 1\nudpPort: "
        + udpPort
        + "\nhttpPort: 9090\nkeyFile: "
        + keyFile
        + "\nadvertisedEndpoints: "
        + endpoints
        + "\n";
  }

  @BeforeEach
  void start() throws Exception {
    log = new LogCapture(ConfigReload.class);
    keyFile = dir.resolve("private.key");
    Files.writeString(keyFile, key.toText() + "\n");
    configFile = dir.resolve("relay.yaml");
    Files.writeString(configFile, config(40000, "[]"));
    reload = new ConfigReload(configFile, FileSource.DISK, Clock.systemUTC(), metrics);
    reload.applyTo(applied::add);
  }

  @AfterEach
  void stop() {
    log.close();
  }

  private double reloads(String result) {
    String prefix = "peerrelay_config_reloads_total{result=\"" + result + "\"} ";
    return metrics
        .scrape()
        .lines()
        .filter(l -> l.startsWith(prefix))
        .mapToDouble(l -> Double.parseDouble(l.substring(prefix.length())))
        .findFirst()
        .orElseThrow();
  }

  @Test
  void nothingChangedDoesNothing() {
    reload.check();
    reload.check();

    assertThat(applied).isEmpty();
    assertThat(log.lines).isEmpty();
  }

  @Test
  void aValidChangeIsAppliedOnceAndCounted() throws Exception {
    Files.writeString(configFile, config(40000, "[192.0.2.1:40000]"));

    reload.check();
    reload.check();

    assertThat(applied).hasSize(1);
    assertThat(applied.get(0).advertisedEndpoints())
        .containsExactly(new InetSocketAddress("192.0.2.1", 40000));
    assertThat(reload.current().advertisedEndpoints()).hasSize(1);
    assertThat(reloads("ok")).isEqualTo(1);
    assertThat(log.lines)
        .containsExactly(
            "INFO config "
                + configFile
                + " applied: 1 advertised endpoints (was 0), 0 granted keys (was 0)");
  }

  @Test
  void aBadFileIsOneLineOneCountAndTheOldConfigStays() throws Exception {
    RelayConfig before = reload.current();
    Files.writeString(configFile, config(40000, "[1.2.3.4]") + "lifetimes: {bind: 30}\n");

    reload.check();
    reload.check(); // the periodic re-check must not log or count the same bad file again

    assertThat(applied).isEmpty();
    assertThat(reload.current()).isSameAs(before);
    assertThat(reloads("error")).isEqualTo(1);
    assertThat(log.lines).hasSize(1);
    assertThat(log.lines.get(0))
        .isEqualTo(
            "WARNING config "
                + configFile
                + " rejected, keeping the last good config: advertisedEndpoints[0]: \"1.2.3.4\" is"
                + " not ip:port (write 1.2.3.4:40000, IPv6 as [2001:db8::1]:40000);"
                + " lifetimes.bind: \"30\" has no unit (write 30s)")
        .doesNotContain("\n");
  }

  @Test
  void aGoodFileAfterABadOneApplies() throws Exception {
    Files.writeString(configFile, "version: 1\nnonsense: [");
    reload.check();
    Files.writeString(configFile, config(40000, "[\"[2001:db8::1]:40000\"]"));
    reload.check();

    assertThat(applied).hasSize(1);
    assertThat(reloads("error")).isEqualTo(1);
    assertThat(reloads("ok")).isEqualTo(1);
  }

  @Test
  void aNewUdpPortNeedsARestartAndAppliesNothing() throws Exception {
    Files.writeString(configFile, config(40001, "[192.0.2.1:40001]"));

    reload.check();

    assertThat(applied).isEmpty();
    assertThat(reload.current().udpPort()).isEqualTo(40000);
    assertThat(reloads("restart_required")).isEqualTo(1);
    assertThat(log.lines)
        .containsExactly(
            "WARNING config "
                + configFile
                + ": udpPort changed from 40000 to 40001; restart the relay to use it (nothing of"
                + " this version applied)");
  }

  @Test
  void aNewKeyIsNotAppliedLiveButSaysRestart() throws Exception {
    DiscoPrivateKey other = DiscoPrivateKey.generate();
    Files.writeString(keyFile, other.toText());

    reload.check();

    assertThat(applied).isEmpty();
    assertThat(reloads("restart_required")).isEqualTo(1);
    assertThat(log.lines).hasSize(1);
    assertThat(log.lines.get(0))
        .contains("keyFile " + keyFile + " now holds " + other.publicKey())
        .contains("restart the relay")
        .contains("still serving with " + key.publicKey())
        .doesNotContain(other.toText());
  }

  @Test
  void theSameKeyRewrittenIsNotAChange() throws Exception {
    Files.writeString(keyFile, key.toText()); // no trailing newline now

    reload.check();

    assertThat(log.lines).isEmpty();
    assertThat(reloads("restart_required")).isZero();
  }

  @Test
  void aBrokenKeyFileIsAnErrorThatNeverShowsTheKey() throws Exception {
    Files.writeString(keyFile, "discoprivkey:00");

    reload.check();

    assertThat(reloads("error")).isEqualTo(1);
    assertThat(log.lines).hasSize(1);
    assertThat(log.lines.get(0)).contains("keyFile " + keyFile + ": not a disco private key");
  }

  @Test
  void aCoreThatRefusesTheSettingsCountsAsAnError() throws Exception {
    ConfigReload refusing =
        new ConfigReload(configFile, FileSource.DISK, Clock.systemUTC(), metrics);
    refusing.applyTo(
        s -> {
          throw new IllegalArgumentException("too many endpoints for the core");
        });
    Files.writeString(configFile, config(40000, "[192.0.2.1:40000]"));

    refusing.check();

    assertThat(reloads("error")).isEqualTo(1);
    assertThat(refusing.current().advertisedEndpoints()).isEmpty();
  }

  /**
   * Kubelet swaps the ..data symlink whenever it likes: each version must be read once and what is
   * applied, hashed and reported must all come from that one read.
   */
  @Test
  void eachChangeIsOneReadAndTheHashIsOfTheBytesApplied() throws Exception {
    List<String> versions =
        List.of(
            config(40000, "[]"),
            config(40000, "[192.0.2.1:40000]"),
            config(40000, "[192.0.2.2:40000]"));
    int[] configReads = {0};
    FileSource swapping =
        file -> {
          if (!file.equals(configFile)) {
            return Files.readAllBytes(file);
          }
          // Every read of the config file sees the next version, as if the kubelet swapped it.
          String text = versions.get(Math.min(configReads[0]++, versions.size() - 1));
          return text.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        };
    ConfigReload counted = new ConfigReload(configFile, swapping, Clock.systemUTC(), metrics);
    List<RelaySettings> seen = new ArrayList<>();
    counted.applyTo(seen::add);

    assertThat(configReads[0]).isEqualTo(1);
    assertThat(counted.status().applied().sha256())
        .isEqualTo(RelayConfigFile.sha256(versions.get(0).getBytes()));

    counted.check();

    assertThat(configReads[0]).isEqualTo(2);
    assertThat(seen).hasSize(1);
    assertThat(seen.get(0).advertisedEndpoints())
        .containsExactly(new InetSocketAddress("192.0.2.1", 40000));
    assertThat(counted.status().applied().sha256())
        .isEqualTo(RelayConfigFile.sha256(versions.get(1).getBytes()));

    counted.check();

    assertThat(configReads[0]).isEqualTo(3);
    assertThat(counted.current().advertisedEndpoints())
        .containsExactly(new InetSocketAddress("192.0.2.2", 40000));
    assertThat(counted.status().applied().sha256())
        .isEqualTo(RelayConfigFile.sha256(versions.get(2).getBytes()));
  }
}
