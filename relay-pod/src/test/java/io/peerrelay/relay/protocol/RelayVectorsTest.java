package io.peerrelay.relay.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import io.peerrelay.relay.protocol.DiscoMessage.AllocateRequest;
import io.peerrelay.relay.protocol.DiscoMessage.AllocateResponse;
import io.peerrelay.relay.protocol.DiscoMessage.BindMessage;
import io.peerrelay.relay.protocol.DiscoMessage.BindStep;
import io.peerrelay.relay.protocol.DiscoMessage.Ping;
import io.peerrelay.relay.protocol.DiscoMessage.Pong;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Reproduces every vector of vectors.txt byte for byte (its Tailscale part checked against
 * libsodium when generated).
 */
class RelayVectorsTest {
  private static final Set<String> CHECKED = new TreeSet<>();

  private static final DiscoPrivateKey A = DiscoPrivateKey.fromRaw(v("A_priv"));
  private static final DiscoPrivateKey B = DiscoPrivateKey.fromRaw(v("B_priv"));
  private static final DiscoPrivateKey S = DiscoPrivateKey.fromRaw(v("S_priv"));
  private static final DiscoSharedKey K_AS = DiscoSharedKey.precompute(A, S.publicKey());
  private static final DiscoSharedKey K_BS = DiscoSharedKey.precompute(B, S.publicKey());
  private static final DiscoSharedKey K_AB = DiscoSharedKey.precompute(A, B.publicKey());
  private static final byte[] MAC_SECRET = range(0x00, 32);
  private static final InetSocketAddress A_SOURCE = new InetSocketAddress("127.0.0.1", 40001);

  private static byte[] v(String name) {
    CHECKED.add(name);
    return RelayVectors.get(name);
  }

  private static byte[] range(int first, int count) {
    byte[] b = new byte[count];
    for (int i = 0; i < count; i++) {
      b[i] = (byte) (first + i);
    }
    return b;
  }

  private static NonceSource fixedNonce(int first) {
    return n -> System.arraycopy(range(first, 24), 0, n, 0, 24);
  }

  @AfterAll
  static void everyVectorWasChecked() {
    assertThat(CHECKED).containsAll(RelayVectors.names());
  }

  @Test
  void publicKeysDeriveFromPrivateKeys() {
    assertThat(A.publicKey().raw()).isEqualTo(v("A_pub"));
    assertThat(B.publicKey().raw()).isEqualTo(v("B_pub"));
    assertThat(S.publicKey().raw()).isEqualTo(v("S_pub"));
    // The vectors' own note: A sorts before B and S before A.
    assertThat(A.publicKey()).isLessThan(B.publicKey());
    assertThat(S.publicKey()).isLessThan(A.publicKey());
  }

  @Test
  void sharedKeysMatchNaclBeforenm() {
    assertThat(A.sharedSecret(S.publicKey())).isEqualTo(v("x25519_AS"));
    assertThat(A.sharedSecret(B.publicKey())).isEqualTo(v("x25519_AB"));
    assertThat(K_AS.raw()).isEqualTo(v("k_AS"));
    assertThat(DiscoSharedKey.precompute(S, A.publicKey()).raw()).isEqualTo(v("k_AS"));
    assertThat(K_BS.raw()).isEqualTo(v("k_BS"));
    assertThat(K_AB.raw()).isEqualTo(v("k_AB"));
    assertThat(DiscoSharedKey.precompute(B, A.publicKey()).raw()).isEqualTo(v("k_AB"));
    assertThat(HexFormat.of().formatHex(K_AB.raw()))
        .isEqualTo("1b27556473e985d462cd51197a9a46c76009549eac6474f206c4ee0844f68389");
  }

  @Test
  void hsalsa20DebugAidForP1() {
    byte[] out = new byte[32];
    DiscoSharedKey.hsalsa20(out, K_AS.raw(), range(0, 16), 0);
    assertThat(HexFormat.of().formatHex(out))
        .isEqualTo("c83387aad12280e536961dd20d70cd766eda288ea54739abffeb5bd641106938");
  }

  @Test
  void challengeCookieMatchesForIpv4AndIpv6() {
    DiscoPublicKey bPub = B.publicKey();
    assertThat(ChallengeCookie.input(1, 1, bPub, A_SOURCE)).isEqualTo(v("mac_input"));
    assertThat(ChallengeCookie.mac(MAC_SECRET, 1, 1, bPub, A_SOURCE)).isEqualTo(v("mac"));
    InetSocketAddress v6 = new InetSocketAddress("2001:db8::1", 7);
    assertThat(ChallengeCookie.input(1, 1, bPub, v6)).isEqualTo(v("mac_input_v6"));
    assertThat(ChallengeCookie.mac(MAC_SECRET, 1, 1, bPub, v6)).isEqualTo(v("mac_v6"));
  }

  @Test
  void bindPlaintextsEncodeAndParse() {
    byte[] mac = v("mac");
    DiscoPublicKey bPub = B.publicKey();
    BindMessage bind = new BindMessage(BindStep.BIND, 1, 1, bPub, new byte[32]);
    BindMessage chal = new BindMessage(BindStep.CHALLENGE, 1, 1, bPub, mac);
    BindMessage ans = new BindMessage(BindStep.ANSWER, 1, 1, bPub, mac);
    assertThat(bind.encode()).isEqualTo(v("bind_plain"));
    assertThat(chal.encode()).isEqualTo(v("chal_plain"));
    assertThat(ans.encode()).isEqualTo(v("ans_plain"));
    assertThat(DiscoMessage.parse(v("ans_plain"))).usingRecursiveComparison().isEqualTo(ans);
  }

  static Stream<Arguments> sealedControlPackets() {
    return Stream.of(
        Arguments.of("P1_bind", "A_priv", 0x00, "bind_plain"),
        Arguments.of("P3_answer", "A_priv", 0x30, "ans_plain"),
        Arguments.of("P7_bind_B", "B_priv", 0x78, null));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("sealedControlPackets")
  void clientControlPacketsSealExactlyAndOpenWithTheServerKey(
      String packet, String senderPriv, int nonceStart, String plainName) {
    DiscoPrivateKey sender = DiscoPrivateKey.fromRaw(v(senderPriv));
    byte[] plain =
        plainName != null
            ? v(plainName)
            : new BindMessage(BindStep.BIND, 1, 7, A.publicKey(), new byte[32]).encode();
    byte[] sealed =
        DiscoPacket.sealWithGeneve(
            Geneve.discoControl(1),
            sender.publicKey(),
            DiscoSharedKey.precompute(sender, S.publicKey()),
            plain,
            fixedNonce(nonceStart));
    byte[] expected = v(packet);
    assertThat(sealed).isEqualTo(expected);
    // The server's view: the sender key in the packet selects the box key.
    DiscoPublicKey from = DiscoPacket.sender(expected, Geneve.LENGTH);
    assertThat(from).isEqualTo(sender.publicKey());
    byte[] opened =
        DiscoPacket.open(
            DiscoSharedKey.precompute(S, from),
            expected,
            Geneve.LENGTH,
            expected.length - Geneve.LENGTH);
    assertThat(opened).isEqualTo(plain);
  }

  @Test
  void serverChallengeP2IsExactAndOpensAsClientA() {
    byte[] mac = ChallengeCookie.mac(MAC_SECRET, 1, 1, B.publicKey(), A_SOURCE);
    byte[] plain = new BindMessage(BindStep.CHALLENGE, 1, 1, B.publicKey(), mac).encode();
    byte[] p2 =
        DiscoPacket.sealWithGeneve(
            Geneve.discoControl(1), S.publicKey(), K_AS, plain, fixedNonce(0x18));
    assertThat(p2).isEqualTo(v("P2_challenge"));
    byte[] opened = DiscoPacket.open(K_AS, p2, Geneve.LENGTH, p2.length - Geneve.LENGTH);
    assertThat(opened).isEqualTo(v("chal_plain"));
  }

  @Test
  void peerPingAndPongThroughTheRelaySealExactly() {
    byte[] ping = new Ping(range(1, 12), filled(0xAA), 0).encode();
    assertThat(ping).isEqualTo(v("ping_plain"));
    byte[] p4 =
        DiscoPacket.sealWithGeneve(
            Geneve.data(Geneve.PROTOCOL_DISCO, 1), A.publicKey(), K_AB, ping, fixedNonce(0x48));
    assertThat(p4).isEqualTo(v("P4_ping_A_to_B"));
    byte[] pong = new Pong(range(1, 12), new InetSocketAddress("127.0.0.1", 7777)).encode();
    assertThat(pong).isEqualTo(v("pong_plain"));
    byte[] p5 =
        DiscoPacket.sealWithGeneve(
            Geneve.data(Geneve.PROTOCOL_DISCO, 1), B.publicKey(), K_AB, pong, fixedNonce(0x60));
    assertThat(p5).isEqualTo(v("P5_pong_B_to_A"));
    byte[] openedByA = DiscoPacket.open(K_AB, p5, Geneve.LENGTH, p5.length - Geneve.LENGTH);
    assertThat(DiscoMessage.parse(openedByA)).isInstanceOf(Pong.class);
  }

  @Test
  void wireGuardDataPacketHeader() {
    byte[] p6 = v("P6_wg_A_to_B");
    assertThat(Geneve.decode(p6, 0, p6.length))
        .isEqualTo(Geneve.data(Geneve.PROTOCOL_WIREGUARD, 1));
    assertThat(Arrays.copyOf(p6, 8)).isEqualTo(Geneve.data(Geneve.PROTOCOL_WIREGUARD, 1).encode());
  }

  @Test
  void allocationPlaintextsEncodeExactly() {
    AllocateRequest req = new AllocateRequest(A.publicKey(), B.publicKey(), 1);
    assertThat(req.encode()).isEqualTo(v("areq_plain"));
    assertThat(DiscoMessage.parse(v("areq_plain"))).isEqualTo(req);
    AllocateResponse resp =
        new AllocateResponse(
            1,
            new UdpRelayEndpoint(
                S.publicKey(),
                A.publicKey(),
                B.publicKey(),
                1,
                1,
                Duration.ofSeconds(30),
                Duration.ofMinutes(5),
                List.of(new InetSocketAddress("127.0.0.1", 7777))));
    assertThat(resp.encode()).isEqualTo(v("aresp_plain"));
    assertThat(DiscoMessage.parse(v("aresp_plain"))).isEqualTo(resp);
  }

  private static byte[] filled(int b) {
    byte[] out = new byte[32];
    Arrays.fill(out, (byte) b);
    return out;
  }

  @Test
  void allocationRequestOfOurExtensionIsSealedByteForByte() {
    // PROTOCOL.md §5: the 70-byte request, the issued-at stamp, zero padding to 512 bytes.
    byte[] inner =
        java.util.Arrays.copyOf(
            io.peerrelay.relay.client.ClientPackets.withStamp(
                new DiscoMessage.AllocateRequest(A.publicKey(), B.publicKey(), 7),
                1_767_225_600_000L),
            v("A1_alloc_inner").length);
    assertThat(inner).isEqualTo(v("A1_alloc_inner"));
    byte[] packet =
        DiscoPacket.sealWithGeneve(
            Geneve.discoControl(0), A.publicKey(), K_AS, inner, fixedNonce(200));
    assertThat(packet).hasSize(512).isEqualTo(v("A1_alloc_packet"));
  }
}
