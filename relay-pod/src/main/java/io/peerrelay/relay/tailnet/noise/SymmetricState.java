package io.peerrelay.relay.tailnet.noise;

import io.peerrelay.relay.tailnet.key.TailnetPrivateKey;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import org.bouncycastle.crypto.digests.Blake2sDigest;
import org.bouncycastle.crypto.generators.HKDFBytesGenerator;
import org.bouncycastle.crypto.params.HKDFParameters;

/**
 * Noise's symmetric state for Noise_IK_25519_ChaChaPoly_BLAKE2s: the running handshake hash h and
 * the chaining key ck. Each handshake cipher key is used for exactly one message (nonce 0), as the
 * IK pattern does with a fresh key after every DH.
 */
final class SymmetricState {
  static final String PROTOCOL_NAME = "Noise_IK_25519_ChaChaPoly_BLAKE2s";
  private static final int HASH_LENGTH = 32;

  private byte[] h;
  private byte[] ck;

  SymmetricState() {
    h = blake2s(PROTOCOL_NAME.getBytes(StandardCharsets.US_ASCII));
    ck = h.clone();
  }

  void mixHash(byte[] data) {
    Blake2sDigest digest = new Blake2sDigest();
    digest.update(h, 0, h.length);
    digest.update(data, 0, data.length);
    h = new byte[HASH_LENGTH];
    digest.doFinal(h, 0);
  }

  /** Mixes X25519(priv, pub) into ck and returns the next single-use cipher key. */
  NoiseCipher mixDh(TailnetPrivateKey priv, byte[] pub32) throws NoiseException {
    byte[] shared = priv.sharedSecret(pub32);
    if (MessageDigest.isEqual(shared, new byte[32])) {
      // X25519 with a low-order point: the Go side fails here too (curve25519.X25519 errors).
      throw new NoiseException("peer sent a low-order Curve25519 key");
    }
    byte[] out = hkdf(shared, 64);
    ck = java.util.Arrays.copyOfRange(out, 0, 32);
    return new NoiseCipher(java.util.Arrays.copyOfRange(out, 32, 64));
  }

  byte[] encryptAndHash(NoiseCipher cipher, byte[] plain) throws NoiseException {
    byte[] out = new byte[plain.length + NoiseCipher.TAG_LENGTH];
    cipher.seal(plain, 0, plain.length, h, out, 0);
    mixHash(out);
    return out;
  }

  byte[] decryptAndHash(NoiseCipher cipher, byte[] ct) throws NoiseException {
    byte[] plain = cipher.open(ct, 0, ct.length, h);
    mixHash(ct);
    return plain;
  }

  /** The two transport keys: initiator-to-responder first. */
  NoiseCipher[] split() {
    byte[] out = hkdf(new byte[0], 64);
    return new NoiseCipher[] {
      new NoiseCipher(java.util.Arrays.copyOfRange(out, 0, 32)),
      new NoiseCipher(java.util.Arrays.copyOfRange(out, 32, 64))
    };
  }

  byte[] handshakeHash() {
    return h.clone();
  }

  private byte[] hkdf(byte[] inputKey, int length) {
    HKDFBytesGenerator generator = new HKDFBytesGenerator(new Blake2sDigest());
    generator.init(new HKDFParameters(inputKey, ck, new byte[0]));
    byte[] out = new byte[length];
    generator.generateBytes(out, 0, length);
    return out;
  }

  private static byte[] blake2s(byte[] data) {
    Blake2sDigest digest = new Blake2sDigest();
    digest.update(data, 0, data.length);
    byte[] out = new byte[HASH_LENGTH];
    digest.doFinal(out, 0);
    return out;
  }
}
