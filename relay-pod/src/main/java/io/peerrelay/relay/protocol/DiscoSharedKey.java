package io.peerrelay.relay.protocol;

import java.security.MessageDigest;
import java.util.Arrays;
import org.bouncycastle.crypto.engines.XSalsa20Engine;
import org.bouncycastle.crypto.macs.Poly1305;
import org.bouncycastle.crypto.params.KeyParameter;
import org.bouncycastle.crypto.params.ParametersWithIV;

/**
 * A precomputed NaCl box key ({@code crypto_box_beforenm}) and the secretbox built on it: exactly
 * what Tailscale's {@code DiscoShared} seals and opens (PROTOCOL.md §2).
 */
public final class DiscoSharedKey {
  /** Nonce length of XSalsa20. */
  public static final int NONCE_LENGTH = 24;

  /** Poly1305 tag length. */
  public static final int TAG_LENGTH = 16;

  /** Bytes a sealed box adds to its plaintext: nonce and tag. */
  public static final int OVERHEAD = NONCE_LENGTH + TAG_LENGTH;

  private static final int[] SIGMA = {0x61707865, 0x3320646e, 0x79622d32, 0x6b206574};

  private final byte[] key;

  private DiscoSharedKey(byte[] key) {
    this.key = key;
  }

  /** {@code HSalsa20(X25519(mine, peer), 0^16)}; symmetric in the two parties. */
  public static DiscoSharedKey precompute(DiscoPrivateKey mine, DiscoPublicKey peer) {
    byte[] shared = mine.sharedSecret(peer);
    byte[] k = new byte[32];
    hsalsa20(k, shared, new byte[16], 0);
    return new DiscoSharedKey(k);
  }

  /** Wraps an already computed 32-byte box key. */
  public static DiscoSharedKey fromRaw(byte[] key32) {
    if (key32.length != 32) {
      throw new IllegalArgumentException("a box key has 32 bytes");
    }
    return new DiscoSharedKey(key32.clone());
  }

  /** A copy of the 32-byte box key. */
  public byte[] raw() {
    return key.clone();
  }

  /** Seals into {@code nonce ‖ tag ‖ ciphertext} with a nonce from {@code nonces}. */
  public byte[] seal(byte[] plain, NonceSource nonces) {
    byte[] out = new byte[OVERHEAD + plain.length];
    byte[] nonce = new byte[NONCE_LENGTH];
    nonces.next(nonce);
    sealInto(plain, 0, plain.length, nonce, out, 0);
    return out;
  }

  /** Seals {@code plain[off..off+len]} with {@code nonce}, writing {@code 40 + len} bytes. */
  public void sealInto(byte[] plain, int off, int len, byte[] nonce, byte[] out, int outOff) {
    XSalsa20Engine salsa = new XSalsa20Engine();
    salsa.init(true, new ParametersWithIV(new KeyParameter(key), nonce));
    byte[] polyKey = new byte[32];
    salsa.processBytes(polyKey, 0, 32, polyKey, 0);
    int ct = outOff + OVERHEAD;
    salsa.processBytes(plain, off, len, out, ct);
    System.arraycopy(nonce, 0, out, outOff, NONCE_LENGTH);
    Poly1305 mac = new Poly1305();
    mac.init(new KeyParameter(polyKey));
    mac.update(out, ct, len);
    mac.doFinal(out, outOff + NONCE_LENGTH);
  }

  /**
   * Opens {@code nonce ‖ tag ‖ ciphertext} at {@code box[off..off+len]}; null when it is too short
   * or the tag does not verify (callers drop silently, as Tailscale does).
   */
  public byte[] open(byte[] box, int off, int len) {
    if (len < OVERHEAD) {
      return null;
    }
    XSalsa20Engine salsa = new XSalsa20Engine();
    salsa.init(
        false,
        new ParametersWithIV(
            new KeyParameter(key), Arrays.copyOfRange(box, off, off + NONCE_LENGTH)));
    byte[] polyKey = new byte[32];
    salsa.processBytes(polyKey, 0, 32, polyKey, 0);
    int ct = off + OVERHEAD;
    int ctLen = len - OVERHEAD;
    Poly1305 mac = new Poly1305();
    mac.init(new KeyParameter(polyKey));
    mac.update(box, ct, ctLen);
    byte[] tag = new byte[TAG_LENGTH];
    mac.doFinal(tag, 0);
    if (!MessageDigest.isEqual(
        tag, Arrays.copyOfRange(box, off + NONCE_LENGTH, off + NONCE_LENGTH + TAG_LENGTH))) {
      return null;
    }
    byte[] plain = new byte[ctLen];
    salsa.processBytes(box, ct, ctLen, plain, 0);
    return plain;
  }

  /**
   * HSalsa20: the Salsa20/20 core over {@code [σ0, k0..3, σ1, in0..3, σ2, k4..7, σ3]} without the
   * final addition, output words 0, 5, 10, 15, 6, 7, 8, 9.
   */
  static void hsalsa20(byte[] out, byte[] key, byte[] in, int inOff) {
    int x0 = SIGMA[0];
    int x1 = le(key, 0);
    int x2 = le(key, 4);
    int x3 = le(key, 8);
    int x4 = le(key, 12);
    int x5 = SIGMA[1];
    int x6 = le(in, inOff);
    int x7 = le(in, inOff + 4);
    int x8 = le(in, inOff + 8);
    int x9 = le(in, inOff + 12);
    int x10 = SIGMA[2];
    int x11 = le(key, 16);
    int x12 = le(key, 20);
    int x13 = le(key, 24);
    int x14 = le(key, 28);
    int x15 = SIGMA[3];
    for (int i = 0; i < 10; i++) {
      x4 ^= Integer.rotateLeft(x0 + x12, 7);
      x8 ^= Integer.rotateLeft(x4 + x0, 9);
      x12 ^= Integer.rotateLeft(x8 + x4, 13);
      x0 ^= Integer.rotateLeft(x12 + x8, 18);
      x9 ^= Integer.rotateLeft(x5 + x1, 7);
      x13 ^= Integer.rotateLeft(x9 + x5, 9);
      x1 ^= Integer.rotateLeft(x13 + x9, 13);
      x5 ^= Integer.rotateLeft(x1 + x13, 18);
      x14 ^= Integer.rotateLeft(x10 + x6, 7);
      x2 ^= Integer.rotateLeft(x14 + x10, 9);
      x6 ^= Integer.rotateLeft(x2 + x14, 13);
      x10 ^= Integer.rotateLeft(x6 + x2, 18);
      x3 ^= Integer.rotateLeft(x15 + x11, 7);
      x7 ^= Integer.rotateLeft(x3 + x15, 9);
      x11 ^= Integer.rotateLeft(x7 + x3, 13);
      x15 ^= Integer.rotateLeft(x11 + x7, 18);
      x1 ^= Integer.rotateLeft(x0 + x3, 7);
      x2 ^= Integer.rotateLeft(x1 + x0, 9);
      x3 ^= Integer.rotateLeft(x2 + x1, 13);
      x0 ^= Integer.rotateLeft(x3 + x2, 18);
      x6 ^= Integer.rotateLeft(x5 + x4, 7);
      x7 ^= Integer.rotateLeft(x6 + x5, 9);
      x4 ^= Integer.rotateLeft(x7 + x6, 13);
      x5 ^= Integer.rotateLeft(x4 + x7, 18);
      x11 ^= Integer.rotateLeft(x10 + x9, 7);
      x8 ^= Integer.rotateLeft(x11 + x10, 9);
      x9 ^= Integer.rotateLeft(x8 + x11, 13);
      x10 ^= Integer.rotateLeft(x9 + x8, 18);
      x12 ^= Integer.rotateLeft(x15 + x14, 7);
      x13 ^= Integer.rotateLeft(x12 + x15, 9);
      x14 ^= Integer.rotateLeft(x13 + x12, 13);
      x15 ^= Integer.rotateLeft(x14 + x13, 18);
    }
    putLe(out, 0, x0);
    putLe(out, 4, x5);
    putLe(out, 8, x10);
    putLe(out, 12, x15);
    putLe(out, 16, x6);
    putLe(out, 20, x7);
    putLe(out, 24, x8);
    putLe(out, 28, x9);
  }

  private static int le(byte[] b, int o) {
    return (b[o] & 0xFF)
        | (b[o + 1] & 0xFF) << 8
        | (b[o + 2] & 0xFF) << 16
        | (b[o + 3] & 0xFF) << 24;
  }

  private static void putLe(byte[] b, int o, int v) {
    b[o] = (byte) v;
    b[o + 1] = (byte) (v >>> 8);
    b[o + 2] = (byte) (v >>> 16);
    b[o + 3] = (byte) (v >>> 24);
  }
}
