package io.peerrelay.relay.tailnet.relay;

import static org.assertj.core.api.Assertions.assertThat;

import io.peerrelay.relay.core.RelayEvents;
import io.peerrelay.relay.core.RelayServer;
import io.peerrelay.relay.core.RelaySettings;
import io.peerrelay.relay.core.Verdict;
import io.peerrelay.relay.protocol.DiscoMessage;
import io.peerrelay.relay.protocol.DiscoMessage.AllocateRequest;
import io.peerrelay.relay.protocol.DiscoMessage.AllocateResponse;
import io.peerrelay.relay.protocol.DiscoMessage.Ping;
import io.peerrelay.relay.protocol.DiscoMessage.Pong;
import io.peerrelay.relay.protocol.DiscoPacket;
import io.peerrelay.relay.protocol.DiscoPrivateKey;
import io.peerrelay.relay.protocol.DiscoPublicKey;
import io.peerrelay.relay.protocol.DiscoSharedKey;
import io.peerrelay.relay.protocol.NonceSource;
import io.peerrelay.relay.tailnet.TailnetVectors;
import io.peerrelay.relay.tailnet.key.TailnetKey;
import io.peerrelay.relay.tailnet.key.TailnetPrivateKey;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Disco over DERP with real packets, several of them made by Tailscale's code (derp.txt). */
class DiscoOverDerpTest {
  static final DiscoPrivateKey RELAY =
      DiscoPrivateKey.fromRaw(TailnetVectors.get("relay_disco_private"));
  static final DiscoPrivateKey A = DiscoPrivateKey.fromRaw(TailnetVectors.get("a_disco_private"));
  static final DiscoPublicKey B = DiscoPublicKey.fromRaw(TailnetVectors.get("b_disco_public"));
  static final TailnetKey NODE_P = TailnetPrivateKey.generate().publicKey(TailnetKey.Kind.NODE);

  final List<byte[]> nonces = new ArrayList<>();
  final byte[] nonceByte = {0x11};
  final RelayServer core =
      new RelayServer(
          RELAY,
          RelaySettings.defaults()
              .withAdvertisedEndpoints(
                  List.of(
                      new InetSocketAddress("127.0.0.1", 40000),
                      new InetSocketAddress("::1", 40000))),
          RelayEvents.NONE,
          System::nanoTime);
  final MapPeerDirectory peers = new MapPeerDirectory();
  final TailnetMetrics metrics = TailnetMetrics.discard();
  final List<Object[]> sent = new ArrayList<>();
  final DiscoBoxes boxes = new DiscoBoxes(RELAY, n -> Arrays.fill(n, nonceByte[0]));
  final DiscoOverDerp disco =
      new DiscoOverDerp(
          boxes, core, peers, (dst, p) -> sent.add(new Object[] {dst, p}), 900, metrics);

  TailnetPeer peerP(boolean granted) {
    return peers.add(new TailnetPeer(NODE_P, A.publicKey(), "p"), granted);
  }

  @Test
  void tailscalesRequestGetsTailscalesResponseByteForByte() {
    peerP(true);
    nonceByte[0] = (byte) 0x88;
    disco.onPacket(NODE_P, TailnetVectors.get("alloc_request_packet"));
    assertThat(sent).hasSize(1);
    assertThat(sent.get(0)[0]).isEqualTo(NODE_P);
    // Same keys, the same first allocation and nonce: exactly the packet Tailscale's code seals.
    assertThat((byte[]) sent.get(0)[1]).isEqualTo(TailnetVectors.get("alloc_response_packet"));
    AllocateResponse resp = (AllocateResponse) open((byte[]) sent.get(0)[1]);
    assertThat(resp.encode()).isEqualTo(TailnetVectors.get("alloc_response_message"));
    assertThat(resp.generation()).isEqualTo(7);
    assertThat(metrics.allocations(TailnetAllocationResult.OK)).isEqualTo(1);
    assertThat(core.sessionCount()).isEqualTo(1);
  }

  @Test
  void tailscalesPingGetsAPongFromTheDerpMagicAddress() {
    peerP(false); // pings need no relay grant, only a known peer
    nonceByte[0] = (byte) 0x89;
    disco.onPacket(NODE_P, TailnetVectors.get("ping_packet"));
    assertThat(sent).hasSize(1);
    assertThat((byte[]) sent.get(0)[1]).isEqualTo(TailnetVectors.get("pong_derp_packet"));
    Pong pong = (Pong) open((byte[]) sent.get(0)[1]);
    assertThat(pong.src()).isEqualTo(new InetSocketAddress("127.3.3.40", 900));
    assertThat(metrics.pings(TailnetMetrics.PingPath.DERP, true)).isEqualTo(1);
  }

  @Test
  void refusalsAreCountedAndNeverAnswered() {
    byte[] req = TailnetVectors.get("alloc_request_packet");
    disco.onPacket(NODE_P, req);
    assertRefused(TailnetAllocationResult.NOT_PEER);

    peers.add(new TailnetPeer(NODE_P, B, "p"), true);
    disco.onPacket(NODE_P, req);
    assertRefused(TailnetAllocationResult.DISCO_MISMATCH);

    peers.granted.clear();
    peerP(false);
    disco.onPacket(NODE_P, req);
    assertRefused(TailnetAllocationResult.NOT_GRANTED);

    peerP(true);
    DiscoPublicKey c = DiscoPrivateKey.generate().publicKey();
    disco.onPacket(NODE_P, fromA(new AllocateRequest(B, c, 1).encode()));
    assertRefused(TailnetAllocationResult.NOT_IN_PAIR);

    disco.onPacket(NODE_P, fromA(new byte[] {DiscoMessage.TYPE_ALLOCATE_REQUEST, 0, 1, 2}));
    assertRefused(TailnetAllocationResult.MALFORMED);

    core.stopAllocating();
    disco.onPacket(NODE_P, req);
    assertRefused(TailnetAllocationResult.CORE_REFUSED);

    byte[] forged = req.clone();
    forged[forged.length - 1] ^= 1;
    disco.onPacket(NODE_P, forged);
    disco.onPacket(NODE_P, new byte[] {0x54, 0x53});
    assertThat(sent).isEmpty();
    assertThat(core.sessionCount()).isZero();
  }

  @Test
  void aPeerThatLosesTheGrantLosesItsSession() {
    peerP(true);
    disco.onPacket(NODE_P, fromA(new AllocateRequest(A.publicKey(), B, 3).encode()));
    assertThat(core.sessionCount()).isEqualTo(1);
    assertThat(disco.revalidate()).isZero();
    peers.granted.clear();
    assertThat(disco.revalidate()).isEqualTo(1);
    assertThat(core.sessionCount()).isZero();
    assertThat(disco.trackedPairs()).isZero();
  }

  @Test
  void aPeerWhoseDiscoKeyChangedLosesItsSession() {
    peerP(true);
    disco.onPacket(NODE_P, fromA(new AllocateRequest(A.publicKey(), B, 3).encode()));
    peers.add(new TailnetPeer(NODE_P, DiscoPrivateKey.generate().publicKey(), "p"), true);
    assertThat(disco.revalidate()).isEqualTo(1);
    assertThat(core.sessionCount()).isZero();
  }

  @Test
  void plainPingOnTheUdpPortGetsAPongNamingItsSource() {
    peerP(false);
    core.plainDiscoHandler(new PlainDiscoPongs(boxes, peers, metrics));
    InetSocketAddress from = new InetSocketAddress("127.0.0.1", 41641);
    Verdict v = new Verdict();
    byte[] ping = TailnetVectors.get("ping_packet");
    core.handle(ByteBuffer.wrap(ping), from, false, v);
    assertThat(v.kind()).isEqualTo(Verdict.Kind.REPLY);
    assertThat(v.destination()).isEqualTo(from);
    Pong pong = (Pong) open(v.reply());
    assertThat(pong.src()).isEqualTo(from);
    assertThat(pong.txId()).isEqualTo(new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12});

    // A ping without a node key is smaller than its pong: not answered (no amplification).
    core.handle(ByteBuffer.wrap(fromA(new Ping(new byte[12], null, 0).encode())), from, false, v);
    assertThat(v.kind()).isEqualTo(Verdict.Kind.DROP);
    // A stranger's ping is not answered.
    peers.peers.clear();
    core.handle(ByteBuffer.wrap(ping), from, false, v);
    assertThat(v.kind()).isEqualTo(Verdict.Kind.DROP);
    assertThat(metrics.pings(TailnetMetrics.PingPath.UDP, true)).isEqualTo(1);
    assertThat(metrics.pings(TailnetMetrics.PingPath.UDP, false)).isEqualTo(2);
  }

  @Test
  void withoutTheHookPlainDiscoIsDroppedAsBefore() {
    peerP(false);
    Verdict v = new Verdict();
    core.handle(
        ByteBuffer.wrap(TailnetVectors.get("ping_packet")),
        new InetSocketAddress("127.0.0.1", 1),
        false,
        v);
    assertThat(v.kind()).isEqualTo(Verdict.Kind.DROP);
  }

  @Test
  void hostilePacketsFromAKnownPeerNeverCrashOrGetAnAnswer() {
    peerP(true);
    java.util.Random random = new java.util.Random(7);
    byte[] request = TailnetVectors.get("alloc_request_packet");
    for (int i = 0; i < 20_000; i++) {
      byte[] p;
      if (i % 2 == 0) {
        p = new byte[random.nextInt(200)];
        random.nextBytes(p);
        System.arraycopy(request, 0, p, 0, Math.min(p.length, 6)); // keep the magic
      } else {
        p = request.clone();
        p[random.nextInt(p.length)] ^= (byte) (1 + random.nextInt(255)); // one byte flipped
      }
      disco.onPacket(NODE_P, p);
    }
    // Random boxes and flipped bytes do not open (or are not disco): nothing is ever answered.
    assertThat(sent).isEmpty();
    assertThat(core.sessionCount()).isZero();
  }

  private void assertRefused(TailnetAllocationResult r) {
    assertThat(metrics.allocations(r)).as(r.label()).isEqualTo(1);
    assertThat(sent).as("no answer for " + r.label()).isEmpty();
  }

  private static byte[] fromA(byte[] plain) {
    return DiscoPacket.seal(
        A.publicKey(),
        DiscoSharedKey.precompute(A, RELAY.publicKey()),
        plain,
        NonceSource.random());
  }

  private static DiscoMessage open(byte[] packet) {
    assertThat(DiscoPacket.sender(packet, 0)).isEqualTo(RELAY.publicKey());
    byte[] plain =
        DiscoPacket.open(DiscoSharedKey.precompute(A, RELAY.publicKey()), packet, 0, packet.length);
    assertThat(plain).isNotNull();
    return DiscoMessage.parse(plain);
  }
}
