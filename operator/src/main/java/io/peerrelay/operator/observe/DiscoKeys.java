package io.peerrelay.operator.observe;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.spec.NamedParameterSpec;
import java.security.spec.XECPrivateKeySpec;
import java.security.spec.XECPublicKeySpec;
import java.util.HexFormat;
import javax.crypto.KeyAgreement;

/**
 * Disco (X25519) keys of relay replicas: generation, public-key derivation with the JDK's XDH, and
 * the text forms {@code discoprivkey:<hex>} / {@code discokey:<hex>} Tailscale uses.
 */
public final class DiscoKeys {

  /** Text prefix of a private disco key. */
  public static final String PRIVATE_PREFIX = "discoprivkey:";

  /** Text prefix of a public disco key. */
  public static final String PUBLIC_PREFIX = "discokey:";

  /** Key length in bytes. */
  public static final int KEY_LENGTH = 32;

  private static final HexFormat HEX = HexFormat.of();

  /** The X25519 base point, u = 9: X25519(k, 9) is k's public key. */
  private static final BigInteger BASE_POINT = BigInteger.valueOf(9);

  /** A replica's key pair in text form, as stored in its Secret and shown in status. */
  public record DiscoKeyPair(String privateKey, String publicKey) {
    @Override
    public String toString() {
      return "DiscoKeyPair[publicKey=" + publicKey + "]"; // never log the private key
    }
  }

  private DiscoKeys() {}

  /** A fresh key pair from a strong random source. */
  public static DiscoKeyPair generate() {
    return generate(new SecureRandom());
  }

  /** A fresh key pair from {@code random} (a seam for tests). */
  public static DiscoKeyPair generate(SecureRandom random) {
    byte[] scalar = new byte[KEY_LENGTH];
    random.nextBytes(scalar);
    clamp(scalar);
    return new DiscoKeyPair(printPrivate(scalar), printPublic(publicKey(scalar)));
  }

  /**
   * Clamps a scalar as RFC 7748 and Tailscale's key.NewDisco do, so the stored bytes are the scalar
   * actually used.
   */
  static void clamp(byte[] scalar) {
    scalar[0] &= (byte) 248;
    scalar[31] &= 127;
    scalar[31] |= 64;
  }

  /** The public key of a 32-byte private key: X25519(private, base point). */
  public static byte[] publicKey(byte[] privateKey) {
    checkLength(privateKey);
    try {
      KeyFactory factory = KeyFactory.getInstance("X25519");
      PrivateKey key =
          factory.generatePrivate(new XECPrivateKeySpec(NamedParameterSpec.X25519, privateKey));
      PublicKey base =
          factory.generatePublic(new XECPublicKeySpec(NamedParameterSpec.X25519, BASE_POINT));
      KeyAgreement agreement = KeyAgreement.getInstance("X25519");
      agreement.init(key);
      agreement.doPhase(base, true);
      return agreement.generateSecret();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the JDK has no usable X25519", e);
    }
  }

  /** The {@code discokey:} text of the public key belonging to a {@code discoprivkey:} text. */
  public static String publicKeyText(String privateKeyText) {
    return printPublic(publicKey(parsePrivate(privateKeyText)));
  }

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
