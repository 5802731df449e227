package io.peerrelay.operator.desired;

import io.peerrelay.operator.observe.DiscoKeys;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.spec.NamedParameterSpec;
import java.security.spec.XECPrivateKeySpec;
import java.security.spec.XECPublicKeySpec;
import javax.crypto.KeyAgreement;

/**
 * Generates the X25519 keys the operator stores for a replica (its disco key pair) with the JDK's
 * XDH; the text forms are {@link DiscoKeys}'.
 */
public final class RelayKeys {

  /** Key length in bytes. */
  public static final int KEY_LENGTH = DiscoKeys.KEY_LENGTH;

  /** The X25519 base point, u = 9: X25519(k, 9) is k's public key. */
  private static final BigInteger BASE_POINT = BigInteger.valueOf(9);

  /** A replica's key pair in text form, as stored in its Secret and shown in status. */
  public record DiscoKeyPair(String privateKey, String publicKey) {
    @Override
    public String toString() {
      return "DiscoKeyPair[publicKey=" + publicKey + "]"; // never log the private key
    }
  }

  private RelayKeys() {}

  /** A fresh disco key pair from a strong random source. */
  public static DiscoKeyPair generateDisco() {
    return generateDisco(new SecureRandom());
  }

  /** A fresh disco key pair from {@code random} (a seam for tests). */
  public static DiscoKeyPair generateDisco(SecureRandom random) {
    byte[] scalar = newPrivateKey(random);
    return new DiscoKeyPair(
        DiscoKeys.printPrivate(scalar), DiscoKeys.printPublic(publicKey(scalar)));
  }

  /** 32 random bytes, clamped: a fresh X25519 private key. */
  public static byte[] newPrivateKey(SecureRandom random) {
    byte[] scalar = new byte[KEY_LENGTH];
    random.nextBytes(scalar);
    clamp(scalar);
    return scalar;
  }

  /**
   * Clamps a scalar as RFC 7748 and Tailscale's key generation do, so the stored bytes are the
   * scalar actually used.
   */
  static void clamp(byte[] scalar) {
    scalar[0] &= (byte) 248;
    scalar[31] &= 127;
    scalar[31] |= 64;
  }

  /** The public key of a 32-byte private key: X25519(private, base point). */
  public static byte[] publicKey(byte[] privateKey) {
    if (privateKey == null || privateKey.length != KEY_LENGTH) {
      throw new IllegalArgumentException("an X25519 key is " + KEY_LENGTH + " bytes");
    }
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
}
