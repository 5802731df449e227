package io.peerrelay.relay.protocol;

import java.util.Arrays;

/** A disco (X25519) public key: 32 raw bytes, written as {@code discokey:<64 hex>}. */
public final class DiscoPublicKey implements Comparable<DiscoPublicKey> {
  /** Raw key length in bytes. */
  public static final int LENGTH = KeyText.LENGTH;

  private static final String PREFIX = "discokey:";
  private static final String NOUN = "disco public key";

  private final byte[] raw;
  private final int hash;

  private DiscoPublicKey(byte[] raw) {
    this.raw = raw;
    this.hash = Arrays.hashCode(raw);
  }

  /** Parses {@code discokey:} followed by 64 hex characters (either case). */
  public static DiscoPublicKey parse(String text) {
    return new DiscoPublicKey(KeyText.parse(text, PREFIX, NOUN));
  }

  /** Wraps a copy of 32 raw key bytes. */
  public static DiscoPublicKey fromRaw(byte[] raw32) {
    return new DiscoPublicKey(KeyText.exact(raw32, NOUN));
  }

  /** Reads 32 raw key bytes at {@code offset} of {@code buf}. */
  public static DiscoPublicKey fromRaw(byte[] buf, int offset) {
    return new DiscoPublicKey(KeyText.read(buf, offset, NOUN));
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
    return KeyText.matches(raw, buf, offset);
  }

  /** Short form as in Tailscale's session listing: {@code d:} + hex of the first 8 bytes. */
  public String shortString() {
    return "d:" + KeyText.hexPrefix(raw, 8);
  }

  @Override
  public String toString() {
    return KeyText.format(PREFIX, raw);
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
