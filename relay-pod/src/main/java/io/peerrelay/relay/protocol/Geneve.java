package io.peerrelay.relay.protocol;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The 8-byte Geneve fixed header as Tailscale uses it (PROTOCOL.md §1). Decoding is as lenient as
 * the relay server's (opt-len, C bit and reserved bits ignored); encoding is strict (version ≤ 3,
 * reserved zero), because clients reject headers with reserved bits set.
 *
 * @param version 2-bit version, always 0 in practice
 * @param control the "O" bit: set on bind handshake messages that end at the relay
 * @param protocol the Ethertype-like protocol field
 * @param vni the 24-bit virtual network identifier
 */
public record Geneve(int version, boolean control, int protocol, int vni) {
  /** Header length; the payload always starts here. */
  public static final int LENGTH = 8;

  /** Protocol of disco messages. */
  public static final int PROTOCOL_DISCO = 0x7A11;

  /** Protocol of WireGuard messages. */
  public static final int PROTOCOL_WIREGUARD = 0x7A12;

  /** Largest VNI; VNI 0 is never a session. */
  public static final int MAX_VNI = (1 << 24) - 1;

  /** Validates the fields the encoder would otherwise have to truncate. */
  public Geneve {
    if (version < 0 || version > 3) {
      throw new IllegalArgumentException("Geneve version must be 0..3, got " + version);
    }
    if (protocol < 0 || protocol > 0xFFFF) {
      throw new IllegalArgumentException("Geneve protocol must fit 16 bits");
    }
    // Go's VirtualNetworkID.Set keeps only the low 24 bits.
    vni &= MAX_VNI;
  }

  /** A version-0 control header for disco, as the relay writes on challenges. */
  public static Geneve discoControl(int vni) {
    return new Geneve(0, true, PROTOCOL_DISCO, vni);
  }

  /** A version-0 data header for {@code protocol}. */
  public static Geneve data(int protocol, int vni) {
    return new Geneve(0, false, protocol, vni);
  }

  /** Decodes leniently, as Tailscale's server does; {@code len} must be at least 8. */
  public static Geneve decode(byte[] b, int off, int len) {
    if (len < LENGTH || b.length - off < LENGTH) {
      throw new IllegalArgumentException("Geneve header needs 8 bytes, got " + len);
    }
    int version = (b[off] & 0xFF) >>> 6;
    boolean control = (b[off + 1] & 0x80) != 0;
    int protocol = ((b[off + 2] & 0xFF) << 8) | (b[off + 3] & 0xFF);
    return new Geneve(version, control, protocol, vniAt(b, off));
  }

  /** Writes the 8 header bytes at {@code off}: opt-len, C bit and reserved fields zero. */
  public void encode(byte[] out, int off) {
    out[off] = (byte) (version << 6);
    out[off + 1] = (byte) (control ? 0x80 : 0);
    out[off + 2] = (byte) (protocol >>> 8);
    out[off + 3] = (byte) protocol;
    out[off + 4] = (byte) (vni >>> 16);
    out[off + 5] = (byte) (vni >>> 8);
    out[off + 6] = (byte) vni;
    out[off + 7] = 0;
  }

  /** The header as a fresh 8-byte array. */
  public byte[] encode() {
    byte[] out = new byte[LENGTH];
    encode(out, 0);
    return out;
  }

  /** VNI of a header at {@code off}, without decoding the rest (forwarding path). */
  public static int vniAt(byte[] b, int off) {
    return ((b[off + 4] & 0xFF) << 16) | ((b[off + 5] & 0xFF) << 8) | (b[off + 6] & 0xFF);
  }

  /**
   * VNI of a header at absolute index {@code at} of a buffer (forwarding path, no copy): one 4-byte
   * read of VNI and reserved byte, whatever the buffer's byte order. The header's 8 bytes must be
   * in the buffer.
   */
  public static int vniAt(ByteBuffer b, int at) {
    int word = b.getInt(at + 4);
    if (b.order() != ByteOrder.BIG_ENDIAN) {
      word = Integer.reverseBytes(word);
    }
    return word >>> 8;
  }

  /** Control bit of a header at absolute index {@code at}. */
  public static boolean controlAt(ByteBuffer b, int at) {
    return (b.get(at + 1) & 0x80) != 0;
  }

  /** Protocol field of a header at absolute index {@code at}. */
  public static int protocolAt(ByteBuffer b, int at) {
    return ((b.get(at + 2) & 0xFF) << 8) | (b.get(at + 3) & 0xFF);
  }
}
