package io.peerrelay.relay.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.peerrelay.relay.client.ClientPackets;
import io.peerrelay.relay.protocol.DiscoMessage.BindMessage;
import io.peerrelay.relay.protocol.DiscoPrivateKey;
import io.peerrelay.relay.protocol.DiscoPublicKey;
import io.peerrelay.relay.protocol.NonceSource;
import io.peerrelay.relay.protocol.RelayVectors;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The vectors run against the relay core itself: exact P2, then P4–P6 forwarded verbatim; and our
 * VNI-0 allocation request answered once at its issued-at time and never again.
 */
class RelayVectorsThroughServerTest {
  private static final InetSocketAddress SRC_A = new InetSocketAddress("127.0.0.1", 40001);
  private static final InetSocketAddress SRC_B = new InetSocketAddress("127.0.0.1", 40002);

  @Test
  void serverAnswersP1WithExactlyP2AndForwardsTheRelayedVectorsUnchanged() throws Exception {
    DiscoPrivateKey a = DiscoPrivateKey.fromRaw(RelayVectors.get("A_priv"));
    DiscoPrivateKey b = DiscoPrivateKey.fromRaw(RelayVectors.get("B_priv"));
    DiscoPrivateKey s = DiscoPrivateKey.fromRaw(RelayVectors.get("S_priv"));
    int[] nonceStart = {0x18};
    NonceSource nonces =
        n -> {
          for (int i = 0; i < 24; i++) {
            n[i] = (byte) (nonceStart[0] + i);
          }
          nonceStart[0] += 24;
        };
    RelayServer relay =
        new RelayServer(
            s,
            RelaySettings.defaults()
                .withAdvertisedEndpoints(List.of(new InetSocketAddress("127.0.0.1", 7777)))
                .withAllowedClientKeys(Set.of(a.publicKey(), b.publicKey())),
            RelayEvents.NONE,
            new FakeClock(),
            nonces,
            secret -> {
              for (int i = 0; i < secret.length; i++) {
                secret[i] = (byte) i;
              }
            });
    assertThat(relay.allocate(a.publicKey(), b.publicKey()).vni()).isEqualTo(1);
    Verdict v = new Verdict();

    relay.handle(ByteBuffer.wrap(RelayVectors.get("P1_bind")), SRC_A, false, v);
    assertThat(v.kind()).isEqualTo(Verdict.Kind.REPLY);
    assertThat(v.reply()).isEqualTo(RelayVectors.get("P2_challenge"));
    relay.handle(ByteBuffer.wrap(RelayVectors.get("P3_answer")), SRC_A, false, v);
    assertThat(v.kind()).isEqualTo(Verdict.Kind.DROP);
    assertThat(v.reason()).isNull();

    relay.handle(ByteBuffer.wrap(RelayVectors.get("P7_bind_B")), SRC_B, false, v);
    assertThat(v.kind()).isEqualTo(Verdict.Kind.REPLY);
    ClientPackets bPackets =
        new ClientPackets(b, s.publicKey(), a.publicKey(), NonceSource.random());
    BindMessage challenge = bPackets.openChallenge(v.reply(), 1);
    assertThat(challenge.generation()).isEqualTo(7);
    relay.handle(ByteBuffer.wrap(bPackets.answer(challenge)), SRC_B, false, v);
    assertThat(v.reason()).isNull();

    for (String name : new String[] {"P4_ping_A_to_B", "P6_wg_A_to_B"}) {
      ByteBuffer packet = ByteBuffer.wrap(RelayVectors.get(name));
      relay.handle(packet, SRC_A, false, v);
      assertThat(v.kind()).isEqualTo(Verdict.Kind.FORWARD);
      assertThat(v.destination()).isEqualTo(SRC_B);
      assertThat(packet.array()).as("the relay never rewrites").isEqualTo(RelayVectors.get(name));
    }
    relay.handle(ByteBuffer.wrap(RelayVectors.get("P5_pong_B_to_A")), SRC_B, false, v);
    assertThat(v.kind()).isEqualTo(Verdict.Kind.FORWARD);
    assertThat(v.destination()).isEqualTo(SRC_A);
  }

  private static final long A1_STAMP = 1_767_225_600_000L;

  @Test
  void allocationVectorIsOursByteForByteAndAnsweredOnceWithinItsWindow() {
    DiscoPrivateKey a = DiscoPrivateKey.fromRaw(RelayVectors.get("A_priv"));
    DiscoPrivateKey b = DiscoPrivateKey.fromRaw(RelayVectors.get("B_priv"));
    DiscoPrivateKey s = DiscoPrivateKey.fromRaw(RelayVectors.get("S_priv"));
    DiscoPublicKey[] pair = {a.publicKey(), b.publicKey()};
    java.util.Arrays.sort(pair);
    byte[] inner =
        java.util.Arrays.copyOf(
            ClientPackets.withStamp(
                new io.peerrelay.relay.protocol.DiscoMessage.AllocateRequest(pair[0], pair[1], 7),
                A1_STAMP),
            RelayVectors.get("A1_alloc_inner").length);
    assertThat(inner).isEqualTo(RelayVectors.get("A1_alloc_inner"));
    Verdict v = new Verdict();
    RelayServer atStamp = vectorRelay(s, a, b, A1_STAMP + 29_000);
    atStamp.handle(ByteBuffer.wrap(RelayVectors.get("A1_alloc_packet")), SRC_A, false, v);
    assertThat(v.kind()).isEqualTo(Verdict.Kind.REPLY);
    atStamp.handle(ByteBuffer.wrap(RelayVectors.get("A1_alloc_packet")), SRC_B, false, v);
    assertThat(v.reason()).isEqualTo(DropReason.REPLAYED_REQUEST);
    RelayServer later = vectorRelay(s, a, b, A1_STAMP + 31_000);
    later.handle(ByteBuffer.wrap(RelayVectors.get("A1_alloc_packet")), SRC_A, false, v);
    assertThat(v.reason()).isEqualTo(DropReason.STALE_REQUEST);
  }

  private static RelayServer vectorRelay(
      DiscoPrivateKey s, DiscoPrivateKey a, DiscoPrivateKey b, long wallMillis) {
    return new RelayServer(
        s,
        RelaySettings.defaults()
            .withAdvertisedEndpoints(List.of(new InetSocketAddress("127.0.0.1", 7777)))
            .withAllowedClientKeys(Set.of(a.publicKey(), b.publicKey())),
        RelayEvents.NONE,
        new FakeClock(),
        () -> wallMillis,
        NonceSource.random(),
        secret -> {});
  }
}
