package io.peerrelay.operator.observe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.peerrelay.operator.observe.DiscoKeys.DiscoKeyPair;
import io.peerrelay.testsupport.ToolPaths;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.SecureRandom;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class DiscoKeysTest {

  @ParameterizedTest(name = "{0}")
  @CsvSource({
    // RFC 7748 section 6.1, Alice and Bob.
    "alice,77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a,"
        + "8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a",
    "bob,5dab087e624a8a4b79e17f8b83800ee66f3bb1292618b6fd1c2f8b27ff88e0eb,"
        + "de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f",
    // The relay's test server key (32 x 0x58), also the golden private.key.
    "server,5858585858585858585858585858585858585858585858585858585858585858,"
        + "4c851fc5046a9493c0698d9ab7da0376bbb9deb6dbfcedc4dc887b5ffa279a6b"
  })
  void derivesRfc7748PublicKeys(String who, String privateHex, String publicHex) {
    assertThat(HexFormat.of().formatHex(DiscoKeys.publicKey(HexFormat.of().parseHex(privateHex))))
        .isEqualTo(publicHex);
    assertThat(DiscoKeys.publicKeyText("discoprivkey:" + privateHex))
        .isEqualTo("discokey:" + publicHex);
  }

  @Test
  void goldenKeyFileParsesToTheServerKey() throws IOException {
    String file =
        Files.readString(
            ToolPaths.projectRoot()
                .resolve("relay-pod/src/test/resources/golden/relay-config/private.key"),
            StandardCharsets.US_ASCII);
    assertThat(DiscoKeys.publicKeyText(file.strip()))
        .isEqualTo("discokey:4c851fc5046a9493c0698d9ab7da0376bbb9deb6dbfcedc4dc887b5ffa279a6b");
  }

  @Test
  void generatedKeysAreClampedDistinctAndMatchTheirPublicKey() {
    Set<String> seen = new HashSet<>();
    SecureRandom random = new SecureRandom();
    for (int i = 0; i < 50; i++) {
      DiscoKeyPair pair = DiscoKeys.generate(random);
      byte[] priv = DiscoKeys.parsePrivate(pair.privateKey());
      assertThat(priv[0] & 7).isZero();
      assertThat(priv[31] & 0x80).isZero();
      assertThat(priv[31] & 0x40).isEqualTo(0x40);
      assertThat(DiscoKeys.publicKeyText(pair.privateKey())).isEqualTo(pair.publicKey());
      assertThat(pair.publicKey()).matches("^discokey:[0-9a-f]{64}$");
      assertThat(pair.toString()).doesNotContain(pair.privateKey());
      seen.add(pair.publicKey());
    }
    assertThat(seen).hasSize(50);
  }

  @Test
  void clampingIsAppliedToRandomBytes() {
    byte[] all = new byte[32];
    java.util.Arrays.fill(all, (byte) 0xff);
    DiscoKeys.clamp(all);
    assertThat(all[0]).isEqualTo((byte) 0xf8);
    assertThat(all[31]).isEqualTo((byte) 0x7f);
  }

  @Test
  void textFormsRoundTrip() {
    byte[] key =
        HexFormat.of().parseHex("8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a");
    assertThat(DiscoKeys.parsePublic(DiscoKeys.printPublic(key))).isEqualTo(key);
    assertThat(DiscoKeys.parsePrivate(DiscoKeys.printPrivate(key))).isEqualTo(key);
    assertThat(
            DiscoKeys.parsePublic(
                "discokey:8520F0098930A754748B7DDCB43EF75A0DBF3A0D26381AF4EBA4A98EAA9B4E6A"))
        .isEqualTo(key);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "discokey:",
        "discokey:8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e",
        "discokey:8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a00",
        "discokey:g520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a",
        "nodekey:8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a",
        "discoprivkey:8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a",
        " discokey:8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a"
      })
  void rejectsMalformedPublicKeys(String text) {
    assertThat(DiscoKeys.isPublicKey(text)).isFalse();
    assertThatThrownBy(() -> DiscoKeys.parsePublic(text))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
