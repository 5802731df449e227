package io.peerrelay.relay.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.peerrelay.relay.core.RelayServer;
import io.peerrelay.relay.metrics.RelayMetrics;
import io.peerrelay.relay.protocol.DiscoPrivateKey;
import io.peerrelay.relay.protocol.DiscoPublicKey;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The reload path against the real core: a live config change keeps every session. */
class ConfigReloadKeepsSessionsTest {
  @TempDir Path dir;

  @Test
  void newEndpointsAndGrantsApplyWithoutDroppingASession() throws Exception {
    DiscoPrivateKey serverKey = DiscoPrivateKey.generate();
    DiscoPublicKey a = DiscoPrivateKey.generate().publicKey();
    DiscoPublicKey b = DiscoPrivateKey.generate().publicKey();
    Path keyFile = dir.resolve("private.key");
    Files.writeString(keyFile, serverKey.toText());
    Path configFile = dir.resolve("relay.yaml");
    String head = "version: 1\nudpPort: 40000\nhttpPort: 9090\nkeyFile: private.key\n";
    Files.writeString(
        configFile,
        head + "advertisedEndpoints: [192.0.2.1:40000]\nallowedClientKeys: [" + a + "]\n");
    RelayMetrics metrics = new RelayMetrics("test");
    ConfigReload reload =
        new ConfigReload(configFile, FileSource.DISK, java.time.Clock.systemUTC(), metrics);
    RelayConfig started = reload.current();
    RelayServer server = new RelayServer(serverKey, started.settings(), metrics, System::nanoTime);
    reload.applyTo(server::apply);
    int vni = server.allocate(a, b).vni();

    Files.writeString(
        configFile,
        head
            + "advertisedEndpoints: [192.0.2.1:40000, \"[2001:db8::1]:40000\"]\n"
            + "allowedClientKeys: ["
            + b
            + "]\nlifetimes: {bind: 45s}\n");
    reload.check();

    assertThat(server.sessionCount()).isEqualTo(1);
    assertThat(server.sessions().get(0).vni()).isEqualTo(vni);
    assertThat(server.settings().advertisedEndpoints())
        .containsExactly(
            new InetSocketAddress("192.0.2.1", 40000), new InetSocketAddress("2001:db8::1", 40000));
    assertThat(server.settings().allowedClientKeys()).containsExactly(b);
    assertThat(server.settings().bindLifetime()).hasSeconds(45);
    assertThat(metrics.scrape())
        .contains("tailscaled_peer_relay_endpoints{state=\"connecting\"} 1.0")
        .contains("peerrelay_config_reloads_total{result=\"ok\"} 1.0");
  }
}
