package io.peerrelay.relay.core;

import static io.peerrelay.relay.core.RelayHarness.addr;
import static org.assertj.core.api.Assertions.assertThat;

import io.peerrelay.relay.client.ClientPackets;
import io.peerrelay.relay.protocol.DiscoMessage.AllocateRequest;
import io.peerrelay.relay.protocol.DiscoPrivateKey;
import io.peerrelay.relay.protocol.DiscoPublicKey;
import io.peerrelay.relay.protocol.UdpRelayEndpoint;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The VNI-0 allocation extension of PROTOCOL.md §5 and its grant and anti-amplification checks. */
class AllocationOnRelayPortTest {
  private static final InetSocketAddress SRC = addr("127.0.0.1", 40001);

  @Test
  void grantedClientGetsTheSameEndpointAsItsPeerAndNoBiggerThanItsRequest() {
    RelayHarness h = new RelayHarness();
    ClientPackets a = h.a();
    byte[] request = a.allocateRequest(7);
    assertThat(request).hasSize(512);
    Verdict v = h.send(request, SRC);
    assertThat(v.kind()).isEqualTo(Verdict.Kind.REPLY);
    assertThat(v.destination()).isEqualTo(SRC);
    assertThat(v.reply().length).isLessThanOrEqualTo(request.length);
    UdpRelayEndpoint fromA = a.openAllocateResponse(v.reply(), 7);
    assertThat(fromA).isNotNull();
    assertThat(fromA.serverDisco()).isEqualTo(h.relay.serverPublicKey());
    assertThat(fromA.addrPorts()).containsExactly(RelayHarness.RELAY_V4);
    ClientPackets b = h.b();
    UdpRelayEndpoint fromB = b.openAllocateResponse(h.send(b.allocateRequest(9), SRC).reply(), 9);
    assertThat(fromB).isEqualTo(fromA);
    assertThat(h.events.allocations(AllocationResult.OK)).isEqualTo(1);
    assertThat(h.events.allocations(AllocationResult.EXISTING)).isEqualTo(1);
  }

  @Test
  void sixteenEndpointsStillFitInA512ByteAnswer() {
    List<InetSocketAddress> many = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      many.add(addr("2001:db8::" + (i + 1), 40000 + i));
    }
    RelayHarness h = new RelayHarness(RelaySettings.defaults().withAdvertisedEndpoints(many));
    ClientPackets a = h.a();
    Verdict v = h.send(a.allocateRequest(1), SRC);
    assertThat(v.reply().length).isLessThanOrEqualTo(512);
    assertThat(a.openAllocateResponse(v.reply(), 1).addrPorts()).hasSize(16);
  }

  interface Request {
    byte[] build(RelayHarness h);
  }

  static Stream<Arguments> refused() {
    DiscoPrivateKey stranger = DiscoPrivateKey.generate();
    return Stream.of(
        Arguments.of(
            "ungranted sender",
            (Request) h -> h.client(stranger, h.keyB).allocateRequest(1),
            DropReason.UNGRANTED_KEY,
            AllocationResult.UNGRANTED),
        Arguments.of(
            "unpadded request",
            (Request) h -> h.a().allocateRequest(1, 0),
            DropReason.UNPADDED,
            AllocationResult.INVALID),
        Arguments.of(
            "511 bytes",
            (Request) h -> h.a().allocateRequest(1, 511),
            DropReason.UNPADDED,
            AllocationResult.INVALID),
        Arguments.of(
            "sender not in the pair",
            (Request)
                h ->
                    padded(
                        h.a(),
                        new AllocateRequest(
                            h.keyB.publicKey(), DiscoPrivateKey.generate().publicKey(), 1)),
            DropReason.INVALID_REQUEST,
            AllocationResult.INVALID),
        Arguments.of(
            "same key twice",
            (Request)
                h -> padded(h.a(), new AllocateRequest(h.keyA.publicKey(), h.keyA.publicKey(), 1)),
            DropReason.INVALID_REQUEST,
            AllocationResult.INVALID),
        Arguments.of(
            "pair with the server key",
            (Request)
                h ->
                    padded(
                        h.a(),
                        new AllocateRequest(h.keyA.publicKey(), h.relay.serverPublicKey(), 1)),
            DropReason.INVALID_REQUEST,
            AllocationResult.INVALID),
        Arguments.of(
            "no advertised endpoints",
            (Request)
                h -> {
                  h.relay.apply(h.relay.settings().withAdvertisedEndpoints(List.of()));
                  return h.a().allocateRequest(1);
                },
            DropReason.NO_ENDPOINTS,
            AllocationResult.NO_ENDPOINTS),
        Arguments.of(
            "draining",
            (Request)
                h -> {
                  h.relay.stopAllocating();
                  return h.a().allocateRequest(1);
                },
            DropReason.DRAINING,
            AllocationResult.DRAINING),
        Arguments.of(
            "session limit",
            (Request)
                h -> {
                  h.relay.apply(h.relay.settings().withLimits(1, 1000, 1000));
                  try {
                    h.relay.allocate(h.keyA.publicKey(), DiscoPrivateKey.generate().publicKey());
                  } catch (AllocationException e) {
                    throw new AssertionError(e);
                  }
                  return h.a().allocateRequest(1);
                },
            DropReason.SESSION_LIMIT,
            AllocationResult.LIMIT),
        Arguments.of(
            "tampered box",
            (Request)
                h -> {
                  byte[] p = h.a().allocateRequest(1);
                  p[100] ^= 4;
                  return p;
                },
            DropReason.AUTH_FAILED,
            null));
  }

  private static byte[] padded(ClientPackets c, AllocateRequest req) {
    byte[] stamped =
        ClientPackets.withStamp(
            req, io.peerrelay.relay.protocol.AllocationStamp.next(System.currentTimeMillis()));
    return c.sealToZero(Arrays.copyOf(stamped, 512));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("refused")
  void refusedRequestsGetNoAnswerAndAreCounted(
      String name, Request request, DropReason reason, AllocationResult result) {
    RelayHarness h = new RelayHarness();
    int before = h.relay.sessionCount();
    Verdict v = h.send(request.build(h), SRC);
    assertThat(v.kind()).isEqualTo(Verdict.Kind.DROP);
    assertThat(v.reason()).isEqualTo(reason);
    if (result != null) {
      assertThat(h.events.allocations(result)).isEqualTo(1);
    }
    assertThat(h.relay.sessionCount()).isLessThanOrEqualTo(Math.max(before, 1));
    if (reason == DropReason.UNGRANTED_KEY || reason == DropReason.UNPADDED) {
      assertThat(h.relay.sessionCount()).isZero();
    }
  }

  @Test
  void revokingAGrantEndsItsSessionAndItsPeerCannotRevive() {
    RelayHarness h = new RelayHarness();
    ClientPackets a = h.a();
    UdpRelayEndpoint ep = a.openAllocateResponse(h.send(a.allocateRequest(1), SRC).reply(), 1);
    h.relay.apply(h.relay.settings().withAllowedClientKeys(Set.of(h.keyB.publicKey())));
    assertThat(h.send(a.allocateRequest(2), SRC).reason()).isEqualTo(DropReason.UNGRANTED_KEY);
    assertThat(h.relay.sessionCount()).isZero();
    ClientPackets b = h.b();
    Verdict v = h.send(b.allocateRequest(3), SRC);
    assertThat(v.reason()).isEqualTo(DropReason.UNGRANTED_KEY);
    assertThat(h.relay.sessionCount()).isZero();
    assertThat(h.send(a.bind(ep.vni(), 4), SRC).reason()).isEqualTo(DropReason.UNKNOWN_VNI);
  }

  @Test
  void requestWithANonZeroVersionIsAZeroValuedRequestAndRefused() {
    RelayHarness h = new RelayHarness();
    ClientPackets a = h.a();
    DiscoPublicKey[] pair = a.sortedPair();
    byte[] plain = Arrays.copyOf(new AllocateRequest(pair[0], pair[1], 1).encode(), 512);
    plain[1] = 1;
    assertThat(h.send(a.sealToZero(plain), SRC).reason()).isEqualTo(DropReason.INVALID_REQUEST);
  }
}
