package io.peerrelay.relay.protocol;

import java.security.SecureRandom;
import java.util.HexFormat;
import org.bouncycastle.math.ec.rfc7748.X25519;

/** A disco (X25519) private key, written as {@code discoprivkey:<64 hex>}. */
public final class DiscoPrivateKey {
  /** Raw key length in bytes. */
  public static final int LENGTH = 32;

  private static final String PREFIX = "discoprivkey:";
  private static final HexFormat HEX = HexFormat.of();
  private static final SecureRandom RANDOM = new SecureRandom();

  private final byte[] raw;
  private final DiscoPublicKey publicKey;

  private DiscoPrivateKey(byte[] raw) {
    this.raw = raw;
    byte[] pub = new byte[LENGTH];
    X25519.scalarMultBase(raw, 0, pub, 0);
    this.publicKey = DiscoPublicKey.fromRaw(pub);
  }

  /** A fresh random key, clamped as X25519 keys are on generation. */
  public static DiscoPrivateKey generate() {
    byte[] raw = new byte[LENGTH];
    RANDOM.nextBytes(raw);
    raw[0] &= (byte) 248;
    raw[31] &= 127;
    raw[31] |= 64;
    return new DiscoPrivateKey(raw);
  }

  /** Parses {@code discoprivkey:<64 hex>}; surrounding whitespace and a newline are allowed. */
  public static DiscoPrivateKey parse(String text) {
    if (text == null) {
      throw new IllegalArgumentException(
          "disco private key is missing; expected discoprivkey:<64 hex>");
    }
    String trimmed = text.strip();
    if (!trimmed.startsWith(PREFIX) || trimmed.length() != PREFIX.length() + 2 * LENGTH) {
      throw new IllegalArgumentException(
          "not a disco private key; expected one line discoprivkey:<64 hex>");
    }
    try {
      return new DiscoPrivateKey(HEX.parseHex(trimmed, PREFIX.length(), trimmed.length()));
    } catch (IllegalArgumentException e) {
      // The message deliberately leaves out the text: it is secret material.
      throw new IllegalArgumentException(
          "not a disco private key; expected one line discoprivkey:<64 hex>", e);
    }
  }

  /** Wraps a copy of 32 raw bytes (used as given, as Go's DiscoPrivateFromRaw32 does). */
  public static DiscoPrivateKey fromRaw(byte[] raw32) {
    if (raw32 == null || raw32.length != LENGTH) {
      throw new IllegalArgumentException("a disco private key has exactly 32 bytes");
    }
    return new DiscoPrivateKey(raw32.clone());
  }

  /** The matching public key, X25519(priv, 9). */
  public DiscoPublicKey publicKey() {
    return publicKey;
  }

  /** The key's text form, {@code discoprivkey:<64 hex>}. */
  public String toText() {
    return PREFIX + HEX.formatHex(raw);
  }

  /** The raw X25519 shared secret with {@code peer} (all zero for low-order points). */
  public byte[] sharedSecret(DiscoPublicKey peer) {
    byte[] out = new byte[LENGTH];
    X25519.scalarMult(raw, 0, peer.raw(), 0, out, 0);
    return out;
  }

  /** Never prints the secret. */
  @Override
  public String toString() {
    return "DiscoPrivateKey(" + publicKey.shortString() + ")";
  }
}
