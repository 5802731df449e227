package io.peerrelay.relay.protocol;

import java.util.Arrays;
import java.util.HexFormat;

/** A disco (X25519) public key: 32 raw bytes, written as {@code discokey:<64 hex>}. */
public final class DiscoPublicKey implements Comparable<DiscoPublicKey> {
  /** Raw key length in bytes. */
  public static final int LENGTH = 32;

  private static final String PREFIX = "discokey:";
  private static final HexFormat HEX = HexFormat.of();

  private final byte[] raw;
  private final int hash;

  private DiscoPublicKey(byte[] raw) {
    this.raw = raw;
    this.hash = Arrays.hashCode(raw);
  }

  /** Parses {@code discokey:} followed by 64 hex characters (either case). */
  public static DiscoPublicKey parse(String text) {
    if (text == null) {
      throw new IllegalArgumentException("disco public key is missing; expected discokey:<64 hex>");
    }
    String trimmed = text.strip();
    if (!trimmed.startsWith(PREFIX) || trimmed.length() != PREFIX.length() + 2 * LENGTH) {
      throw new IllegalArgumentException(
          "not a disco public key: '" + trimmed + "'; expected discokey:<64 hex>");
    }
    try {
      return new DiscoPublicKey(HEX.parseHex(trimmed, PREFIX.length(), trimmed.length()));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "not a disco public key: '" + trimmed + "'; expected discokey:<64 hex>", e);
    }
  }

  /** Wraps a copy of 32 raw key bytes. */
  public static DiscoPublicKey fromRaw(byte[] raw32) {
    if (raw32 == null || raw32.length != LENGTH) {
      throw new IllegalArgumentException("a disco public key has exactly 32 bytes");
    }
    return new DiscoPublicKey(raw32.clone());
  }

  /** Reads 32 raw key bytes at {@code offset} of {@code buf}. */
  public static DiscoPublicKey fromRaw(byte[] buf, int offset) {
    return new DiscoPublicKey(Arrays.copyOfRange(buf, offset, offset + LENGTH));
  }

  /** A copy of the raw key bytes. */
  public byte[] raw() {
    return raw.clone();
  }

  /** Writes the raw key into {@code out} at {@code offset}. */
  public void writeTo(byte[] out, int offset) {
    System.arraycopy(raw, 0, out, offset, LENGTH);
  }

  /** True when {@code buf[offset..offset+32]} holds exactly this key (no allocation). */
  public boolean matches(byte[] buf, int offset) {
    if (offset < 0 || buf.length - offset < LENGTH) {
      return false;
    }
    return Arrays.equals(raw, 0, LENGTH, buf, offset, offset + LENGTH);
  }

  /** Short form as in Tailscale's session listing: {@code d:} + hex of the first 8 bytes. */
  public String shortString() {
    return "d:" + HEX.formatHex(raw, 0, 8);
  }

  @Override
  public String toString() {
    return PREFIX + HEX.formatHex(raw);
  }

  @Override
  public int compareTo(DiscoPublicKey other) {
    return Arrays.compareUnsigned(raw, other.raw);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof DiscoPublicKey other && Arrays.equals(raw, other.raw);
  }

  @Override
  public int hashCode() {
    return hash;
  }
}
