package io.peerrelay.relay.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.peerrelay.relay.client.ClientPackets;
import io.peerrelay.relay.client.RelayClient;
import io.peerrelay.relay.core.DropReason;
import io.peerrelay.relay.core.RelaySettings;
import io.peerrelay.relay.protocol.DiscoMessage.BindMessage;
import io.peerrelay.relay.protocol.DiscoMessage.BindStep;
import io.peerrelay.relay.protocol.DiscoPrivateKey;
import io.peerrelay.relay.protocol.Geneve;
import io.peerrelay.relay.protocol.UdpRelayEndpoint;
import java.net.DatagramPacket;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The relay on real loopback sockets: allocation, binds, forwarding and expiry end to end (the fuzz
 * run is separate).
 */
class RelayLoopbackIT {
  private static final Duration QUIET = Duration.ofMillis(250);
  private static final Duration WAIT = Duration.ofSeconds(3);
  private static LoopbackRelay relay;

  @BeforeAll
  static void start() {
    relay = new LoopbackRelay();
  }

  @AfterAll
  static void stop() {
    relay.close();
  }

  /** Two fresh keys, granted on the shared relay, so tests never share a session. */
  record Keys(DiscoPrivateKey a, DiscoPrivateKey b) {}

  private static Keys grantedPair() {
    Keys k = new Keys(DiscoPrivateKey.generate(), DiscoPrivateKey.generate());
    Set<io.peerrelay.relay.protocol.DiscoPublicKey> keys =
        new HashSet<>(relay.server.settings().allowedClientKeys());
    keys.add(k.a().publicKey());
    keys.add(k.b().publicKey());
    relay.server.apply(relay.server.settings().withAllowedClientKeys(keys));
    return k;
  }

  static Stream<Arguments> families() {
    return Stream.of(
        Arguments.of("ipv4", false, false),
        Arguments.of("ipv6", true, true),
        Arguments.of("mixed", false, true));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("families")
  void allocateBindAndForwardBothWaysByteIdentical(String name, boolean aV6, boolean bV6)
      throws Exception {
    Keys k = grantedPair();
    relay.server.apply(
        relay.server.settings().withAdvertisedEndpoints(List.of(relay.v4, relay.v6)));
    try (RelayClient a = relay.client(k.a(), k.b(), aV6 ? relay.v6 : relay.v4);
        RelayClient b = relay.client(k.b(), k.a(), bV6 ? relay.v6 : relay.v4)) {
      UdpRelayEndpoint ep = a.allocate(WAIT);
      assertThat(ep.addrPorts()).containsExactly(relay.v4, relay.v6);
      assertThat(ep.serverDisco()).isEqualTo(relay.server.serverPublicKey());
      // B allocates on its own and gets the very same session (PROTOCOL.md §5).
      assertThat(b.allocate(WAIT)).isEqualTo(ep);
      // Each binds to every advertised address; only its own family's answers on loopback.
      assertThat(a.bind(WAIT)).isEqualTo(aV6 ? relay.v6 : relay.v4);
      assertThat(b.bind(WAIT)).isEqualTo(bV6 ? relay.v6 : relay.v4);
      relay.awaitBound(a, b);
      assertReceived(b, a.sendData(new byte[] {1, 2, 3}));
      assertReceived(a, b.sendData(new byte[] {4, 5, 6}));
      byte[] big = new byte[60_000];
      Arrays.fill(big, (byte) 7);
      assertReceived(b, a.sendData(big));
      assertPingPong(a, b, ep.vni());
    }
  }

  private static void assertPingPong(RelayClient a, RelayClient b, int vni) throws Exception {
    long deadline = System.nanoTime() + WAIT.toNanos();
    Thread responder =
        new Thread(
            () -> {
              try {
                b.awaitPong(deadline);
              } catch (Exception e) {
                throw new IllegalStateException(e);
              }
            });
    responder.start();
    a.sendPing();
    RelayClient.PongReceived pong = a.awaitPong(deadline);
    responder.join();
    assertThat(pong).as("pong through the relay").isNotNull();
    assertThat(pong.vni()).isEqualTo(vni);
    assertThat(pong.via()).isEqualTo(a.path());
  }

  /** Arrives unchanged, from the relay address the receiver itself is bound through. */
  private static void assertReceived(RelayClient to, byte[] expected) throws Exception {
    InetSocketAddress from = to.path();
    DatagramPacket p = to.receive(WAIT);
    assertThat(p).as("datagram arrived").isNotNull();
    assertThat(Arrays.copyOfRange(p.getData(), p.getOffset(), p.getOffset() + p.getLength()))
        .isEqualTo(expected);
    assertThat(p.getSocketAddress()).isEqualTo(from);
  }

  private static void assertNothingArrives(RelayClient... at) throws Exception {
    for (RelayClient c : at) {
      assertThat(c.receive(QUIET)).as("nothing arrives at %s", c.localAddress()).isNull();
    }
  }

  private static byte[] data(int vni, int... payload) {
    byte[] out = new byte[Geneve.LENGTH + payload.length];
    Geneve.data(Geneve.PROTOCOL_WIREGUARD, vni).encode(out, 0);
    for (int i = 0; i < payload.length; i++) {
      out[Geneve.LENGTH + i] = (byte) payload[i];
    }
    return out;
  }

  /** A bound pair on IPv4, proven by one datagram A→B. */
  private static RelayClient[] boundPair(Keys k) throws Exception {
    RelayClient a = relay.client(k.a(), k.b(), relay.v4);
    RelayClient b = relay.client(k.b(), k.a(), relay.v4);
    relay.allocateAndBind(a, b);
    assertReceived(b, a.sendData(new byte[] {9}));
    return new RelayClient[] {a, b};
  }

  @Test
  void transportUsesOneReusePortSocketPerThreadAndFamily() {
    assertThat(relay.transport.nativeTransport()).isTrue();
    assertThat(relay.transport.reusePortTook()).isTrue();
    assertThat(relay.transport.socketCounts()).containsExactly(2, 2);
    assertThat(relay.transport.bound()).isTrue();
    assertThat(relay.transport.v6OnlyTook()).isTrue();
  }

  @Test
  void nioFallbackServesWhereEpollIsMissing() throws Exception {
    RelayTransport nio;
    System.setProperty("peerrelay.transport.nio", "true");
    try {
      nio = RelayTransport.start(relay.server, TransportOptions.loopback(0, 2));
    } finally {
      System.clearProperty("peerrelay.transport.nio");
    }
    try {
      assertThat(nio.nativeTransport()).isFalse();
      assertThat(nio.socketCounts()).containsExactly(1, 1);
      InetSocketAddress v4 = new InetSocketAddress("127.0.0.1", nio.udpPortV4());
      Keys k = grantedPair();
      relay.server.apply(relay.server.settings().withAdvertisedEndpoints(List.of(v4)));
      try (RelayClient a = relay.client(k.a(), k.b(), v4);
          RelayClient b = relay.client(k.b(), k.a(), v4)) {
        relay.allocateAndBind(a, b);
        assertReceived(b, a.sendData(new byte[] {1, 2}));
        assertReceived(a, b.sendData(new byte[] {3, 4}));
      }
    } finally {
      nio.close();
      relay.server.apply(relay.server.settings().withAdvertisedEndpoints(List.of(relay.v4)));
    }
  }

  @Test
  void wildcardIpv4AndV6OnlyIpv6ShareOneFixedPort() throws Exception {
    int port;
    try (java.net.DatagramSocket probe = new java.net.DatagramSocket(0)) {
      port = probe.getLocalPort();
    }
    RelayTransport wide =
        RelayTransport.start(relay.server, new TransportOptions(port, "0.0.0.0", "::", 2));
    try {
      assertThat(wide.udpPortV4()).isEqualTo(port);
      assertThat(wide.udpPortV6()).isEqualTo(port);
      assertThat(wide.v6OnlyTook()).isTrue();
      assertThat(wide.socketCounts()).containsExactly(2, 2);
    } finally {
      wide.close();
      wide.close();
    }
    assertThat(wide.bound()).isFalse();
  }

  @Test
  void rebindFromANewPortMovesTheLegAndTheOldPortIsRefused() throws Exception {
    Keys k = grantedPair();
    RelayClient[] ab = boundPair(k);
    try (RelayClient a = ab[0];
        RelayClient b = ab[1];
        RelayClient a2 = relay.client(k.a(), k.b(), relay.v4)) {
      a2.useEndpoint(a.endpoint());
      a2.bind(WAIT);
      relay.awaitBound(a2, b);
      assertReceived(b, a2.sendData(new byte[] {7, 8, 9}));
      assertReceived(a2, b.sendData(new byte[] {1}));
      a.sendData(new byte[] {6});
      assertNothingArrives(b, a);
    }
  }

  @Test
  void sessionsExpireWithShortLifetimes() throws Exception {
    try (LoopbackRelay shortLived =
        new LoopbackRelay(
            RelaySettings.defaults()
                .withLifetimes(
                    Duration.ofMillis(1000), Duration.ofMillis(1500), Duration.ofMillis(100)))) {
      RelayClient a = shortLived.client(shortLived.keyA, shortLived.keyB, shortLived.v4);
      RelayClient b = shortLived.client(shortLived.keyB, shortLived.keyA, shortLived.v4);
      RelayClient c = shortLived.client(shortLived.keyA, shortLived.keyB, shortLived.v4);
      try (a;
          b;
          c) {
        shortLived.allocateAndBind(a, b);
        assertReceived(b, a.sendData(new byte[] {1}));
        // An allocation that never binds goes after the bind lifetime.
        // Both keys of a pair must be granted for an allocation on the relay port.
        DiscoPrivateKey nobody = DiscoPrivateKey.generate();
        Set<io.peerrelay.relay.protocol.DiscoPublicKey> keys =
            new HashSet<>(shortLived.server.settings().allowedClientKeys());
        keys.add(nobody.publicKey());
        shortLived.server.apply(shortLived.server.settings().withAllowedClientKeys(keys));
        RelayClient lonely = shortLived.client(shortLived.keyA, nobody, shortLived.v4);
        lonely.allocate(WAIT);
        lonely.close();
        assertThat(shortLived.server.sessionCount()).isEqualTo(2);
        Thread.sleep(2_500);
        // Only A spoke since binding; B's silence ends the session (PROTOCOL.md §4).
        assertThat(shortLived.server.sessionCount()).isZero();
        a.sendData(new byte[] {2});
        assertNothingArrives(b);
        assertThat(shortLived.events.drops(DropReason.UNKNOWN_VNI)).isPositive();
        c.allocate(WAIT);
        assertThat(c.endpoint().vni()).isNotEqualTo(a.endpoint().vni());
      }
    }
  }

  @Test
  void unknownVniIsDroppedSilently() throws Exception {
    Keys k = grantedPair();
    RelayClient[] ab = boundPair(k);
    try (RelayClient a = ab[0];
        RelayClient b = ab[1]) {
      long before = relay.events.drops(DropReason.UNKNOWN_VNI);
      a.send(data(a.endpoint().vni() + 1000, 1), a.path());
      assertNothingArrives(b, a);
      assertThat(relay.events.drops(DropReason.UNKNOWN_VNI)).isGreaterThan(before);
    }
  }

  @Test
  void dataWhileHalfBoundIsDroppedEvenFromTheBoundLeg() throws Exception {
    Keys k = grantedPair();
    try (RelayClient a = relay.client(k.a(), k.b(), relay.v4);
        RelayClient b = relay.client(k.b(), k.a(), relay.v4)) {
      a.allocate(WAIT);
      b.useEndpoint(a.endpoint());
      a.bind(WAIT);
      long before = relay.events.drops(DropReason.NOT_BOUND);
      a.sendData(new byte[] {1});
      assertNothingArrives(b, a);
      assertThat(relay.events.drops(DropReason.NOT_BOUND)).isGreaterThan(before);
      b.bind(WAIT);
      relay.awaitBound(a, b);
      assertReceived(b, a.sendData(new byte[] {2}));
    }
  }

  @Test
  void aSpoofingThirdSocketIsNotForwarded() throws Exception {
    Keys k = grantedPair();
    RelayClient[] ab = boundPair(k);
    try (RelayClient a = ab[0];
        RelayClient b = ab[1];
        RelayClient mallory = relay.client(DiscoPrivateKey.generate(), k.b(), relay.v4)) {
      long before = relay.events.drops(DropReason.BAD_SOURCE);
      mallory.send(data(a.endpoint().vni(), 6, 6, 6), relay.v4);
      assertNothingArrives(a, b, mallory);
      assertThat(relay.events.drops(DropReason.BAD_SOURCE)).isGreaterThan(before);
    }
  }

  @Test
  void anAnswerWithTheWrongGenerationDoesNotBind() throws Exception {
    Keys k = grantedPair();
    try (RelayClient a = relay.client(k.a(), k.b(), relay.v4);
        RelayClient b = relay.client(k.b(), k.a(), relay.v4)) {
      relay.allocateAndBind(a, b);
      int vni = a.endpoint().vni();
      // B re-binds from the same socket but answers with another generation.
      ClientPackets p = b.packets();
      b.send(p.bind(vni, 77), relay.v4);
      BindMessage challenge = p.openChallenge(copy(b.receive(WAIT)), vni);
      assertThat(challenge).isNotNull();
      long before = relay.events.drops(DropReason.BAD_GENERATION);
      b.send(
          p.answer(
              new BindMessage(
                  BindStep.CHALLENGE, vni, 78, challenge.remoteKey(), challenge.challenge())),
          relay.v4);
      await(() -> relay.events.drops(DropReason.BAD_GENERATION) > before);
    }
  }

  @Test
  void aStaleCookieFromAnotherPortDoesNotBind() throws Exception {
    Keys k = grantedPair();
    try (RelayClient a = relay.client(k.a(), k.b(), relay.v4);
        RelayClient b = relay.client(k.b(), k.a(), relay.v4);
        RelayClient b2 = relay.client(k.b(), k.a(), relay.v4)) {
      relay.allocateAndBind(a, b);
      int vni = a.endpoint().vni();
      ClientPackets p = b.packets();
      b.send(p.bind(vni, 900), relay.v4);
      BindMessage challenge = p.openChallenge(copy(b.receive(WAIT)), vni);
      long before = relay.events.drops(DropReason.BAD_COOKIE);
      // The cookie is bound to B's address: the same answer from B2's port is refused.
      b2.send(p.answer(challenge), relay.v4);
      await(() -> relay.events.drops(DropReason.BAD_COOKIE) > before);
      assertReceived(b, a.sendData(new byte[] {3}));
    }
  }

  @Test
  void anUngrantedKeyGetsNoAllocation() throws Exception {
    DiscoPrivateKey stranger = DiscoPrivateKey.generate();
    try (RelayClient s = relay.client(stranger, DiscoPrivateKey.generate(), relay.v4)) {
      int sessions = relay.server.sessionCount();
      long before = relay.events.drops(DropReason.UNGRANTED_KEY);
      assertThatThrownBy(() -> s.allocate(Duration.ofMillis(600)))
          .isInstanceOf(TimeoutException.class);
      assertThat(relay.events.drops(DropReason.UNGRANTED_KEY)).isGreaterThan(before);
      assertThat(relay.server.sessionCount()).isEqualTo(sessions);
    }
  }

  @Test
  void anUnpaddedAllocationRequestGetsNoAnswer() throws Exception {
    Keys k = grantedPair();
    try (RelayClient a = relay.client(k.a(), k.b(), relay.v4)) {
      long before = relay.events.drops(DropReason.UNPADDED);
      a.send(a.packets().allocateRequest(1, 0), relay.v4);
      assertNothingArrives(a);
      assertThat(relay.events.drops(DropReason.UNPADDED)).isGreaterThan(before);
      a.send(a.packets().allocateRequest(2, 512), relay.v4);
      assertThat(a.packets().openAllocateResponse(copy(a.receive(WAIT)), 2)).isNotNull();
    }
  }

  /**
   * A replica's first config has no endpoint (its address is not known yet): the client's first
   * requests are refused, and once the endpoint arrives its next try is answered. The kind e2e
   * failed this way when a client asked before the relay's config reload: every resend of the one
   * request was refused as a replay of it, so no answer came for the whole timeout.
   */
  @Test
  void aRequestRefusedForWantOfEndpointsIsAnsweredOnceTheyArrive() throws Exception {
    Keys k = grantedPair();
    RelaySettings before = relay.server.settings();
    relay.server.apply(before.withAdvertisedEndpoints(List.of()));
    try (RelayClient a = relay.client(k.a(), k.b(), relay.v4)) {
      long refused = relay.events.drops(DropReason.NO_ENDPOINTS);
      CompletableFuture<UdpRelayEndpoint> asked =
          CompletableFuture.supplyAsync(
              () -> {
                try {
                  return a.allocate(Duration.ofSeconds(10));
                } catch (Exception e) {
                  throw new CompletionException(e);
                }
              });
      await(() -> relay.events.drops(DropReason.NO_ENDPOINTS) > refused);
      relay.server.apply(relay.server.settings().withAdvertisedEndpoints(List.of(relay.v4)));
      UdpRelayEndpoint ep = asked.get(15, TimeUnit.SECONDS);
      assertThat(ep.addrPorts()).containsExactly(relay.v4);
    } finally {
      relay.server.apply(
          relay.server.settings().withAdvertisedEndpoints(before.advertisedEndpoints()));
    }
  }

  @Test
  void hotReloadOfEndpointsAndGrantsKeepsForwarding() throws Exception {
    Keys k = grantedPair();
    RelayClient[] ab = boundPair(k);
    try (RelayClient a = ab[0];
        RelayClient b = ab[1]) {
      InetSocketAddress elsewhere = new InetSocketAddress("127.0.0.1", relay.v4.getPort());
      relay.server.apply(
          relay.server.settings().withAdvertisedEndpoints(List.of(elsewhere, relay.v6)));
      assertReceived(b, a.sendData(new byte[] {5}));
      assertReceived(a, b.sendData(new byte[] {6}));
      // The granted side sees the new endpoint list on re-allocation; same session.
      UdpRelayEndpoint again = a.allocate(WAIT);
      assertThat(again.vni()).isEqualTo(a.endpoint().vni());
      assertThat(again.addrPorts()).containsExactly(elsewhere, relay.v6);
      // Revoking B ends the pair's session within the reload (issue 9.4): no more forwarding,
      // and neither side gets the pair allocated again.
      Set<io.peerrelay.relay.protocol.DiscoPublicKey> keys =
          new HashSet<>(relay.server.settings().allowedClientKeys());
      keys.remove(k.b().publicKey());
      relay.server.apply(relay.server.settings().withAllowedClientKeys(keys));
      a.sendData(new byte[] {7});
      assertNothingArrives(b);
      assertThatThrownBy(() -> b.allocate(Duration.ofMillis(600)))
          .isInstanceOf(TimeoutException.class);
      assertThatThrownBy(() -> a.allocate(Duration.ofMillis(600)))
          .isInstanceOf(TimeoutException.class);
    }
  }

  private static byte[] copy(DatagramPacket p) {
    assertThat(p).isNotNull();
    return Arrays.copyOfRange(p.getData(), p.getOffset(), p.getOffset() + p.getLength());
  }

  private static void await(java.util.function.BooleanSupplier condition) {
    org.awaitility.Awaitility.await()
        .atMost(WAIT)
        .pollInterval(Duration.ofMillis(10))
        .until(condition::getAsBoolean);
  }
}
