package io.peerrelay.relay.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.peerrelay.relay.client.RelayClient;
import io.peerrelay.relay.protocol.DiscoPrivateKey;
import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Two {@code peer-relay ping} processes reach each other through one {@code serve} process. */
class PingProcessIT {
  @TempDir Path dir;
  private final List<RelayProcess> processes = new ArrayList<>();

  @AfterEach
  void stopAll() throws InterruptedException {
    for (RelayProcess p : processes) {
      p.close();
    }
  }

  private RelayProcess start(String name, String... args) throws IOException {
    RelayProcess p =
        RelayProcess.start(
            name,
            dir.resolve(name + ".out"),
            dir.resolve(name + ".err"),
            List.of("-Xmx96m", "-XX:TieredStopAtLevel=1"),
            List.of(args));
    processes.add(p);
    return p;
  }

  private String read(String file) throws IOException {
    return Files.readString(dir.resolve(file), StandardCharsets.UTF_8);
  }

  /** A relay's ports. */
  private record Ports(int udp, int http) {}

  /** Starts {@code serve} granting {@code a} and {@code b}; returns once it is ready. */
  private Ports startServe(DiscoPrivateKey server, DiscoPrivateKey a, DiscoPrivateKey b)
      throws IOException {
    int udpPort;
    int httpPort;
    try (DatagramSocket udp = new DatagramSocket(0);
        ServerSocket tcp = new ServerSocket(0)) {
      udpPort = udp.getLocalPort();
      httpPort = tcp.getLocalPort();
    }
    Files.writeString(dir.resolve("private.key"), server.toText() + "\n");
    Path config = dir.resolve("relay.yaml");
    Files.writeString(
        config,
        "version: 1\nudpPort: "
            + udpPort
            + "\nhttpPort: "
            + httpPort
            + "\nkeyFile: private.key\nadvertisedEndpoints: [127.0.0.1:"
            + udpPort
            + "]\nallowedClientKeys:\n  - "
            + a.publicKey()
            + "\n  - "
            + b.publicKey()
            + "\n");
    start("serve", "serve", "--config", config.toString(), "--threads", "1");
    await()
        .atMost(Duration.ofSeconds(40))
        .pollInterval(Duration.ofMillis(200))
        .ignoreExceptions()
        .until(() -> get(httpPort, "/readyz").statusCode() == 200);
    return new Ports(udpPort, httpPort);
  }

  private static HttpResponse<String> get(int port, String path)
      throws IOException, InterruptedException {
    return HttpClient.newHttpClient()
        .send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
            HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void twoPingProcessesReachEachOtherThroughAServeProcess() throws Exception {
    DiscoPrivateKey server = DiscoPrivateKey.generate();
    DiscoPrivateKey a = DiscoPrivateKey.generate();
    DiscoPrivateKey b = DiscoPrivateKey.generate();
    Files.writeString(dir.resolve("a.key"), a.toText() + "\n");
    int udpPort = startServe(server, a, b).udp();

    String relay = "127.0.0.1:" + udpPort;
    String[] common = {
      "--relay",
      relay,
      "--server-key",
      server.publicKey().toString(),
      "--count",
      "3",
      "--interval",
      "300ms",
      "--timeout",
      "40s",
      "--linger",
      "3s"
    };
    RelayProcess pingA =
        start(
            "a",
            concat(
                new String[] {
                  "ping",
                  "--key-file",
                  dir.resolve("a.key").toString(),
                  "--peer",
                  b.publicKey().toString()
                },
                common));
    RelayProcess pingB =
        start(
            "b",
            concat(
                new String[] {"ping", "--key", b.toText(), "--peer", a.publicKey().toString()},
                common));

    assertThat(pingA.waitFor(60, TimeUnit.SECONDS)).as("ping A finished").isTrue();
    assertThat(pingB.waitFor(60, TimeUnit.SECONDS)).as("ping B finished").isTrue();
    String outA = read("a.out");
    String outB = read("b.out");
    assertThat(pingA.exitValue()).as("A: %s %s", outA, read("a.err")).isZero();
    assertThat(pingB.exitValue()).as("B: %s %s", outB, read("b.err")).isZero();
    String line = "pong from %s via " + relay + " vni \\d+ in \\d+\\.\\d\\d ms";
    assertThat(outA.lines().filter(l -> l.matches(String.format(line, b.publicKey()))))
        .hasSizeGreaterThanOrEqualTo(3);
    assertThat(outB.lines().filter(l -> l.matches(String.format(line, a.publicKey()))))
        .hasSizeGreaterThanOrEqualTo(3);
  }

  @Test
  void pingWithVniBindsToASessionAllocatedElsewhereWithoutAllocatingAgain() throws Exception {
    DiscoPrivateKey server = DiscoPrivateKey.generate();
    DiscoPrivateKey a = DiscoPrivateKey.generate();
    DiscoPrivateKey b = DiscoPrivateKey.generate();
    Ports relay = startServe(server, a, b);
    InetSocketAddress relayAddress = new InetSocketAddress("127.0.0.1", relay.udp());
    int vni;
    // The allocation happens here, as tailscaled or the interop harness would do it elsewhere.
    try (RelayClient allocator =
        RelayClient.open(a, server.publicKey(), b.publicKey(), relayAddress)) {
      vni = allocator.allocate(Duration.ofSeconds(10)).vni();
    }
    String[] common = {
      "--relay", "127.0.0.1:" + relay.udp(),
      "--server-key", server.publicKey().toString(),
      "--vni", Integer.toString(vni),
      "--count", "3",
      "--interval", "300ms",
      "--timeout", "40s",
      "--linger", "3s"
    };
    RelayProcess pingA =
        start(
            "a",
            concat(
                new String[] {"ping", "--key", a.toText(), "--peer", b.publicKey().toString()},
                common));
    RelayProcess pingB =
        start(
            "b",
            concat(
                new String[] {"ping", "--key", b.toText(), "--peer", a.publicKey().toString()},
                common));

    assertThat(pingA.waitFor(60, TimeUnit.SECONDS)).as("ping A finished").isTrue();
    assertThat(pingB.waitFor(60, TimeUnit.SECONDS)).as("ping B finished").isTrue();
    assertThat(pingA.exitValue()).as("A: %s %s", read("a.out"), read("a.err")).isZero();
    assertThat(pingB.exitValue()).as("B: %s %s", read("b.out"), read("b.err")).isZero();
    assertThat(read("a.out").lines().filter(l -> l.endsWith(" ms") && l.contains(" vni " + vni)))
        .hasSizeGreaterThanOrEqualTo(3);
    assertThat(read("b.out").lines().filter(l -> l.endsWith(" ms") && l.contains(" vni " + vni)))
        .hasSizeGreaterThanOrEqualTo(3);
    // Only the allocator's request reached the relay: with --vni the pings sent none.
    String metrics = get(relay.http(), "/metrics").body();
    assertThat(metrics.lines())
        .anyMatch(l -> l.matches("peerrelay_allocations_total\\{result=\"ok\"\\} 1(\\.0)?"))
        .anyMatch(l -> l.matches("peerrelay_allocations_total\\{result=\"existing\"\\} 0(\\.0)?"));
  }

  @Test
  void pingWithNoRelayAnsweringExitsOneWithAClearMessage() throws Exception {
    int udpPort;
    try (DatagramSocket udp = new DatagramSocket(0)) {
      udpPort = udp.getLocalPort();
    }
    // Nothing listens on the port: the allocation times out and the command says so.
    RelayProcess p =
        start(
            "lonely",
            "ping",
            "--relay",
            "127.0.0.1:" + udpPort,
            "--server-key",
            DiscoPrivateKey.generate().publicKey().toString(),
            "--key",
            DiscoPrivateKey.generate().toText(),
            "--peer",
            DiscoPrivateKey.generate().publicKey().toString(),
            "--timeout",
            "1500ms");
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).isEqualTo(1);
    assertThat(read("lonely.err")).contains("ping: no allocation answer from 127.0.0.1:" + udpPort);
  }

  private static String[] concat(String[] first, String[] second) {
    String[] out = new String[first.length + second.length];
    System.arraycopy(first, 0, out, 0, first.length);
    System.arraycopy(second, 0, out, first.length, second.length);
    return out;
  }
}
