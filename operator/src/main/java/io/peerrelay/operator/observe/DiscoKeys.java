package io.peerrelay.operator.observe;

import java.util.HexFormat;
import java.util.Locale;

/**
 * The text forms of disco (X25519) keys Tailscale uses, {@code discoprivkey:<hex>} and {@code
 * discokey:<hex>}: the one place the operator reads and writes them (generation is in
 * desired/RelayKeys).
 */
public final class DiscoKeys {

  /** Text prefix of a private disco key. */
  public static final String PRIVATE_PREFIX = "discoprivkey:";

  /** Text prefix of a public disco key. */
  public static final String PUBLIC_PREFIX = "discokey:";

  /** Key length in bytes. */
  public static final int KEY_LENGTH = 32;

  private static final HexFormat HEX = HexFormat.of();

  private DiscoKeys() {}

  /** Parses {@code discoprivkey:<64 hex>}. */
  public static byte[] parsePrivate(String text) {
    return parse(text, PRIVATE_PREFIX);
  }

  /** Parses {@code discokey:<64 hex>}. */
  public static byte[] parsePublic(String text) {
    return parse(text, PUBLIC_PREFIX);
  }

  /** Prints {@code discoprivkey:<lowercase hex>}. */
  public static String printPrivate(byte[] key) {
    checkLength(key);
    return PRIVATE_PREFIX + HEX.formatHex(key);
  }

  /** Prints {@code discokey:<lowercase hex>}. */
  public static String printPublic(byte[] key) {
    checkLength(key);
    return PUBLIC_PREFIX + HEX.formatHex(key);
  }

  /** Whether {@code text} is a well-formed public disco key. */
  public static boolean isPublicKey(String text) {
    try {
      parsePublic(text);
      return true;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  /**
   * Whether {@code text} is a public disco key in the form the CRD and the relay accept: {@code
   * discokey:} and 64 lowercase hex digits.
   */
  public static boolean isCanonicalPublicKey(String text) {
    return isPublicKey(text) && text.equals(text.toLowerCase(Locale.ROOT));
  }

  private static byte[] parse(String text, String prefix) {
    if (text == null
        || !text.startsWith(prefix)
        || text.length() != prefix.length() + 2 * KEY_LENGTH) {
      throw new IllegalArgumentException("expected " + prefix + "<64 hex digits>");
    }
    try {
      return HEX.parseHex(text, prefix.length(), text.length());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("expected " + prefix + "<64 hex digits>", e);
    }
  }

  private static void checkLength(byte[] key) {
    if (key == null || key.length != KEY_LENGTH) {
      throw new IllegalArgumentException("a disco key is " + KEY_LENGTH + " bytes");
    }
  }
}
