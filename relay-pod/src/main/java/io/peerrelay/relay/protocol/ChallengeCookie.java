package io.peerrelay.relay.protocol;

import java.net.InetSocketAddress;
import org.bouncycastle.crypto.digests.Blake2sDigest;

/**
 * Tailscale's address-bound bind cookie (PROTOCOL.md §3): keyed BLAKE2s-256 over VNI, generation,
 * remote key and the source address with a little-endian port. Matching it lets a client built for
 * Tailscale's relay produce byte-identical challenges in tests; clients only echo it.
 */
public final class ChallengeCookie {
  /** Cookie and secret length. */
  public static final int LENGTH = 32;

  private ChallengeCookie() {}

  /** The MAC input: {@code VNI ‖ Gen ‖ RemoteKey ‖ addr ‖ port(LE)} (46 bytes v4, 58 bytes v6). */
  public static byte[] input(
      int vni, int generation, DiscoPublicKey remoteKey, InetSocketAddress source) {
    byte[] ip = source.getAddress().getAddress();
    byte[] in = new byte[8 + 32 + ip.length + 2];
    DiscoMessage.putBe32(in, 0, vni);
    DiscoMessage.putBe32(in, 4, generation);
    remoteKey.writeTo(in, 8);
    System.arraycopy(ip, 0, in, 40, ip.length);
    int port = source.getPort();
    in[40 + ip.length] = (byte) port;
    in[41 + ip.length] = (byte) (port >>> 8);
    return in;
  }

  /** {@code BLAKE2s-256(key = secret, input(...))}. */
  public static byte[] mac(
      byte[] secret, int vni, int generation, DiscoPublicKey remoteKey, InetSocketAddress source) {
    byte[] in = input(vni, generation, remoteKey, source);
    Blake2sDigest digest = new Blake2sDigest(secret);
    digest.update(in, 0, in.length);
    byte[] out = new byte[LENGTH];
    digest.doFinal(out, 0);
    return out;
  }
}
