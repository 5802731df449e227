package io.peerrelay.relay.tailnet.derp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.peerrelay.relay.tailnet.GoTool;
import io.peerrelay.relay.tailnet.key.TailnetKey;
import io.peerrelay.relay.tailnet.key.TailnetPrivateKey;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Java DERP client against Tailscale's real derpserver on 127.0.0.1 behind TLS, with a Go
 * derphttp client (as magicsock makes one) that echoes what it receives.
 */
class DerpLiveIT {
  @TempDir static Path dir;
  static GoTool.Running server;
  static int port;
  static TailnetKey echo;

  @BeforeAll
  static void startServer() throws Exception {
    server =
        GoTool.Running.start(
            dir.resolve("serve.stderr"), "serve", "--cert-out", dir.resolve("cert.pem").toString());
    String[] listening = server.await("listening ").split(" ");
    port = Integer.parseInt(listening[1]);
    echo = TailnetKey.parse(TailnetKey.Kind.NODE, server.await("echo ").split(" ")[1]);
  }

  @AfterAll
  static void stopServer() {
    server.close();
  }

  @Test
  void sendsToAndReceivesFromAGoPeerThroughTailscalesServer() {
    Recorder r = new Recorder();
    try (DerpClient c =
        DerpClient.start(
            new DerpServer("derp.test", "127.0.0.1", "none", port, true, ""),
            TailnetPrivateKey.generate(),
            r)) {
      await().atMost(Duration.ofSeconds(20)).until(c::connected);
      assertThat(r.connected).isTrue();
      c.notePreferred(true);
      assertThat(c.send(echo, "hello over derp".getBytes(StandardCharsets.UTF_8))).isTrue();
      await().atMost(Duration.ofSeconds(10)).until(() -> !r.packets.isEmpty());
      assertThat(r.packets).containsExactly(echo + " echo:hello over derp");
      assertThat(c.stats().packetsReceived()).isEqualTo(1);
      assertThat(c.stats().packetsSent()).isEqualTo(1);
    }
  }

  @Test
  void verifiesTheCertificateAgainstHostNameOrCertName() throws Exception {
    SSLContext trust = trusting(dir.resolve("cert.pem"));
    assertConnects(new DerpServer("derp.test", "127.0.0.1", "none", port, false, ""), trust);
    assertConnects(
        new DerpServer("other.test", "127.0.0.1", "none", port, false, "derp.test"), trust);
    assertRefused(new DerpServer("wrong.test", "127.0.0.1", "none", port, false, ""), trust);
    // Without the private trust the self-signed certificate is not trusted at all.
    assertRefused(new DerpServer("derp.test", "127.0.0.1", "none", port, false, ""), null);
  }

  @Test
  void pinsTheCertificateWithSha256Raw() throws Exception {
    byte[] der = certificate(dir.resolve("cert.pem")).getEncoded();
    String pin =
        "sha256-raw:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(der));
    assertConnects(new DerpServer("derp.test", "127.0.0.1", "none", port, false, pin), null);
    String wrong = pin.substring(0, pin.length() - 1) + (pin.endsWith("0") ? "1" : "0");
    assertRefused(new DerpServer("derp.test", "127.0.0.1", "none", port, false, wrong), null);
  }

  @Test
  void reconnectsWhenTheServerComesBack() throws Exception {
    int fixed;
    try (java.net.ServerSocket probe =
        new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      fixed = probe.getLocalPort();
    }
    String p = Integer.toString(fixed);
    Recorder r = new Recorder();
    GoTool.Running first = GoTool.Running.start(dir.resolve("first.stderr"), "serve", "--port", p);
    first.await("listening ");
    try (DerpClient c =
        DerpClient.start(
            new DerpServer("derp.test", "127.0.0.1", "none", fixed, true, ""),
            TailnetPrivateKey.generate(),
            r)) {
      await().atMost(Duration.ofSeconds(20)).until(c::connected);
      first.close();
      first.waitFor(10);
      await().atMost(Duration.ofSeconds(20)).until(() -> !c.connected());
      assertThat(r.disconnects.get(0)).startsWith("connection lost");
      try (GoTool.Running second =
          GoTool.Running.start(dir.resolve("second.stderr"), "serve", "--port", p)) {
        second.await("listening ");
        await().atMost(Duration.ofSeconds(40)).until(c::connected);
        assertThat(c.stats().connects()).isEqualTo(2);
        TailnetKey secondEcho =
            TailnetKey.parse(TailnetKey.Kind.NODE, second.await("echo ").split(" ")[1]);
        assertThat(c.send(secondEcho, new byte[] {1})).isTrue();
        await().atMost(Duration.ofSeconds(10)).until(() -> r.packets.size() == 1);
      }
    }
  }

  private static void assertConnects(DerpServer s, SSLContext trust) {
    try (DerpClient c = DerpClient.start(s, TailnetPrivateKey.generate(), new Recorder(), trust)) {
      await().atMost(Duration.ofSeconds(20)).until(c::connected);
    }
  }

  private static void assertRefused(DerpServer s, SSLContext trust) {
    Recorder r = new Recorder();
    try (DerpClient c = DerpClient.start(s, TailnetPrivateKey.generate(), r, trust)) {
      await().atMost(Duration.ofSeconds(20)).until(() -> !r.disconnects.isEmpty());
      assertThat(c.connected()).isFalse();
      assertThat(r.disconnects.get(0)).startsWith("cannot connect:");
    }
  }

  private static Certificate certificate(Path pem) throws Exception {
    try (InputStream in = Files.newInputStream(pem)) {
      return CertificateFactory.getInstance("X.509").generateCertificate(in);
    }
  }

  private static SSLContext trusting(Path pem) throws Exception {
    KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
    ks.load(null, null);
    ks.setCertificateEntry("derp", certificate(pem));
    TrustManagerFactory tmf =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(ks);
    SSLContext ctx = SSLContext.getInstance("TLS");
    ctx.init(null, tmf.getTrustManagers(), null);
    return ctx;
  }

  private static final class Recorder implements DerpClient.Listener {
    final List<String> packets = new CopyOnWriteArrayList<>();
    final List<String> disconnects = new CopyOnWriteArrayList<>();
    volatile boolean connected;

    @Override
    public void onPacket(TailnetKey srcNode, byte[] payload) {
      packets.add(srcNode + " " + new String(payload, StandardCharsets.UTF_8));
    }

    @Override
    public void onConnected() {
      connected = true;
    }

    @Override
    public void onDisconnected(String why) {
      disconnects.add(why);
    }
  }
}
