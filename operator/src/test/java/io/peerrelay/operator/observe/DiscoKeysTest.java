package io.peerrelay.operator.observe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DiscoKeysTest {

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

  @Test
  void onlyLowercaseKeysAreCanonical() {
    String key = "discokey:8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a";
    assertThat(DiscoKeys.isCanonicalPublicKey(key)).isTrue();
    assertThat(DiscoKeys.isCanonicalPublicKey(key.toUpperCase(java.util.Locale.ROOT))).isFalse();
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
