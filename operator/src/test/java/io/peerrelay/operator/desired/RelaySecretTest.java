package io.peerrelay.operator.desired;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.Secret;
import io.peerrelay.testsupport.ToolPaths;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class RelaySecretTest {

  private static final String PRIVATE =
      "discoprivkey:5858585858585858585858585858585858585858585858585858585858585858";
  private static final String PUBLIC =
      "discokey:4c851fc5046a9493c0698d9ab7da0376bbb9deb6dbfcedc4dc887b5ffa279a6b";

  @Test
  void keyFileBytesMatchTheGoldenKeyFile() throws IOException {
    Secret secret = RelaySecret.relaySecret(Relays.relay(), 1, PRIVATE, PUBLIC);
    byte[] file = Base64.getDecoder().decode(secret.getData().get("private.key"));
    byte[] golden =
        Files.readAllBytes(
            ToolPaths.projectRoot()
                .resolve("relay-pod/src/test/resources/golden/relay-config/private.key"));
    assertThat(new String(file, StandardCharsets.US_ASCII))
        .isEqualTo(new String(golden, StandardCharsets.US_ASCII));
  }

  @Test
  void carriesThePublicKeyAndReadsBothBack() {
    Secret secret = RelaySecret.relaySecret(Relays.relay(), 1, PRIVATE, PUBLIC);
    assertThat(secret.getMetadata().getName()).isEqualTo("office-1");
    assertThat(secret.getType()).isEqualTo("Opaque");
    assertThat(secret.getStringData()).isNullOrEmpty();
    assertThat(secret.getMetadata().getAnnotations())
        .containsEntry("peerrelay.io/public-key", PUBLIC);
    assertThat(RelaySecret.publicKey(secret)).hasValue(PUBLIC);
    // The key shown is derived from the private key: an edited annotation changes nothing.
    secret
        .getMetadata()
        .getAnnotations()
        .put("peerrelay.io/public-key", "discokey:" + "0".repeat(64));
    assertThat(RelaySecret.publicKey(secret)).hasValue(PUBLIC);
    assertThat(secret.getMetadata().getLabels()).containsEntry("peerrelay.io/watch", "true");
    assertThat(
            new String(
                    java.util.Base64.getDecoder().decode(secret.getData().get(Names.KEY_KEY)),
                    StandardCharsets.US_ASCII)
                .strip())
        .isEqualTo(PRIVATE);
    assertThat(Names.replicaIndex(secret)).hasValue(1);
  }

  @Test
  void refusesKeysInTheWrongTextForm() {
    assertThatThrownBy(() -> RelaySecret.relaySecret(Relays.relay(), 0, PUBLIC, PUBLIC))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
