package io.peerrelay.relay.protocol;

import java.util.Arrays;
import java.util.HexFormat;

/**
 * The one shape of every 32-byte Curve25519 key the relay handles (disco, node and machine keys):
 * text {@code <prefix><64 hex>}, raw bytes read from a packet, and a match against packet bytes
 * that allocates nothing. {@link DiscoPublicKey} and the tailnet's node and machine keys all use
 * it.
 */
public final class KeyText {
  /** Raw key length in bytes. */
  public static final int LENGTH = 32;

  private static final HexFormat HEX = HexFormat.of();

  private KeyText() {}

  /**
   * The raw bytes of {@code <prefix><64 hex>} (either case, surrounding blanks ignored); the error
   * names {@code noun} and the expected form.
   */
  public static byte[] parse(String text, String prefix, String noun) {
    String expected = "expected " + prefix + "<64 hex>";
    if (text == null) {
      throw new IllegalArgumentException(noun + " is missing; " + expected);
    }
    String trimmed = text.strip();
    if (!trimmed.startsWith(prefix) || trimmed.length() != prefix.length() + 2 * LENGTH) {
      throw new IllegalArgumentException("not a " + noun + ": '" + trimmed + "'; " + expected);
    }
    try {
      return HEX.parseHex(trimmed, prefix.length(), trimmed.length());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("not a " + noun + ": '" + trimmed + "'; " + expected, e);
    }
  }

  /** The text form {@code <prefix><64 hex>}. */
  public static String format(String prefix, byte[] raw) {
    return prefix + HEX.formatHex(raw);
  }

  /** Hex of the first {@code bytes} bytes (short forms in logs and listings). */
  public static String hexPrefix(byte[] raw, int bytes) {
    return HEX.formatHex(raw, 0, bytes);
  }

  /** A copy of exactly 32 raw bytes; the error names {@code noun}. */
  public static byte[] exact(byte[] raw32, String noun) {
    if (raw32 == null || raw32.length != LENGTH) {
      throw new IllegalArgumentException("a " + noun + " has exactly 32 bytes");
    }
    return raw32.clone();
  }

  /** A copy of the 32 bytes at {@code offset} of {@code buf}; the error names {@code noun}. */
  public static byte[] read(byte[] buf, int offset, String noun) {
    if (offset < 0 || buf.length - offset < LENGTH) {
      throw new IllegalArgumentException("a " + noun + " has exactly 32 bytes");
    }
    return Arrays.copyOfRange(buf, offset, offset + LENGTH);
  }

  /** True when {@code buf[offset..offset+32]} holds exactly {@code raw} (no allocation). */
  public static boolean matches(byte[] raw, byte[] buf, int offset) {
    if (offset < 0 || buf.length - offset < LENGTH) {
      return false;
    }
    return Arrays.equals(raw, 0, LENGTH, buf, offset, offset + LENGTH);
  }
}
