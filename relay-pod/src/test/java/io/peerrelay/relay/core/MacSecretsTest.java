package io.peerrelay.relay.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** Tailscale's TestServer_maybeRotateMACSecretLocked (net/udprelay/server_test.go). */
class MacSecretsTest {
  @Test
  void rotatesEveryTwoMinutesKeepingThePreviousSecret() {
    byte[] counter = {0};
    MacSecrets secrets = new MacSecrets(b -> Arrays.fill(b, ++counter[0]));
    long t0 = 5_000;
    byte[][] first = secrets.current(t0);
    assertThat(first).hasNumberOfRows(1);
    byte[] original = first[0];
    assertThat(secrets.current(t0 + MacSecrets.ROTATION_NANOS - 1)).isSameAs(first);
    byte[][] second = secrets.current(t0 + MacSecrets.ROTATION_NANOS);
    assertThat(second).hasNumberOfRows(2);
    assertThat(second[1]).isEqualTo(original);
    assertThat(second[0]).isNotEqualTo(original);
    byte[][] third = secrets.current(t0 + 2 * MacSecrets.ROTATION_NANOS);
    assertThat(third).hasNumberOfRows(2);
    assertThat(third[0]).isNotEqualTo(original);
    assertThat(third[1]).isNotEqualTo(original);
  }
}
