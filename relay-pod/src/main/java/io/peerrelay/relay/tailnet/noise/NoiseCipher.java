package io.peerrelay.relay.tailnet.noise;

import org.bouncycastle.crypto.InvalidCipherTextException;
import org.bouncycastle.crypto.modes.ChaCha20Poly1305;
import org.bouncycastle.crypto.params.AEADParameters;
import org.bouncycastle.crypto.params.KeyParameter;

/**
 * ChaCha20-Poly1305 with Noise's counter nonce: 4 zero bytes then a 64-bit big-endian counter, one
 * nonce per message. The counter value 2^64-1 is never used (Noise reserves it), after which the
 * cipher refuses to work: controlbase has no rekey, so the connection must be replaced.
 */
final class NoiseCipher {
  static final int TAG_LENGTH = 16;
  private static final long INVALID_NONCE = -1L;

  private final KeyParameter key;
  private final ChaCha20Poly1305 aead = new ChaCha20Poly1305();
  private long counter;

  NoiseCipher(byte[] key32) {
    this.key = new KeyParameter(key32.clone());
  }

  /** Encrypts {@code plain[off..off+len]} with {@code ad} into {@code out} at {@code outOff}. */
  int seal(byte[] plain, int off, int len, byte[] ad, byte[] out, int outOff)
      throws NoiseException {
    aead.init(true, new AEADParameters(key, TAG_LENGTH * 8, nextNonce(), ad));
    int n = aead.processBytes(plain, off, len, out, outOff);
    try {
      return n + aead.doFinal(out, outOff + n);
    } catch (InvalidCipherTextException e) {
      throw new NoiseException("encryption failed", e);
    }
  }

  /** Decrypts and authenticates {@code ct[off..off+len]}; the plaintext is 16 bytes shorter. */
  byte[] open(byte[] ct, int off, int len, byte[] ad) throws NoiseException {
    if (len < TAG_LENGTH) {
      throw new NoiseException("ciphertext of " + len + " bytes is shorter than its tag");
    }
    aead.init(false, new AEADParameters(key, TAG_LENGTH * 8, nextNonce(), ad));
    byte[] out = new byte[len - TAG_LENGTH];
    int n = aead.processBytes(ct, off, len, out, 0);
    try {
      aead.doFinal(out, n);
    } catch (InvalidCipherTextException e) {
      throw new NoiseException("message failed authentication (corrupt or out of order)", e);
    }
    return out;
  }

  private byte[] nextNonce() throws NoiseException {
    if (counter == INVALID_NONCE) {
      throw new NoiseException("cipher exhausted: no nonces left for this key; reconnect");
    }
    byte[] nonce = new byte[12];
    long c = counter++;
    for (int i = 11; i >= 4; i--) {
      nonce[i] = (byte) c;
      c >>>= 8;
    }
    return nonce;
  }

  /** For tests: jump the counter, to reach exhaustion without 2^64 messages. */
  void setCounterForTest(long value) {
    counter = value;
  }
}
