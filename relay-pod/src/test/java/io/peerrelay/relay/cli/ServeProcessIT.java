package io.peerrelay.relay.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.peerrelay.relay.client.RelayClient;
import io.peerrelay.relay.config.KubernetesMount;
import io.peerrelay.relay.protocol.DiscoPrivateKey;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
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
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs {@code peer-relay serve} from the built jar as a real process, as Kubernetes would. */
class ServeProcessIT {
  private static final String KEY_A =
      "discokey:8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a";

  @TempDir Path dir;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private final DiscoPrivateKey key = DiscoPrivateKey.generate();
  private RelayProcess relay;
  private Path configFile;
  private Path stderr;
  private int udpPort;
  private int httpPort;

  @BeforeEach
  void ports() throws IOException {
    try (DatagramSocket udp = new DatagramSocket(0);
        ServerSocket tcp = new ServerSocket(0)) {
      udpPort = udp.getLocalPort();
      httpPort = tcp.getLocalPort();
    }
    Files.writeString(dir.resolve("private.key"), key.toText() + "\n");
    configFile = dir.resolve("relay.yaml");
    stderr = dir.resolve("stderr.log");
  }

  @AfterEach
  void kill() {
    if (relay != null) {
      relay.close();
    }
  }

  private String config(String extra) {
    return "version: 1\nudpPort: "
        + udpPort
        + "\nhttpPort: "
        + httpPort
        + "\nkeyFile: private.key\n"
        + extra;
  }

  /** The config line advertising this test's UDP port on loopback. */
  private String endpoint() {
    return "advertisedEndpoints: [127.0.0.1:" + udpPort + "]\n";
  }

  private void startRelay() throws IOException {
    relay =
        RelayProcess.start(
            "serve",
            dir.resolve("stdout.log"),
            stderr,
            // start fast: these runs are short; java.nio open to Netty, as the image runs it
            List.of(
                "-Xmx128m",
                "-XX:TieredStopAtLevel=1",
                "--add-opens=java.base/java.nio=ALL-UNNAMED"),
            List.of(
                "serve",
                "--config",
                configFile.toString(),
                "--threads",
                "1",
                "--recheck",
                "10m")); // file events alone must carry the reload
    await()
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(100))
        .ignoreExceptions()
        .until(() -> get("/readyz").statusCode() == 200);
  }

  /** {@code serve} with {@code extraArgs}, not waited for (it is expected to exit). */
  private RelayProcess serveProcess(String... extraArgs) throws IOException {
    List<String> args = new ArrayList<>(List.of("serve", "--config", configFile.toString()));
    args.addAll(List.of(extraArgs));
    return RelayProcess.start(
        "serve", dir.resolve("stdout.log"), stderr, List.of("-XX:TieredStopAtLevel=1"), args);
  }

  private HttpResponse<String> get(String path) throws IOException, InterruptedException {
    return http.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + path))
            .timeout(Duration.ofSeconds(2))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /**
   * The relay sends no "bound" acknowledgement (PROTOCOL.md §7) and decides answers on its control
   * thread, so data sent right after an answer can overtake it: wait for the listing to show both.
   */
  private void awaitBothBound(RelayClient a, RelayClient b) throws Exception {
    String portA = ":" + a.localAddress().getPort() + "\"";
    String portB = ":" + b.localAddress().getPort() + "\"";
    long deadline = System.nanoTime() + 5_000_000_000L;
    while (System.nanoTime() < deadline) {
      String listing = get("/sessions").body();
      if (listing.contains(portA) && listing.contains(portB)) {
        return;
      }
      Thread.sleep(20);
    }
    throw new AssertionError("both legs did not show as bound in /sessions within 5 s");
  }

  private String metrics() throws IOException, InterruptedException {
    return get("/metrics").body();
  }

  private String log() throws IOException {
    return Files.readString(stderr, StandardCharsets.UTF_8);
  }

  @Test
  void servesProbesTailscaleMetricsAndSessions() throws Exception {
    Files.writeString(configFile, config("advertisedEndpoints: [127.0.0.1:" + udpPort + "]\n"));

    startRelay();

    assertThat(get("/healthz").statusCode()).isEqualTo(200);
    String metrics = metrics();
    for (String in : new String[] {"udp4", "udp6"}) {
      for (String out : new String[] {"udp4", "udp6"}) {
        String cell = "{transport_in=\"" + in + "\",transport_out=\"" + out + "\"} 0.0";
        assertThat(metrics)
            .contains("tailscaled_peer_relay_forwarded_packets_total" + cell)
            .contains("tailscaled_peer_relay_forwarded_bytes_total" + cell);
      }
    }
    assertThat(metrics)
        .contains("tailscaled_peer_relay_endpoints{state=\"connecting\"} 0.0")
        .contains("tailscaled_peer_relay_endpoints{state=\"open\"} 0.0")
        .contains("peerrelay_advertised_endpoints 1.0");
    assertThat(get("/sessions").body())
        .isEqualTo("{\"UDPPort\":" + udpPort + ",\"Sessions\":null}\n");
    assertThat(log())
        .contains("serving as " + key.publicKey() + ": UDP port " + udpPort)
        .contains("HTTP port " + httpPort)
        .contains("SO_REUSEPORT");
    assertThat(Files.readString(dir.resolve("stdout.log"))).isEmpty();
  }

  /**
   * A standalone relay reaches "serving as" without Jackson's data binding (an ObjectMapper and its
   * ~260 classes, a quarter of the time to serving): its config is read by the streaming parser,
   * and the commands that need a mapper make it at first use (side-by-side.md, part 4).
   */
  @Test
  void aStandaloneRelayStartsWithoutJacksonDataBinding() throws Exception {
    Files.writeString(configFile, config(""));
    Path classes = dir.resolve("classes.log");
    relay =
        RelayProcess.start(
            "serve",
            dir.resolve("stdout.log"),
            stderr,
            List.of("-XX:TieredStopAtLevel=1", "-Xlog:class+load=info:file=" + classes),
            List.of("serve", "--config", configFile.toString(), "--threads", "1"));
    await()
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(50))
        .until(() -> log().contains("serving as "));
    String loaded = Files.readString(classes, StandardCharsets.UTF_8);
    assertThat(loaded).as("class-load log").contains("io.peerrelay.relay.cli.RunningRelay ");
    assertThat(loaded)
        .as("classes loaded up to serving")
        .doesNotContain("com.fasterxml.jackson.databind.ObjectMapper ")
        // Building picocli's model of every command took 100-180 ms of each start.
        .doesNotContain("picocli.");
  }

  @Test
  void aCommandLineThatDoesNotFitExitsTwoNamingTheOption() throws Exception {
    Files.writeString(configFile, config(""));
    relay = serveProcess("--threads", "none");

    assertThat(relay.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(relay.exitValue()).isEqualTo(2);
    assertThat(log())
        .contains("serve: invalid value for option '--threads=N': 'none' is not a number")
        .contains("Run 'peer-relay serve --help' for its options.")
        .doesNotContain("serving as ");
  }

  @Test
  void forwardsBetweenTwoClientsAndCountsItTheTailscaleWay() throws Exception {
    DiscoPrivateKey a = DiscoPrivateKey.generate();
    DiscoPrivateKey b = DiscoPrivateKey.generate();
    Files.writeString(
        configFile,
        config(
            "advertisedEndpoints: [127.0.0.1:"
                + udpPort
                + "]\nallowedClientKeys: ["
                + a.publicKey()
                + ", "
                + b.publicKey()
                + "]\n"));
    startRelay();
    // The receive buffers come from the event loop's cache, not the arena under its lock: the
    // property is set before anything in the process first uses Netty's allocator;
    assertThat(log()).contains("receive buffers from the event loop's cache");
    // and Netty's pool chunks are made without the JDK's zeroing: the relay allowed the reflection
    // before Netty first looked (pages no datagram touched stay out of the RSS).
    assertThat(log()).contains("pool chunks not zeroed");
    InetSocketAddress relayPort = new InetSocketAddress(InetAddress.getLoopbackAddress(), udpPort);
    byte[] payload = {1, 2, 3, 4, 5};
    try (RelayClient clientA = client(a, b, relayPort);
        RelayClient clientB = client(b, a, relayPort)) {
      int vni = clientA.allocate(Duration.ofSeconds(5)).vni();
      assertThat(clientB.allocate(Duration.ofSeconds(5)).vni()).isEqualTo(vni);
      clientA.bind(Duration.ofSeconds(5));
      clientB.bind(Duration.ofSeconds(5));
      awaitBothBound(clientA, clientB);

      byte[] sent = clientA.sendData(payload);
      DatagramPacket received = clientB.receive(Duration.ofSeconds(5));

      assertThat(Arrays.copyOfRange(received.getData(), received.getOffset(), received.getLength()))
          .isEqualTo(sent);
    }
    String cell = "{transport_in=\"udp4\",transport_out=\"udp4\"}";
    assertThat(metrics())
        .contains("tailscaled_peer_relay_forwarded_packets_total" + cell + " 1.0")
        .contains(
            "tailscaled_peer_relay_forwarded_bytes_total"
                + cell
                + " "
                + (8 + payload.length)
                + ".0")
        .contains("tailscaled_peer_relay_endpoints{state=\"open\"} 1.0")
        .contains("tailscaled_peer_relay_endpoints{state=\"connecting\"} 0.0")
        .contains("peerrelay_allocations_total{result=\"ok\"} 1.0")
        .contains("peerrelay_allocations_total{result=\"existing\"} 1.0")
        .contains("peerrelay_sessions 1.0");
    String sessions = get("/sessions").body();
    assertThat(sessions)
        .startsWith("{\"UDPPort\":" + udpPort + ",\"Sessions\":[{\"VNI\":")
        .contains("\"PacketsTx\":1,\"BytesTx\":" + (8 + payload.length))
        .contains("\"Endpoint\":\"127.0.0.1:");
  }

  private RelayClient client(DiscoPrivateKey own, DiscoPrivateKey peer, InetSocketAddress relay)
      throws IOException {
    return new RelayClient(
        own,
        key.publicKey(),
        peer.publicKey(),
        relay,
        new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)),
        System::nanoTime);
  }

  /**
   * A replica's first config has no endpoint (the operator learns the address after the pod is
   * placed): the relay serves but is not ready, since it would refuse every allocation, and becomes
   * ready when a reload brings one. Readiness is what the StatefulSet's rollout and the operator's
   * Ready condition wait for.
   */
  @Test
  void withoutAnAdvertisedEndpointTheRelayIsNotReadyUntilAReloadBringsOne() throws Exception {
    Files.writeString(configFile, config("allowedClientKeys: [" + KEY_A + "]\n"));
    relay = serveProcess("--recheck", "10m");
    await()
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(100))
        .ignoreExceptions()
        .until(() -> log().contains("serving as "));
    HttpResponse<String> notReady = get("/readyz");
    assertThat(notReady.statusCode()).isEqualTo(503);
    assertThat(notReady.body()).isEqualTo(RunningRelay.NO_ENDPOINTS + "\n");
    assertThat(get("/healthz").statusCode()).isEqualTo(200);

    Files.writeString(configFile, config(endpoint() + "allowedClientKeys: [" + KEY_A + "]\n"));
    await()
        .atMost(Duration.ofSeconds(10))
        .pollInterval(Duration.ofMillis(100))
        .until(() -> get("/readyz").statusCode() == 200);
  }

  @Test
  void aBadConfigIsCountedAndIgnoredAndAGoodOneApplies() throws Exception {
    // Laid out as the kubelet mounts a ConfigMap: relay.yaml -> ..data/relay.yaml, swapped.
    Path keyFile = dir.resolve("private.key");
    Path mounted = Files.createDirectory(dir.resolve("config"));
    KubernetesMount mount = new KubernetesMount(mounted);
    configFile =
        mount.publish(
            "relay.yaml",
            config(endpoint() + "allowedClientKeys: []\n")
                .replace("private.key", keyFile.toString()));
    startRelay();

    mount.publish(
        "relay.yaml",
        config(endpoint() + "allowedClientKeys: [" + KEY_A + "]\nlifetimes: {bind: 30}\n")
            .replace("private.key", keyFile.toString()));

    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> metrics().contains("peerrelay_config_reloads_total{result=\"error\"} 1.0"));
    assertThat(metrics()).contains("peerrelay_allowed_client_keys 0.0");
    assertThat(get("/readyz").statusCode()).isEqualTo(200);
    assertThat(log().lines().filter(l -> l.contains("rejected")))
        .singleElement()
        .asString()
        .contains("config " + configFile)
        .contains("lifetimes.bind: \"30\" has no unit (write 30s)");

    mount.publish(
        "relay.yaml",
        config(endpoint() + "allowedClientKeys: [" + KEY_A + "]\n")
            .replace("private.key", keyFile.toString()));

    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> metrics().contains("peerrelay_config_reloads_total{result=\"ok\"} 1.0"));
    assertThat(metrics())
        .contains("peerrelay_allowed_client_keys 1.0")
        .contains("peerrelay_config_reloads_total{result=\"error\"} 1.0");
  }

  @Test
  void sigtermFlipsReadinessKeepsForwardingForTheDrainThenExits() throws Exception {
    DiscoPrivateKey a = DiscoPrivateKey.generate();
    DiscoPrivateKey b = DiscoPrivateKey.generate();
    DiscoPrivateKey late = DiscoPrivateKey.generate();
    Files.writeString(
        configFile,
        config(
            "advertisedEndpoints: [127.0.0.1:"
                + udpPort
                + "]\nallowedClientKeys: ["
                + a.publicKey()
                + ", "
                + b.publicKey()
                + ", "
                + late.publicKey()
                + "]\nshutdown: {drain: 3s}\n"));
    startRelay();
    InetSocketAddress relayPort = new InetSocketAddress(InetAddress.getLoopbackAddress(), udpPort);
    try (RelayClient clientA = client(a, b, relayPort);
        RelayClient clientB = client(b, a, relayPort);
        RelayClient latecomer = client(late, a, relayPort)) {
      clientB.useEndpoint(clientA.allocate(Duration.ofSeconds(5)));
      clientA.bind(Duration.ofSeconds(5));
      clientB.bind(Duration.ofSeconds(5));

      long start = System.nanoTime();
      relay.terminate(); // SIGTERM

      await()
          .atMost(Duration.ofSeconds(2))
          .pollInterval(Duration.ofMillis(50))
          .until(() -> get("/readyz").statusCode() == 503);
      assertThat(get("/readyz").body()).isEqualTo("draining for shutdown: no new allocations\n");
      assertThat(get("/healthz").statusCode()).isEqualTo(200);
      assertThat(metrics()).contains("peerrelay_draining 1.0");
      // The session made before SIGTERM still forwards; a new allocation gets no answer.
      byte[] sent = clientA.sendData(new byte[] {9, 9, 9});
      DatagramPacket received = clientB.receive(Duration.ofSeconds(2));
      assertThat(Arrays.copyOfRange(received.getData(), received.getOffset(), received.getLength()))
          .isEqualTo(sent);
      assertThatThrownBy(() -> latecomer.allocate(Duration.ofMillis(500)))
          .isInstanceOf(TimeoutException.class);
      // At least one refused request (the client may resend within its timeout).
      assertThat(metrics())
          .containsPattern("peerrelay_allocations_total\\{result=\"draining\"} [1-9]")
          .containsPattern("peerrelay_drops_total\\{reason=\"draining\"} [1-9]");
      assertThat(relay.isAlive()).isTrue();

      assertThat(relay.waitFor(3 + 5, TimeUnit.SECONDS)).isTrue();
      double seconds = (System.nanoTime() - start) / 1e9;
      assertThat(seconds).isBetween(2.5, 8.0);
    }
    assertThat(relay.exitValue()).isIn(0, 143);
    assertThat(log()).contains("draining: no new allocations").contains("stopped");
  }

  @Test
  void anHttpPortInUseExitsWithOneClearLine() throws Exception {
    Files.writeString(configFile, config(""));
    try (ServerSocket taken = new ServerSocket(httpPort)) {
      relay = serveProcess();

      assertThat(relay.waitFor(30, TimeUnit.SECONDS)).isTrue();
      assertThat(taken.isBound()).isTrue();
    }
    assertThat(relay.exitValue()).isEqualTo(1);
    assertThat(log()).contains("serve: cannot start: ").contains("Address already in use");
  }

  @Test
  void aBrokenConfigAtStartExitsWithTheProblem() throws Exception {
    Path terminationLog = dir.resolve("termination-log");
    Files.writeString(configFile, config("advertisedEndpoints: [1.2.3.4]\n"));
    relay = serveProcess("--termination-log", terminationLog.toString());

    assertThat(relay.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(relay.exitValue()).isEqualTo(2);
    // The kubelet copies this file into lastState.terminated.message, where the operator reads it.
    assertThat(Files.readString(terminationLog))
        .isEqualTo(
            "advertisedEndpoints[0]: \"1.2.3.4\" is not ip:port (write 1.2.3.4:40000, IPv6 as"
                + " [2001:db8::1]:40000)");
    assertThat(log())
        .contains(
            "advertisedEndpoints[0]: \"1.2.3.4\" is not ip:port (write 1.2.3.4:40000, IPv6 as"
                + " [2001:db8::1]:40000)");
  }
}
