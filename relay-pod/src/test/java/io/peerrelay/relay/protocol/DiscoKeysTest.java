package io.peerrelay.relay.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DiscoKeysTest {
  private static final HexFormat HEX = HexFormat.of();

  @Test
  void publicKeyOfRfc7748AliceMatchesTheVector() {
    DiscoPrivateKey alice =
        DiscoPrivateKey.parse(
            "discoprivkey:77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a\n");
    assertThat(alice.publicKey().toString())
        .isEqualTo("discokey:8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a");
    assertThat(alice.publicKey().shortString()).isEqualTo("d:8520f0098930a754");
  }

  @Test
  void generatedKeysAreClampedAndRoundTripThroughText() {
    DiscoPrivateKey key = DiscoPrivateKey.generate();
    String text = key.toText();
    assertThat(text).startsWith("discoprivkey:").hasSize(13 + 64);
    byte[] raw = HEX.parseHex(text.substring(13));
    assertThat(raw[0] & 7).isZero();
    assertThat(raw[31] & 0xC0).isEqualTo(0x40);
    assertThat(DiscoPrivateKey.parse(text).publicKey()).isEqualTo(key.publicKey());
    assertThat(DiscoPrivateKey.generate().publicKey()).isNotEqualTo(key.publicKey());
  }

  @Test
  void publicKeyParsesEitherCaseAndComparesUnsigned() {
    String hex = "de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f";
    DiscoPublicKey lower = DiscoPublicKey.parse("discokey:" + hex);
    DiscoPublicKey upper = DiscoPublicKey.parse("discokey:" + hex.toUpperCase());
    assertThat(lower).isEqualTo(upper).hasSameHashCodeAs(upper);
    assertThat(lower.toString()).isEqualTo("discokey:" + hex);
    DiscoPublicKey small =
        DiscoPublicKey.parse(
            "discokey:8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a");
    // 0xde is negative as a signed byte: a signed comparison would order these the wrong way.
    assertThat(small.compareTo(lower)).isNegative();
    assertThat(lower.compareTo(small)).isPositive();
    assertThat(DiscoPublicKey.fromRaw(lower.raw())).isEqualTo(lower);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "discokey:",
        "discokey:zz9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f",
        "nodekey:de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f",
        "discokey:de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b"
      })
  void malformedPublicKeysAreRejectedNamingTheExpectedForm(String text) {
    assertThatThrownBy(() -> DiscoPublicKey.parse(text))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("discokey:<64 hex>");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "discokey:77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a",
        "discoprivkey:77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2",
        "discoprivkey:77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92cXX"
      })
  void malformedPrivateKeysAreRejectedWithoutEchoingTheSecret(String text) {
    assertThatThrownBy(() -> DiscoPrivateKey.parse(text))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("discoprivkey:<64 hex>")
        .hasMessageNotContaining("77076d0a");
  }
}
