package io.peerrelay.operator.desired;

import static org.assertj.core.api.Assertions.assertThat;

import io.peerrelay.operator.desired.RelayKeys.DiscoKeyPair;
import io.peerrelay.operator.observe.DiscoKeys;
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

class RelayKeysTest {

  /** The discokey: text of the public key of a discoprivkey: text. */
  private static String publicKeyText(String privateKeyText) {
    return DiscoKeys.printPublic(RelayKeys.publicKey(DiscoKeys.parsePrivate(privateKeyText)));
  }

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
    assertThat(HexFormat.of().formatHex(RelayKeys.publicKey(HexFormat.of().parseHex(privateHex))))
        .isEqualTo(publicHex);
    assertThat(publicKeyText("discoprivkey:" + privateHex)).isEqualTo("discokey:" + publicHex);
  }

  @Test
  void goldenKeyFileParsesToTheServerKey() throws IOException {
    String file =
        Files.readString(
            ToolPaths.projectRoot()
                .resolve("relay-pod/src/test/resources/golden/relay-config/private.key"),
            StandardCharsets.US_ASCII);
    assertThat(publicKeyText(file.strip()))
        .isEqualTo("discokey:4c851fc5046a9493c0698d9ab7da0376bbb9deb6dbfcedc4dc887b5ffa279a6b");
  }

  @Test
  void generatedKeysAreClampedDistinctAndMatchTheirPublicKey() {
    Set<String> seen = new HashSet<>();
    SecureRandom random = new SecureRandom();
    for (int i = 0; i < 50; i++) {
      DiscoKeyPair pair = RelayKeys.generateDisco(random);
      byte[] priv = DiscoKeys.parsePrivate(pair.privateKey());
      assertThat(priv[0] & 7).isZero();
      assertThat(priv[31] & 0x80).isZero();
      assertThat(priv[31] & 0x40).isEqualTo(0x40);
      assertThat(publicKeyText(pair.privateKey())).isEqualTo(pair.publicKey());
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
    RelayKeys.clamp(all);
    assertThat(all[0]).isEqualTo((byte) 0xf8);
    assertThat(all[31]).isEqualTo((byte) 0x7f);
  }
}
