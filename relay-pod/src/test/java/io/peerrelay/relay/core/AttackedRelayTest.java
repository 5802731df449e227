package io.peerrelay.relay.core;

import static io.peerrelay.relay.core.RelayHarness.addr;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.peerrelay.relay.client.ClientPackets;
import io.peerrelay.relay.protocol.DiscoPrivateKey;
import io.peerrelay.relay.protocol.DiscoPublicKey;
import io.peerrelay.relay.protocol.UdpRelayEndpoint;
import java.net.InetSocketAddress;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Issue 9 points 2–4, each as the attack it stops: one key filling the table, junk aimed at a
 * victim's rate limit, a revoked key that keeps its traffic.
 */
class AttackedRelayTest {
  private static final InetSocketAddress VICTIM = addr("192.0.2.10", 41641);

  private static RelayHarness tight(int perKey, double perSecond, int burst) {
    return new RelayHarness(
        RelaySettings.defaults()
            .withAdvertisedEndpoints(List.of(RelayHarness.RELAY_V4))
            .withLimits(100, perSecond, burst)
            .withMaxSessionsPerClientKey(perKey));
  }

  @Test
  void oneKeyCannotTakeMoreThanItsShareOfTheTable() throws Exception {
    RelayHarness h = tight(2, 1000, 1000);
    DiscoPublicKey a = h.keyA.publicKey();
    h.relay.allocate(a, DiscoPrivateKey.generate().publicKey());
    h.relay.allocate(a, DiscoPrivateKey.generate().publicKey());
    assertThatThrownBy(() -> h.relay.allocate(a, DiscoPrivateKey.generate().publicKey()))
        .isInstanceOf(AllocationException.class)
        .extracting(e -> ((AllocationException) e).result())
        .isEqualTo(AllocationResult.KEY_LIMIT);
    // The existing pair is still answered; the VNI-0 request is refused and counted by reason.
    Verdict v = h.send(h.a().allocateRequest(1), VICTIM);
    assertThat(v.reason()).isEqualTo(DropReason.CLIENT_KEY_LIMIT);
    assertThat(h.events.allocations(AllocationResult.KEY_LIMIT)).isEqualTo(2);
    assertThat(h.events.drops(DropReason.CLIENT_KEY_LIMIT)).isEqualTo(1);
    // Another key is not affected, and expiry gives the share back.
    DiscoPublicKey c = DiscoPrivateKey.generate().publicKey();
    h.relay.allocate(c, DiscoPrivateKey.generate().publicKey());
    h.clock.advance(java.time.Duration.ofMinutes(1));
    h.relay.collectGarbage();
    assertThat(h.send(h.a().allocateRequest(2), VICTIM).kind()).isEqualTo(Verdict.Kind.REPLY);
  }

  @Test
  void junkSentAsTheVictimDoesNotSpendTheVictimsHandshakeBudget() throws Exception {
    RelayHarness h = tight(10, 1, 3);
    int vni = h.allocate().vni();
    ClientPackets a = h.a();
    for (int i = 0; i < 200; i++) {
      // Forged: A's key in the clear header, a box that does not open, from A's own address
      // (the spoofer's best guess) and from neighbours that used to share hashed buckets.
      byte[] forged = a.bind(vni, 1);
      forged[forged.length - 1] ^= 1;
      InetSocketAddress from = i % 2 == 0 ? VICTIM : addr("192.0.2.10", 1024 + i);
      assertThat(h.send(forged, from).reason()).isEqualTo(DropReason.AUTH_FAILED);
    }
    assertThat(h.send(a.bind(vni, 1), VICTIM).kind()).isEqualTo(Verdict.Kind.REPLY);
    h.handshake(a, vni, 2, VICTIM);
  }

  @Test
  void junkAllocationsSentAsTheVictimDoNotSpendItsAllocationBudget() {
    RelayHarness h = tight(10, 1, 2);
    ClientPackets a = h.a();
    for (int i = 0; i < 200; i++) {
      byte[] forged = a.allocateRequest(i + 1);
      forged[100] ^= 1;
      assertThat(h.send(forged, VICTIM).reason()).isEqualTo(DropReason.AUTH_FAILED);
    }
    Verdict v = h.send(a.allocateRequest(500), VICTIM);
    assertThat(v.kind()).isEqualTo(Verdict.Kind.REPLY);
  }

  @Test
  void revocationEndsTheSessionRefusesRebindsAndNeverHandsTheVniToThePeer() throws Exception {
    RelayHarness h = new RelayHarness();
    ClientPackets a = h.a();
    ClientPackets b = h.b();
    InetSocketAddress srcA = addr("127.0.0.1", 40001);
    InetSocketAddress srcB = addr("127.0.0.1", 40002);
    UdpRelayEndpoint ep = a.openAllocateResponse(h.send(a.allocateRequest(1), srcA).reply(), 1);
    int vni = ep.vni();
    h.handshake(a, vni, 1, srcA);
    h.handshake(b, vni, 1, srcB);
    byte[] data = RelayServerTest.wireGuard(vni, 1, 2, 3);
    assertThat(h.send(data, srcA).kind()).isEqualTo(Verdict.Kind.FORWARD);

    h.relay.apply(h.relay.settings().withAllowedClientKeys(Set.of(h.keyB.publicKey())));

    assertThat(h.relay.sessions()).isEmpty();
    assertThat(h.send(data, srcA).reason()).isEqualTo(DropReason.UNKNOWN_VNI);
    assertThat(h.send(data, srcB).reason()).isEqualTo(DropReason.UNKNOWN_VNI);
    assertThat(h.send(a.bind(vni, 2), srcA).reason()).isEqualTo(DropReason.UNKNOWN_VNI);
    assertThat(h.send(b.allocateRequest(2), srcB).reason()).isEqualTo(DropReason.UNGRANTED_KEY);
    assertThat(h.relay.sessions()).isEmpty();
    assertThat(h.events.gauge(SessionState.OPEN)).isZero();

    // Granted again, the pair gets a fresh session, not the old VNI.
    Set<DiscoPublicKey> both = new HashSet<>(Set.of(h.keyA.publicKey(), h.keyB.publicKey()));
    h.relay.apply(h.relay.settings().withAllowedClientKeys(both));
    UdpRelayEndpoint again = b.openAllocateResponse(h.send(b.allocateRequest(3), srcB).reply(), 3);
    assertThat(again.vni()).isNotEqualTo(vni);
  }

  @Test
  void endSessionsOfEndsEverySessionOfThatKeyOnly() throws Exception {
    RelayHarness h = new RelayHarness();
    DiscoPublicKey a = h.keyA.publicKey();
    DiscoPublicKey other = DiscoPrivateKey.generate().publicKey();
    h.relay.allocate(a, h.keyB.publicKey());
    h.relay.allocate(a, other);
    int kept = h.relay.allocate(h.keyB.publicKey(), other).vni();
    assertThat(h.relay.endSessionsOf(a)).isEqualTo(2);
    assertThat(h.relay.sessions()).extracting(SessionInfo::vni).containsExactly(kept);
    assertThat(h.relay.endSessionsOf(a)).isZero();
  }

  @Test
  void aCapturedAllocationRequestWorksOnceAndNeverAgain() {
    RelayHarness h =
        new RelayHarness(
            RelaySettings.defaults()
                .withAdvertisedEndpoints(List.of(RelayHarness.RELAY_V4))
                .withLimits(100, 1000, 1000)
                .withLifetimes(
                    java.time.Duration.ofSeconds(1),
                    java.time.Duration.ofMinutes(5),
                    java.time.Duration.ofSeconds(1)));
    byte[] captured = h.a().allocateRequest(1);
    assertThat(h.send(captured, VICTIM).kind()).isEqualTo(Verdict.Kind.REPLY);
    // Replayed from anywhere, at once or after the session expired: no answer, no session.
    InetSocketAddress reflected = addr("198.51.100.7", 53);
    assertThat(h.send(captured, reflected).reason()).isEqualTo(DropReason.REPLAYED_REQUEST);
    h.clock.advance(java.time.Duration.ofSeconds(5));
    assertThat(h.relay.collectGarbage()).isEqualTo(1);
    assertThat(h.send(captured, VICTIM).reason()).isEqualTo(DropReason.REPLAYED_REQUEST);
    assertThat(h.relay.sessionCount()).isZero();
    // The client's next request is fresh and works.
    assertThat(h.send(h.a().allocateRequest(2), VICTIM).kind()).isEqualTo(Verdict.Kind.REPLY);
  }

  @Test
  void staleOrUnstampedRequestsAreRefused() {
    RelayHarness h = new RelayHarness();
    long now = System.currentTimeMillis();
    ClientPackets a = h.a();
    assertThat(h.send(a.allocateRequest(1, 512, now - 31_000), VICTIM).reason())
        .isEqualTo(DropReason.STALE_REQUEST);
    assertThat(h.send(a.allocateRequest(1, 512, now + 31_000), VICTIM).reason())
        .isEqualTo(DropReason.STALE_REQUEST);
    byte[] unstamped =
        a.sealToZero(
            java.util.Arrays.copyOf(
                new io.peerrelay.relay.protocol.DiscoMessage.AllocateRequest(
                        a.sortedPair()[0], a.sortedPair()[1], 1)
                    .encode(),
                512));
    assertThat(h.send(unstamped, VICTIM).reason()).isEqualTo(DropReason.STALE_REQUEST);
    assertThat(h.relay.sessionCount()).isZero();
  }
}
