package io.peerrelay.relay.protocol;

import static java.nio.ByteOrder.BIG_ENDIAN;
import static java.nio.ByteOrder.LITTLE_ENDIAN;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.HexFormat;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Geneve header vectors of PROTOCOL.md §1 and src/test/resources/relay-vectors/vectors.txt and the
 * server's lenient decoding.
 */
class GeneveTest {
  private static final HexFormat HEX = HexFormat.of();

  static Stream<Arguments> headers() {
    return Stream.of(
        Arguments.of(Geneve.discoControl(1), "00807a1100000100"),
        Arguments.of(Geneve.data(Geneve.PROTOCOL_WIREGUARD, 1), "00007a1200000100"),
        Arguments.of(Geneve.data(Geneve.PROTOCOL_DISCO, 1), "00007a1100000100"),
        Arguments.of(new Geneve(3, true, Geneve.PROTOCOL_DISCO, 0xFFFFFF), "c0807a11ffffff00"));
  }

  @ParameterizedTest
  @MethodSource("headers")
  void encodesAndDecodesTheVectors(Geneve header, String hex) {
    assertThat(HEX.formatHex(header.encode())).isEqualTo(hex);
    assertThat(Geneve.decode(HEX.parseHex(hex), 0, 8)).isEqualTo(header);
    ByteBuffer buf = ByteBuffer.wrap(HEX.parseHex(hex));
    assertThat(Geneve.vniAt(buf, 0)).isEqualTo(header.vni());
    assertThat(Geneve.controlAt(buf, 0)).isEqualTo(header.control());
    assertThat(Geneve.protocolAt(buf, 0)).isEqualTo(header.protocol());
  }

  /**
   * The forwarding path reads the VNI in one word: byte order and the reserved byte must not leak.
   */
  @Test
  void vniAtIgnoresByteOrderAndTheReservedByte() {
    byte[] bytes = HEX.parseHex("ee" + "00007a12123456ab" + "ff");
    for (var order : new ByteOrder[] {BIG_ENDIAN, LITTLE_ENDIAN}) {
      ByteBuffer buf = ByteBuffer.wrap(bytes).order(order);
      assertThat(Geneve.vniAt(buf, 1)).as("%s", order).isEqualTo(0x123456);
      assertThat(Geneve.controlAt(buf, 1)).isFalse();
      assertThat(Geneve.protocolAt(buf, 1)).isEqualTo(Geneve.PROTOCOL_WIREGUARD);
    }
  }

  @Test
  void decodingIgnoresOptLenCriticalAndReservedBits() {
    byte[] noisy = HEX.parseHex("3fff7a11000001ff");
    assertThat(Geneve.decode(noisy, 0, 8)).isEqualTo(Geneve.discoControl(1));
  }

  @Test
  void vniKeepsOnlyTheLow24BitsAsGoDoes() {
    assertThat(new Geneve(0, false, 1, 0xFFFFFFFF).vni()).isEqualTo(0xFFFFFF);
  }

  @Test
  void encodingRejectsVersionsAboveThreeAndShortHeaders() {
    assertThatThrownBy(() -> new Geneve(4, false, 1, 1))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Geneve.decode(new byte[7], 0, 7))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
