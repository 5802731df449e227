package io.peerrelay.relay.protocol;

import java.security.SecureRandom;

/** Where sealing takes its 24-byte nonces: random in production, fixed in vector tests. */
@FunctionalInterface
public interface NonceSource {
  /** Fills {@code nonce} (24 bytes) with the next nonce. */
  void next(byte[] nonce);

  /** Nonces from a {@link SecureRandom}: XSalsa20's 192-bit nonce makes random nonces safe. */
  static NonceSource random() {
    SecureRandom random = new SecureRandom();
    return random::nextBytes;
  }
}
