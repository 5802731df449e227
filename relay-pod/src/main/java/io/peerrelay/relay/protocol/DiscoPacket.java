package io.peerrelay.relay.protocol;

/**
 * The outer disco packet (PROTOCOL.md §2): magic, sender key, then a sealed box. On the relay port
 * it follows the 8-byte Geneve header.
 */
public final class DiscoPacket {
  /** "TS" followed by the UTF-8 of U+1F4AC. */
  private static final byte[] MAGIC = {
    0x54, 0x53, (byte) 0xF0, (byte) 0x9F, (byte) 0x92, (byte) 0xAC
  };

  /** The magic's first byte ('T'): a cheap test before {@link #looksLikeDisco}. */
  public static final byte MAGIC_FIRST_BYTE = 0x54;

  /** Offset of the sender key. */
  public static final int SENDER_OFFSET = 6;

  /** Offset of the box (nonce first). */
  public static final int BOX_OFFSET = SENDER_OFFSET + DiscoPublicKey.LENGTH;

  /** The smallest well-formed wrapper: magic, key and nonce. */
  public static final int MIN_LENGTH = BOX_OFFSET + DiscoSharedKey.NONCE_LENGTH;

  /** Bytes added around the plaintext: magic, key, nonce, tag. */
  public static final int OVERHEAD = BOX_OFFSET + DiscoSharedKey.OVERHEAD;

  private DiscoPacket() {}

  /** Tailscale's {@code LooksLikeDiscoWrapper}: at least 62 bytes that start with the magic. */
  public static boolean looksLikeDisco(byte[] b, int off, int len) {
    if (len < MIN_LENGTH || b.length - off < len) {
      return false;
    }
    for (int i = 0; i < MAGIC.length; i++) {
      if (b[off + i] != MAGIC[i]) {
        return false;
      }
    }
    return true;
  }

  /** Seals {@code plain} from {@code sender} and frames it: magic ‖ sender ‖ nonce ‖ tag ‖ ct. */
  public static byte[] seal(
      DiscoPublicKey sender, DiscoSharedKey key, byte[] plain, NonceSource nonces) {
    byte[] out = new byte[OVERHEAD + plain.length];
    writeSealed(sender, key, plain, nonces, out, 0);
    return out;
  }

  /** Like {@link #seal} but behind a Geneve header, as packets on the relay port are. */
  public static byte[] sealWithGeneve(
      Geneve header, DiscoPublicKey sender, DiscoSharedKey key, byte[] plain, NonceSource nonces) {
    byte[] out = new byte[Geneve.LENGTH + OVERHEAD + plain.length];
    header.encode(out, 0);
    writeSealed(sender, key, plain, nonces, out, Geneve.LENGTH);
    return out;
  }

  private static void writeSealed(
      DiscoPublicKey sender,
      DiscoSharedKey key,
      byte[] plain,
      NonceSource nonces,
      byte[] out,
      int off) {
    System.arraycopy(MAGIC, 0, out, off, MAGIC.length);
    sender.writeTo(out, off + SENDER_OFFSET);
    byte[] nonce = new byte[DiscoSharedKey.NONCE_LENGTH];
    nonces.next(nonce);
    key.sealInto(plain, 0, plain.length, nonce, out, off + BOX_OFFSET);
  }

  /** The sender key of a packet that {@link #looksLikeDisco}. */
  public static DiscoPublicKey sender(byte[] b, int off) {
    return DiscoPublicKey.fromRaw(b, off + SENDER_OFFSET);
  }

  /** Opens the box of a packet that {@link #looksLikeDisco}; null if it does not verify. */
  public static byte[] open(DiscoSharedKey key, byte[] b, int off, int len) {
    return key.open(b, off + BOX_OFFSET, len - BOX_OFFSET);
  }
}
