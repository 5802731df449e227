package io.peerrelay.relay.core;

import io.peerrelay.relay.protocol.ChallengeCookie;
import java.util.function.Consumer;

/**
 * The cookie keys of PROTOCOL.md §3: at most two, the newest first, rotated lazily every two
 * minutes so a challenge stays valid for two to four minutes without per-challenge state.
 */
final class MacSecrets {
  static final long ROTATION_NANOS = 120_000_000_000L;

  private final Consumer<byte[]> random;
  private byte[][] secrets = new byte[0][];
  private long rotatedAt;

  MacSecrets(Consumer<byte[]> random) {
    this.random = random;
  }

  /** The current secrets, newest first, rotating first if due. */
  synchronized byte[][] current(long now) {
    if (secrets.length == 0 || now - rotatedAt >= ROTATION_NANOS) {
      byte[] fresh = new byte[ChallengeCookie.LENGTH];
      random.accept(fresh);
      secrets = secrets.length == 0 ? new byte[][] {fresh} : new byte[][] {fresh, secrets[0]};
      rotatedAt = now;
    }
    return secrets;
  }
}
