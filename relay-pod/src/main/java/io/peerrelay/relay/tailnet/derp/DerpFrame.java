package io.peerrelay.relay.tailnet.derp;

import io.peerrelay.relay.protocol.DiscoPrivateKey;
import io.peerrelay.relay.protocol.DiscoPublicKey;
import io.peerrelay.relay.protocol.DiscoSharedKey;
import io.peerrelay.relay.protocol.NonceSource;
import io.peerrelay.relay.tailnet.key.TailnetKey;
import io.peerrelay.relay.tailnet.key.TailnetPrivateKey;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * DERP's frame layer: a 1-byte type, a 4-byte big-endian length, the payload (the protocol of
 * Tailscale's {@code derp} package, version 2). Frames are read into arrays of exactly their length
 * after the length was checked, so a hostile server cannot make the client allocate more than
 * {@link #MAX_FRAME} bytes per frame.
 */
public final class DerpFrame {
  /** Frame types the client sends or understands. */
  public static final byte SERVER_KEY = 0x01;

  public static final byte CLIENT_INFO = 0x02;
  public static final byte SERVER_INFO = 0x03;
  public static final byte SEND_PACKET = 0x04;
  public static final byte RECV_PACKET = 0x05;
  public static final byte KEEP_ALIVE = 0x06;
  public static final byte NOTE_PREFERRED = 0x07;
  public static final byte PEER_GONE = 0x08;
  public static final byte PEER_PRESENT = 0x09;
  public static final byte PING = 0x12;
  public static final byte PONG = 0x13;
  public static final byte HEALTH = 0x14;
  public static final byte RESTARTING = 0x15;

  /** Length of the type and length fields. */
  public static final int HEADER_LENGTH = 5;

  /** The largest packet DERP carries (Tailscale's {@code MaxPacketSize}, 64 KiB). */
  public static final int MAX_PACKET = 64 << 10;

  /** The largest frame accepted from a server: a packet plus its source key. */
  public static final int MAX_FRAME = MAX_PACKET + TailnetKey.LENGTH;

  /** The server key frame's magic, "DERP" and the UTF-8 of U+1F511. */
  static final byte[] MAGIC = {
    0x44, 0x45, 0x52, 0x50, (byte) 0xF0, (byte) 0x9F, (byte) 0x94, (byte) 0x91
  };

  /** The protocol version the client announces (and that Tailscale's clients announce). */
  public static final int PROTOCOL_VERSION = 2;

  /**
   * The client info JSON, field for field what Tailscale's client sends with {@code CanAckPings}
   * (as tailscaled's magicsock sets it): version first, no mesh key, no prober or app name.
   */
  static final byte[] CLIENT_INFO_JSON =
      ("{\"version\":" + PROTOCOL_VERSION + ",\"CanAckPings\":true}")
          .getBytes(StandardCharsets.UTF_8);

  /** One frame as read: its type and payload. */
  public record Frame(byte type, byte[] payload) {}

  private DerpFrame() {}

  /** A whole frame: header and payload. */
  public static byte[] encode(byte type, byte[] payload) {
    byte[] out = new byte[HEADER_LENGTH + payload.length];
    out[0] = type;
    ByteBuffer.wrap(out).putInt(1, payload.length);
    System.arraycopy(payload, 0, out, HEADER_LENGTH, payload.length);
    return out;
  }

  /** A send-packet frame: destination node key, then the packet. */
  public static byte[] sendPacket(TailnetKey dst, byte[] packet) {
    if (packet.length > MAX_PACKET) {
      throw new IllegalArgumentException(
          "DERP packet of " + packet.length + " bytes is over the " + MAX_PACKET + "-byte limit");
    }
    byte[] payload = new byte[TailnetKey.LENGTH + packet.length];
    dst.writeTo(payload, 0);
    System.arraycopy(packet, 0, payload, TailnetKey.LENGTH, packet.length);
    return encode(SEND_PACKET, payload);
  }

  /**
   * The client info frame: our node public key, then a NaCl box (nonce first) of the client info
   * JSON sealed with our node private key to the server's key.
   */
  public static byte[] clientInfo(TailnetPrivateKey nodeKey, byte[] serverKey, NonceSource nonces) {
    DiscoSharedKey box = boxKey(nodeKey, serverKey);
    byte[] sealed = box.seal(CLIENT_INFO_JSON, nonces);
    byte[] payload = new byte[TailnetKey.LENGTH + sealed.length];
    nodeKey.publicKey(TailnetKey.Kind.NODE).writeTo(payload, 0);
    System.arraycopy(sealed, 0, payload, TailnetKey.LENGTH, sealed.length);
    return encode(CLIENT_INFO, payload);
  }

  /** The server's public key from its first frame; throws when that frame is not a greeting. */
  public static byte[] serverKey(Frame f) throws IOException {
    byte[] p = f.payload();
    if (f.type() != SERVER_KEY
        || p.length < MAGIC.length + TailnetKey.LENGTH
        || !Arrays.equals(p, 0, MAGIC.length, MAGIC, 0, MAGIC.length)) {
      throw new IOException(
          "DERP server did not greet with a server key frame (type 0x"
              + Integer.toHexString(f.type() & 0xFF)
              + ", "
              + p.length
              + " bytes): not a DERP server?");
    }
    return Arrays.copyOfRange(p, MAGIC.length, MAGIC.length + TailnetKey.LENGTH);
  }

  /** Opens the server info box (sealed by the server to our key); null when it does not open. */
  public static byte[] openServerInfo(TailnetPrivateKey nodeKey, byte[] serverKey, byte[] box) {
    return boxKey(nodeKey, serverKey).open(box, 0, box.length);
  }

  /** NaCl box keys are X25519 keys whatever they name: node keys seal like disco keys. */
  static DiscoSharedKey boxKey(TailnetPrivateKey nodeKey, byte[] peerKey) {
    return DiscoSharedKey.precompute(
        DiscoPrivateKey.fromRaw(nodeKey.raw()), DiscoPublicKey.fromRaw(peerKey));
  }

  /**
   * Reads one frame whose length is at most {@code limit}; a longer one is an error (the connection
   * is then dropped) rather than an allocation the server chose.
   */
  public static Frame read(DataInputStream in, int limit) throws IOException {
    int type = in.read();
    if (type < 0) {
      throw new EOFException("DERP server closed the connection");
    }
    long len = in.readInt() & 0xFFFFFFFFL;
    if (len > limit) {
      throw new IOException(
          "DERP frame type 0x"
              + Integer.toHexString(type)
              + " announces "
              + len
              + " bytes, over the "
              + limit
              + "-byte limit");
    }
    byte[] payload = new byte[(int) len];
    in.readFully(payload);
    return new Frame((byte) type, payload);
  }

  /** A big-endian uint32 field, as Java's int. */
  static int be32(byte[] b, int o) {
    return ByteBuffer.wrap(b).getInt(o);
  }
}
