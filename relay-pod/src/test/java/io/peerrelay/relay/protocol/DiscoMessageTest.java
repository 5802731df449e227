package io.peerrelay.relay.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.peerrelay.relay.protocol.DiscoMessage.AllocateRequest;
import io.peerrelay.relay.protocol.DiscoMessage.AllocateResponse;
import io.peerrelay.relay.protocol.DiscoMessage.BindMessage;
import io.peerrelay.relay.protocol.DiscoMessage.BindStep;
import io.peerrelay.relay.protocol.DiscoMessage.CallMeMaybe;
import io.peerrelay.relay.protocol.DiscoMessage.CallMeMaybeVia;
import io.peerrelay.relay.protocol.DiscoMessage.Ping;
import io.peerrelay.relay.protocol.DiscoMessage.Pong;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The inner payload encodings of Tailscale's disco_test.go and the parse rules of PROTOCOL.md §2.
 */
class DiscoMessageTest {
  private static final HexFormat HEX = HexFormat.of();
  private static final String K1_HEX = "000102" + "00".repeat(27) + "1e1f";
  private static final String C0_HEX = "00010203" + "00".repeat(26) + "3031";
  private static final String C1_HEX = "00010200" + "04" + "00".repeat(25) + "3031";
  private static final DiscoPublicKey K1 = key(K1_HEX);
  private static final DiscoPublicKey C0 = key(C0_HEX);
  private static final DiscoPublicKey C1 = key(C1_HEX);
  private static final byte[] TX = HEX.parseHex("0102030405060708090a0b0c");
  private static final byte[] CHAL = range32();
  private static final UdpRelayEndpoint ENDPOINT =
      new UdpRelayEndpoint(
          K1,
          C0,
          C1,
          123,
          456,
          Duration.ofSeconds(1),
          Duration.ofMinutes(1),
          List.of(addr("1.2.3.4", 567), addr("2001::3456", 789)));
  private static final String ENDPOINT_HEX =
      K1_HEX
          + C0_HEX
          + C1_HEX
          + "000000000000007b"
          + "000001c8"
          + "000000003b9aca00"
          + "0000000df8475800"
          + "00000000000000000000ffff010203040237"
          + "20010000000000000000000000003456"
          + "0315";

  private static DiscoPublicKey key(String hex) {
    return DiscoPublicKey.fromRaw(HEX.parseHex(hex));
  }

  private static InetSocketAddress addr(String ip, int port) {
    return new InetSocketAddress(ip, port);
  }

  private static byte[] range32() {
    byte[] b = new byte[32];
    for (int i = 0; i < 32; i++) {
      b[i] = (byte) i;
    }
    return b;
  }

  static Stream<Arguments> encodings() {
    String bindBody = "0000000100000002" + K1_HEX + HEX.formatHex(CHAL);
    String addrs = ENDPOINT_HEX.substring(ENDPOINT_HEX.length() - 72);
    return Stream.of(
        Arguments.of("bind", new BindMessage(BindStep.BIND, 1, 2, K1, CHAL), "0400" + bindBody),
        Arguments.of(
            "challenge", new BindMessage(BindStep.CHALLENGE, 1, 2, K1, CHAL), "0500" + bindBody),
        Arguments.of("answer", new BindMessage(BindStep.ANSWER, 1, 2, K1, CHAL), "0600" + bindBody),
        Arguments.of(
            "allocate request",
            new AllocateRequest(C0, C1, 1),
            "0800" + C0_HEX + C1_HEX + "00000001"),
        Arguments.of(
            "allocate response", new AllocateResponse(1, ENDPOINT), "090000000001" + ENDPOINT_HEX),
        Arguments.of("call me maybe via", new CallMeMaybeVia(ENDPOINT), "0700" + ENDPOINT_HEX),
        Arguments.of("ping", new Ping(TX, null, 0), "0100" + HEX.formatHex(TX)),
        Arguments.of(
            "ping with node key", new Ping(TX, K1.raw(), 0), "0100" + HEX.formatHex(TX) + K1_HEX),
        Arguments.of(
            "ping with padding",
            new Ping(TX, K1.raw(), 3),
            "0100" + HEX.formatHex(TX) + K1_HEX + "000000"),
        Arguments.of(
            "pong v4",
            new Pong(TX, addr("2.3.4.5", 1234)),
            "0200" + HEX.formatHex(TX) + "00000000000000000000ffff0203040504d2"),
        Arguments.of(
            "pong v6",
            new Pong(TX, addr("fed0::12", 6666)),
            "0200" + HEX.formatHex(TX) + "fed0" + "00".repeat(13) + "121a0a"),
        Arguments.of("call me maybe empty", new CallMeMaybe(List.of()), "0300"),
        Arguments.of(
            "call me maybe",
            new CallMeMaybe(List.of(addr("1.2.3.4", 567), addr("2001::3456", 789))),
            "0300" + addrs));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("encodings")
  void encodesExactlyAndRoundTrips(String name, DiscoMessage message, String hex) {
    byte[] encoded = message.encode();
    assertThat(HEX.formatHex(encoded)).isEqualTo(hex);
    DiscoMessage parsed = DiscoMessage.parse(encoded);
    assertThat(parsed.getClass()).isEqualTo(message.getClass());
    assertThat(parsed.encode()).isEqualTo(encoded);
  }

  @Test
  void encodedSizesMatchTheLayouts() {
    assertThat(new AllocateResponse(1, ENDPOINT).encode()).hasSize(166);
    assertThat(new CallMeMaybeVia(ENDPOINT).encode()).hasSize(162);
  }

  @Test
  void trailingBytesAndVersionAreIgnoredForBindMessages() {
    byte[] bind = new BindMessage(BindStep.ANSWER, 9, 8, K1, CHAL).encode();
    byte[] longer = Arrays.copyOf(bind, bind.length + 5);
    longer[1] = 7;
    BindMessage parsed = (BindMessage) DiscoMessage.parse(longer);
    assertThat(parsed.vni()).isEqualTo(9);
    assertThat(parsed.generation()).isEqualTo(8);
    assertThat(parsed.challenge()).isEqualTo(CHAL);
  }

  @Test
  void nonZeroVersionGivesZeroValuedAllocationMessages() {
    byte[] req = new AllocateRequest(C0, C1, 5).encode();
    req[1] = 1;
    assertThat(DiscoMessage.parse(req)).isEqualTo(AllocateRequest.ZERO);
    byte[] resp = new AllocateResponse(5, ENDPOINT).encode();
    resp[1] = 1;
    assertThat(DiscoMessage.parse(resp)).isEqualTo(AllocateResponse.ZERO);
    byte[] via = new CallMeMaybeVia(ENDPOINT).encode();
    via[1] = 2;
    assertThat(DiscoMessage.parse(via)).isEqualTo(new CallMeMaybeVia(UdpRelayEndpoint.ZERO));
  }

  @Test
  void callMeMaybeWithAPartialAddressHasNoEndpoints() {
    assertThat(DiscoMessage.parse(HEX.parseHex("0300" + "01".repeat(17))))
        .isEqualTo(new CallMeMaybe(List.of()));
  }

  @Test
  void pingParsesNodeKeyAndPadding() {
    Ping p = (Ping) DiscoMessage.parse(new Ping(TX, K1.raw(), 3).encode());
    assertThat(p.nodeKey()).isEqualTo(K1.raw());
    assertThat(p.padding()).isEqualTo(3);
    Ping bare = (Ping) DiscoMessage.parse(HEX.parseHex("0100" + HEX.formatHex(TX) + "0000"));
    assertThat(bare.nodeKey()).isNull();
    assertThat(bare.padding()).isEqualTo(2);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "01",
        "0a00",
        "010001020304050607080910",
        "0200" + "00",
        "0400" + "00",
        "0800" + "00",
        "0900000000",
        "0700" + "00"
      })
  void malformedMessagesAreRejected(String hex) {
    assertThatThrownBy(() -> DiscoMessage.parse(HEX.parseHex(hex)))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void relayEndpointNeedsAtLeastOneWholeAddress() {
    byte[] full = new CallMeMaybeVia(ENDPOINT).encode();
    assertThatThrownBy(() -> DiscoMessage.parse(Arrays.copyOf(full, 2 + 124)))
        .hasMessageContaining("short message");
    assertThatThrownBy(() -> DiscoMessage.parse(Arrays.copyOf(full, full.length - 1)))
        .hasMessageContaining("short message");
  }

  @Test
  void ipv4MappedAddressesComeBackAsIpv4() {
    byte[] out = new byte[18];
    AddrPort.write(addr("10.1.2.3", 40000), out, 0);
    assertThat(AddrPort.read(out, 0).getAddress().getAddress()).hasSize(4);
    assertThat(AddrPort.format(AddrPort.read(out, 0))).isEqualTo("10.1.2.3:40000");
  }

  @Test
  void goDurationsAreBigEndianNanoseconds() {
    byte[] out = new byte[8];
    WireDuration.write(Duration.ofSeconds(30), out, 0);
    assertThat(HEX.formatHex(out)).isEqualTo("00000006fc23ac00");
    WireDuration.write(Duration.ofMinutes(5), out, 0);
    assertThat(HEX.formatHex(out)).isEqualTo("00000045d964b800");
    assertThat(WireDuration.read(out, 0)).isEqualTo(Duration.ofMinutes(5));
  }
}
