package io.peerrelay.relay.core;

import static io.peerrelay.relay.core.RelayHarness.addr;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.peerrelay.relay.client.ClientPackets;
import io.peerrelay.relay.protocol.DiscoMessage;
import io.peerrelay.relay.protocol.DiscoMessage.BindMessage;
import io.peerrelay.relay.protocol.DiscoMessage.BindStep;
import io.peerrelay.relay.protocol.DiscoMessage.Pong;
import io.peerrelay.relay.protocol.Geneve;
import io.peerrelay.relay.protocol.UdpRelayEndpoint;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The relay core driven packet by packet with a fake clock (PROTOCOL.md §3–4; cases of
 * net/udprelay/server_test.go).
 */
class RelayServerTest {

  static Stream<Arguments> families() {
    return Stream.of(
        Arguments.of("ipv4", "127.0.0.1", "127.0.0.1"),
        Arguments.of("ipv6", "::1", "::1"),
        Arguments.of("mixed", "127.0.0.1", "::1"));
  }

  /** Tailscale's TestServer sequence, in its three address-family variants. */
  @ParameterizedTest(name = "{0}")
  @MethodSource("families")
  void tailscaleTestServerSequence(String name, String ipA, String ipB) throws Exception {
    RelayHarness h = new RelayHarness();
    UdpRelayEndpoint first = h.allocate();
    assertThat(h.allocate()).isEqualTo(first);
    int vni = first.vni();
    assertThat(vni).isEqualTo(1);
    ClientPackets a = h.a();
    ClientPackets b = h.b();
    InetSocketAddress srcA = addr(ipA, 40001);
    InetSocketAddress srcB = addr(ipB, 40002);
    int gen = 1;
    for (int round = 0; round < 2; round++) {
      h.handshake(a, vni, gen++, srcA);
      h.handshake(b, vni, gen++, srcB);
    }
    assertThat(h.allocate()).isEqualTo(first);

    byte[] wg = wireGuard(vni, 1, 2, 3);
    assertForwarded(h, wg, srcA, srcB);
    assertForwarded(h, wireGuard(vni, 4, 5, 6), srcB, srcA);

    InetSocketAddress srcA2 = addr(ipA, 40003);
    h.handshake(a, vni, gen++, srcA2);
    assertForwarded(h, wireGuard(vni, 7, 8, 9), srcA2, srcB);
    assertThat(h.send(wireGuard(vni, 7, 8, 9), srcA).reason()).isEqualTo(DropReason.BAD_SOURCE);

    InetSocketAddress srcB2 = addr(ipB, 40004);
    h.handshake(b, vni, gen++, srcB2);
    assertForwarded(h, wireGuard(vni, 7, 8, 9), srcB2, srcA2);

    boolean v6a = ipA.contains(":");
    boolean v6b = ipB.contains(":");
    if (v6a == v6b) {
      assertThat(h.events.forwardedByFamily[v6a ? 1 : 0][v6a ? 1 : 0]).isEqualTo(4);
    } else {
      assertThat(h.events.forwardedByFamily[v6a ? 1 : 0][v6b ? 1 : 0]).isEqualTo(2);
      assertThat(h.events.forwardedByFamily[v6b ? 1 : 0][v6a ? 1 : 0]).isEqualTo(2);
    }
    assertThat(h.events.forwardedBytes).isEqualTo(4 * 11);
    SessionInfo info = h.relay.sessions().get(0);
    assertThat(info.vni()).isEqualTo(vni);
  }

  private static void assertForwarded(
      RelayHarness h, byte[] datagram, InetSocketAddress from, InetSocketAddress to) {
    Verdict v = h.send(datagram, from);
    assertThat(v.kind()).as("forwarded from %s", from).isEqualTo(Verdict.Kind.FORWARD);
    assertThat(v.destination()).isEqualTo(to);
    assertThat(v.destinationV6()).isEqualTo(to.getAddress().getAddress().length == 16);
  }

  static byte[] wireGuard(int vni, int... payload) {
    byte[] out = new byte[Geneve.LENGTH + payload.length];
    Geneve.data(Geneve.PROTOCOL_WIREGUARD, vni).encode(out, 0);
    for (int i = 0; i < payload.length; i++) {
      out[Geneve.LENGTH + i] = (byte) payload[i];
    }
    return out;
  }

  @Test
  void sessionListingShowsBoundEndpointsCountsAndShortKeys() throws Exception {
    RelayHarness h = new RelayHarness();
    int vni = h.allocate().vni();
    InetSocketAddress srcA = addr("127.0.0.1", 40001);
    InetSocketAddress srcB = addr("::1", 40002);
    h.handshake(h.a(), vni, 1, srcA);
    SessionInfo half = h.relay.sessions().get(0);
    boolean aIsLeg0 = h.keyA.publicKey().compareTo(h.keyB.publicKey()) < 0;
    SessionInfo.ClientInfo legA = aIsLeg0 ? half.client1() : half.client2();
    SessionInfo.ClientInfo legB = aIsLeg0 ? half.client2() : half.client1();
    assertThat(legA.endpoint()).isEqualTo("127.0.0.1:40001");
    assertThat(legB.endpoint()).isEmpty();
    assertThat(legA.shortDisco()).isEqualTo(h.keyA.publicKey().shortString());
    h.handshake(h.b(), vni, 2, srcB);
    h.send(wireGuard(vni, 1, 2, 3, 4), srcA);
    h.send(wireGuard(vni, 1, 2, 3, 4), srcA);
    SessionInfo full = h.relay.sessions().get(0);
    legA = aIsLeg0 ? full.client1() : full.client2();
    legB = aIsLeg0 ? full.client2() : full.client1();
    assertThat(legA)
        .isEqualTo(new SessionInfo.ClientInfo("127.0.0.1:40001", legA.shortDisco(), 2, 24));
    assertThat(legB.endpoint()).isEqualTo("[::1]:40002");
    assertThat(legB.packetsTx()).isZero();
  }

  /**
   * The transport's verdict defers counts: a run of datagrams from one leg is counted when the run
   * ends or when the read batch settles, with the clock of that moment. Nothing is lost or counted
   * twice, whatever the order of legs and drops.
   */
  @Test
  void deferredCountsAreSettledPerRunOfOneLeg() throws Exception {
    RelayHarness h = new RelayHarness();
    InetSocketAddress srcA = addr("127.0.0.1", 40001);
    InetSocketAddress srcB = addr("::1", 40002);
    int vni = h.openSession(srcA, srcB);
    Verdict d = new Verdict().deferringCounts();
    ByteBuffer four = ByteBuffer.wrap(wireGuard(vni, 1, 2, 3, 4));
    h.clock.advance(Duration.ofMinutes(10)); // both legs now silent past the steady state
    h.relay.handle(four, srcA, false, d);
    h.relay.handle(four, srcA, false, d);
    assertThat(h.events.forwardedPackets).as("a run waits for its end").isZero();
    h.relay.handle(four, srcB, true, d); // ends A's run of two
    assertThat(h.events.forwardedPackets).isEqualTo(2);
    h.relay.handle(four, srcA, false, d); // ends B's run of one
    h.relay.handle(
        four, addr("127.0.0.1", 40009), false, d); // a stranger: dropped, A's run goes on
    assertThat(d.reason()).isEqualTo(DropReason.BAD_SOURCE);
    h.relay.handle(four, srcA, false, d);
    assertThat(h.events.forwardedPackets).isEqualTo(3);

    h.relay.settle(d);
    h.relay.settle(d); // settling twice counts nothing twice
    assertThat(h.events.forwardedPackets).isEqualTo(5);
    assertThat(h.events.forwardedBytes).isEqualTo(5 * 12);
    assertThat(h.events.forwardedByFamily[0][1]).isEqualTo(4);
    assertThat(h.events.forwardedByFamily[1][0]).isEqualTo(1);
    assertThat(h.events.drops(DropReason.BAD_SOURCE)).isEqualTo(1);
    SessionInfo info = h.relay.sessions().get(0);
    boolean aIsLeg0 = h.keyA.publicKey().compareTo(h.keyB.publicKey()) < 0;
    SessionInfo.ClientInfo legA = aIsLeg0 ? info.client1() : info.client2();
    SessionInfo.ClientInfo legB = aIsLeg0 ? info.client2() : info.client1();
    assertThat(legA.packetsTx()).isEqualTo(4);
    assertThat(legA.bytesTx()).isEqualTo(48);
    assertThat(legB.packetsTx()).isEqualTo(1);
    // Both legs were stamped with the clock at settling, so the session is not expired.
    assertThat(h.relay.collectGarbage()).isZero();
    h.clock.advance(Duration.ofMinutes(6));
    assertThat(h.relay.collectGarbage()).isEqualTo(1);
  }

  @Test
  void dataIsDroppedUntilBothLegsAreBoundEvenFromTheBoundLeg() throws Exception {
    RelayHarness h = new RelayHarness();
    int vni = h.allocate().vni();
    InetSocketAddress srcA = addr("127.0.0.1", 40001);
    assertThat(h.send(wireGuard(vni, 1), srcA).reason()).isEqualTo(DropReason.NOT_BOUND);
    h.handshake(h.a(), vni, 1, srcA);
    assertThat(h.send(wireGuard(vni, 1), srcA).reason()).isEqualTo(DropReason.NOT_BOUND);
    assertThat(h.send(wireGuard(vni + 1, 1), srcA).reason()).isEqualTo(DropReason.UNKNOWN_VNI);
    assertThat(h.send(wireGuard(0, 1), srcA).reason()).isEqualTo(DropReason.UNKNOWN_VNI);
    assertThat(h.send(new byte[7], srcA).reason()).isEqualTo(DropReason.MALFORMED);
    assertThat(h.events.forwardedPackets).isZero();
  }

  /**
   * Handshake cases beyond TestServer (PROTOCOL.md §3): each must be dropped with the named reason.
   */
  static Stream<Arguments> badHandshakes() {
    return Stream.of(
        Arguments.of(
            "generation 0",
            (BadHandshake) (h, a, vni, src) -> h.send(a.bind(vni, 0), src),
            DropReason.BAD_GENERATION),
        Arguments.of(
            "wrong VNI inside the box",
            (BadHandshake)
                (h, a, vni, src) ->
                    h.send(
                        a.sealToServer(
                            vni,
                            new BindMessage(BindStep.BIND, vni + 1, 1, a.peer(), new byte[32])
                                .encode()),
                        src),
            DropReason.BAD_MESSAGE),
        Arguments.of(
            "wrong remote key",
            (BadHandshake)
                (h, a, vni, src) ->
                    h.send(
                        a.sealToServer(
                            vni,
                            new BindMessage(BindStep.BIND, vni, 1, a.self(), new byte[32])
                                .encode()),
                        src),
            DropReason.BAD_MESSAGE),
        Arguments.of(
            "challenge sent to the relay",
            (BadHandshake)
                (h, a, vni, src) ->
                    h.send(
                        a.sealToServer(
                            vni,
                            new BindMessage(BindStep.CHALLENGE, vni, 1, a.peer(), new byte[32])
                                .encode()),
                        src),
            DropReason.BAD_CONTROL),
        Arguments.of(
            "answer from another port",
            (BadHandshake)
                (h, a, vni, src) -> {
                  BindMessage c = a.openChallenge(h.send(a.bind(vni, 5), src).reply(), vni);
                  return h.send(a.answer(c), addr("127.0.0.1", src.getPort() + 1));
                },
            DropReason.BAD_COOKIE),
        Arguments.of(
            "answer with a stale generation",
            (BadHandshake)
                (h, a, vni, src) -> {
                  BindMessage old = a.openChallenge(h.send(a.bind(vni, 5), src).reply(), vni);
                  h.send(a.bind(vni, 6), src);
                  return h.send(a.answer(old), src);
                },
            DropReason.BAD_GENERATION),
        Arguments.of(
            "answer after two secret rotations",
            (BadHandshake)
                (h, a, vni, src) -> {
                  BindMessage c = a.openChallenge(h.send(a.bind(vni, 5), src).reply(), vni);
                  for (int i = 0; i < 2; i++) {
                    h.clock.advance(Duration.ofMinutes(2));
                    h.send(a.bind(vni, 5), src);
                  }
                  return h.send(a.answer(c), src);
                },
            DropReason.BAD_COOKIE),
        Arguments.of(
            "sender not in the session",
            (BadHandshake)
                (h, a, vni, src) ->
                    h.send(
                        h.client(io.peerrelay.relay.protocol.DiscoPrivateKey.generate(), h.keyB)
                            .bind(vni, 1),
                        src),
            DropReason.AUTH_FAILED),
        Arguments.of(
            "box that does not open",
            (BadHandshake)
                (h, a, vni, src) -> {
                  byte[] p = a.bind(vni, 1);
                  p[p.length - 1] ^= 1;
                  return h.send(p, src);
                },
            DropReason.AUTH_FAILED),
        Arguments.of(
            "control packet with the WireGuard protocol",
            (BadHandshake)
                (h, a, vni, src) -> {
                  byte[] p = a.bind(vni, 1);
                  p[3] = 0x12;
                  return h.send(p, src);
                },
            DropReason.BAD_CONTROL),
        Arguments.of(
            "truncated disco packet",
            (BadHandshake) (h, a, vni, src) -> h.send(Arrays.copyOf(a.bind(vni, 1), 60), src),
            DropReason.MALFORMED));
  }

  interface BadHandshake {
    Verdict run(RelayHarness h, ClientPackets a, int vni, InetSocketAddress src);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badHandshakes")
  void badHandshakesAreDroppedAndBindNothing(String name, BadHandshake step, DropReason reason)
      throws Exception {
    RelayHarness h = new RelayHarness();
    int vni = h.allocate().vni();
    InetSocketAddress src = addr("127.0.0.1", 40001);
    Verdict v = step.run(h, h.a(), vni, src);
    assertThat(v.kind()).isEqualTo(Verdict.Kind.DROP);
    assertThat(v.reason()).isEqualTo(reason);
    assertThat(h.relay.sessions().get(0).client1().endpoint()).isEmpty();
    assertThat(h.relay.sessions().get(0).client2().endpoint()).isEmpty();
  }

  @Test
  void aDuplicateAnswerIsDroppedBecauseTheGenerationIsSpent() throws Exception {
    RelayHarness h = new RelayHarness();
    int vni = h.allocate().vni();
    ClientPackets a = h.a();
    InetSocketAddress src = addr("127.0.0.1", 40001);
    BindMessage c = a.openChallenge(h.send(a.bind(vni, 5), src).reply(), vni);
    assertThat(h.send(a.answer(c), src).reason()).isNull();
    assertThat(h.send(a.answer(c), src).reason()).isEqualTo(DropReason.BAD_GENERATION);
  }

  @Test
  void answerStaysValidAcrossOneSecretRotation() throws Exception {
    RelayHarness h = new RelayHarness();
    int vni = h.allocate().vni();
    ClientPackets a = h.a();
    InetSocketAddress src = addr("127.0.0.1", 40001);
    BindMessage c = a.openChallenge(h.send(a.bind(vni, 3), src).reply(), vni);
    h.clock.advance(Duration.ofMinutes(2));
    assertThat(h.send(a.answer(c), src).reason()).isNull();
  }

  @Test
  void handshakesAreRateLimitedPerLegWhateverTheSource() throws Exception {
    RelayHarness h =
        new RelayHarness(
            RelaySettings.defaults()
                .withAdvertisedEndpoints(List.of(RelayHarness.RELAY_V4))
                .withLimits(10, 1, 3));
    int vni = h.allocate().vni();
    ClientPackets a = h.a();
    InetSocketAddress src = addr("127.0.0.1", 40001);
    for (int i = 0; i < 3; i++) {
      assertThat(h.send(a.bind(vni, 1), src).kind()).isEqualTo(Verdict.Kind.REPLY);
    }
    assertThat(h.send(a.bind(vni, 1), src).reason()).isEqualTo(DropReason.RATE_LIMITED);
    // The budget is the leg's: another source does not get a fresh one, the other leg keeps its
    // own.
    assertThat(h.send(a.bind(vni, 1), addr("127.0.0.1", 40002)).reason())
        .isEqualTo(DropReason.RATE_LIMITED);
    assertThat(h.send(h.b().bind(vni, 1), src).kind()).isEqualTo(Verdict.Kind.REPLY);
    h.clock.advance(Duration.ofSeconds(1));
    assertThat(h.send(a.bind(vni, 1), src).kind()).isEqualTo(Verdict.Kind.REPLY);
    assertThat(h.send(a.bind(vni, 1), src).reason()).isEqualTo(DropReason.RATE_LIMITED);
  }

  @Test
  void peerPingsAndPongsCrossTheRelayUnchanged() throws Exception {
    RelayHarness h = new RelayHarness();
    int vni = h.allocate().vni();
    ClientPackets a = h.a();
    ClientPackets b = h.b();
    InetSocketAddress srcA = addr("127.0.0.1", 40001);
    InetSocketAddress srcB = addr("127.0.0.1", 40002);
    h.handshake(a, vni, 1, srcA);
    h.handshake(b, vni, 1, srcB);
    byte[] tx = new byte[12];
    tx[0] = 9;
    byte[] ping = a.ping(vni, tx);
    assertForwarded(h, ping, srcA, srcB);
    assertThat(b.openFromPeer(ping, vni)).isInstanceOf(DiscoMessage.Ping.class);
    byte[] pong = b.pong(vni, tx, RelayHarness.RELAY_V4);
    assertForwarded(h, pong, srcB, srcA);
    assertThat(((Pong) a.openFromPeer(pong, vni)).src()).isEqualTo(RelayHarness.RELAY_V4);
  }

  @Test
  void applyKeepsSessionsAndChangesWhatNewAllocationsSee() throws Exception {
    RelayHarness h = new RelayHarness();
    int vni = h.allocate().vni();
    InetSocketAddress srcA = addr("127.0.0.1", 40001);
    InetSocketAddress srcB = addr("127.0.0.1", 40002);
    h.handshake(h.a(), vni, 1, srcA);
    h.handshake(h.b(), vni, 1, srcB);
    InetSocketAddress other = addr("10.0.0.1", 41641);
    h.relay.apply(
        h.relay
            .settings()
            .withAdvertisedEndpoints(List.of(other))
            .withAllowedClientKeys(java.util.Set.of()));
    assertThat(h.relay.sessionCount()).isEqualTo(1);
    assertForwarded(h, wireGuard(vni, 1), srcA, srcB);
    UdpRelayEndpoint again = h.allocate();
    assertThat(again.vni()).isEqualTo(vni);
    assertThat(again.addrPorts()).containsExactly(other);
  }

  @Test
  void drainingRefusesNewAllocationsButKeepsForwarding() throws Exception {
    RelayHarness h = new RelayHarness();
    int vni = h.allocate().vni();
    InetSocketAddress srcA = addr("127.0.0.1", 40001);
    InetSocketAddress srcB = addr("127.0.0.1", 40002);
    h.handshake(h.a(), vni, 1, srcA);
    h.handshake(h.b(), vni, 1, srcB);
    h.relay.stopAllocating();
    assertThatThrownBy(
            () ->
                h.relay.allocate(
                    h.keyA.publicKey(),
                    io.peerrelay.relay.protocol.DiscoPrivateKey.generate().publicKey()))
        .isInstanceOf(AllocationException.class);
    assertThat(h.events.allocations(AllocationResult.DRAINING)).isEqualTo(1);
    assertForwarded(h, wireGuard(vni, 1), srcA, srcB);
    h.handshake(h.a(), vni, 2, addr("127.0.0.1", 40005));
  }

  @Test
  void sessionLimitIsAHardCap() throws Exception {
    RelayHarness h =
        new RelayHarness(
            RelaySettings.defaults()
                .withAdvertisedEndpoints(List.of(RelayHarness.RELAY_V4))
                .withLimits(2, 100, 100));
    var base = h.keyA.publicKey();
    h.relay.allocate(base, io.peerrelay.relay.protocol.DiscoPrivateKey.generate().publicKey());
    h.relay.allocate(base, io.peerrelay.relay.protocol.DiscoPrivateKey.generate().publicKey());
    assertThatThrownBy(
            () ->
                h.relay.allocate(
                    base, io.peerrelay.relay.protocol.DiscoPrivateKey.generate().publicKey()))
        .isInstanceOf(AllocationException.class)
        .extracting(e -> ((AllocationException) e).result())
        .isEqualTo(AllocationResult.LIMIT);
    assertThat(h.relay.sessionCount()).isEqualTo(2);
  }

  @Test
  void metricsTransitionsFollowTailscaleGauges() throws Exception {
    RelayHarness h = new RelayHarness();
    int vni = h.allocate().vni();
    assertThat(h.events.gauge(SessionState.CONNECTING)).isEqualTo(1);
    h.handshake(h.a(), vni, 1, addr("127.0.0.1", 40001));
    h.handshake(h.b(), vni, 1, addr("127.0.0.1", 40002));
    assertThat(h.events.gauge(SessionState.CONNECTING)).isZero();
    assertThat(h.events.gauge(SessionState.OPEN)).isEqualTo(1);
    // A re-bind of an open session is no transition.
    h.handshake(h.a(), vni, 2, addr("127.0.0.1", 40003));
    assertThat(h.events.transitions).containsExactly("CLOSED->CONNECTING", "CONNECTING->OPEN");
    h.clock.advance(Duration.ofMinutes(6));
    assertThat(h.relay.collectGarbage()).isEqualTo(1);
    assertThat(h.events.gauge(SessionState.OPEN)).isZero();
    assertThat(h.events.expired).isEqualTo(1);
    assertThat(h.events.transitions).last().isEqualTo("OPEN->CLOSED");
  }
}
