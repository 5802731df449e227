package io.peerrelay.relay.tailnet.key;

import java.security.SecureRandom;
import java.util.HexFormat;
import org.bouncycastle.math.ec.rfc7748.X25519;

/**
 * A Curve25519 private key as Tailscale writes node and machine private keys: {@code privkey:<64
 * hex>}. The same class serves both kinds; the public half is asked for by kind.
 */
public final class TailnetPrivateKey {
  /** Raw key length in bytes. */
  public static final int LENGTH = 32;

  private static final String PREFIX = "privkey:";
  private static final String EXPECTED = "expected one line privkey:<64 hex>";
  private static final HexFormat HEX = HexFormat.of();
  private static final SecureRandom RANDOM = new SecureRandom();

  private final byte[] raw;
  private final byte[] publicRaw = new byte[LENGTH];

  private TailnetPrivateKey(byte[] raw) {
    this.raw = raw;
    X25519.scalarMultBase(raw, 0, publicRaw, 0);
  }

  /** A fresh random key, clamped as X25519 keys are on generation. */
  public static TailnetPrivateKey generate() {
    byte[] raw = new byte[LENGTH];
    RANDOM.nextBytes(raw);
    raw[0] &= (byte) 248;
    raw[31] &= 127;
    raw[31] |= 64;
    return new TailnetPrivateKey(raw);
  }

  /** Parses {@code privkey:<64 hex>}; surrounding whitespace and a newline are allowed. */
  public static TailnetPrivateKey parse(String text) {
    if (text == null) {
      throw new IllegalArgumentException("private key is missing; " + EXPECTED);
    }
    String trimmed = text.strip();
    if (!trimmed.startsWith(PREFIX) || trimmed.length() != PREFIX.length() + 2 * LENGTH) {
      throw new IllegalArgumentException("not a private key; " + EXPECTED);
    }
    try {
      return new TailnetPrivateKey(HEX.parseHex(trimmed, PREFIX.length(), trimmed.length()));
    } catch (IllegalArgumentException e) {
      // The message leaves out the text on purpose: it is secret material.
      throw new IllegalArgumentException("not a private key; " + EXPECTED, e);
    }
  }

  /** Wraps a copy of 32 raw bytes, used as given. */
  public static TailnetPrivateKey fromRaw(byte[] raw32) {
    if (raw32 == null || raw32.length != LENGTH) {
      throw new IllegalArgumentException("a private key has exactly 32 bytes");
    }
    return new TailnetPrivateKey(raw32.clone());
  }

  /** The matching public key, X25519(priv, 9), labelled {@code kind}. */
  public TailnetKey publicKey(TailnetKey.Kind kind) {
    return TailnetKey.fromRaw(kind, publicRaw);
  }

  /** A copy of the raw private bytes (for the Noise and NaCl box code). */
  public byte[] raw() {
    return raw.clone();
  }

  /** The raw X25519 shared secret with {@code peerRaw32} (all zero for low-order points). */
  public byte[] sharedSecret(byte[] peerRaw32) {
    byte[] out = new byte[LENGTH];
    X25519.scalarMult(raw, 0, peerRaw32, 0, out, 0);
    return out;
  }

  /** The key's text form, {@code privkey:<64 hex>}. */
  public String toText() {
    return PREFIX + HEX.formatHex(raw);
  }

  /** Never prints the secret. */
  @Override
  public String toString() {
    return "TailnetPrivateKey(" + HEX.formatHex(publicRaw, 0, 4) + ")";
  }
}
