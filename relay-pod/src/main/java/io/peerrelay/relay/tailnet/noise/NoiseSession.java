package io.peerrelay.relay.tailnet.noise;

import java.io.ByteArrayOutputStream;

/**
 * An established control-protocol Noise session: the transport keys and their record framing.
 *
 * <p>A record is type 4, a 16-bit big-endian ciphertext length, then the ciphertext; a record is at
 * most 4096 bytes in all, so one carries at most 4077 bytes of plaintext and longer writes are
 * split, as controlbase does. There is no rekey: after 2^64-1 records per direction the session
 * refuses to go on. Not thread-safe; the transport serialises calls per direction.
 */
public final class NoiseSession {
  /** The largest whole record, header included. */
  public static final int MAX_MESSAGE_SIZE = 4096;

  /** The largest ciphertext in one record. */
  public static final int MAX_CIPHERTEXT_SIZE = MAX_MESSAGE_SIZE - ControlHandshake.HEADER_LENGTH;

  /** The largest plaintext in one record. */
  public static final int MAX_PLAINTEXT_SIZE = MAX_CIPHERTEXT_SIZE - NoiseCipher.TAG_LENGTH;

  private final NoiseCipher tx;
  private final NoiseCipher rx;
  private final byte[] handshakeHash;

  NoiseSession(NoiseCipher tx, NoiseCipher rx, byte[] handshakeHash) {
    this.tx = tx;
    this.rx = rx;
    this.handshakeHash = handshakeHash;
  }

  /** The final handshake hash (a channel binding both sides share). */
  public byte[] handshakeHash() {
    return handshakeHash.clone();
  }

  /** Encrypts {@code plain[off..off+len]} into as many records as it needs, back to back. */
  public byte[] seal(byte[] plain, int off, int len) throws NoiseException {
    ByteArrayOutputStream out = new ByteArrayOutputStream(len + 32);
    byte[] record = new byte[MAX_MESSAGE_SIZE];
    int done = 0;
    while (done < len) {
      int chunk = Math.min(MAX_PLAINTEXT_SIZE, len - done);
      int ctLength = chunk + NoiseCipher.TAG_LENGTH;
      record[0] = ControlHandshake.TYPE_RECORD;
      record[1] = (byte) (ctLength >>> 8);
      record[2] = (byte) ctLength;
      tx.seal(plain, off + done, chunk, null, record, ControlHandshake.HEADER_LENGTH);
      out.write(record, 0, ControlHandshake.HEADER_LENGTH + ctLength);
      done += chunk;
    }
    return out.toByteArray();
  }

  /**
   * The whole length of the record starting at {@code offset} (at least 3 bytes there).
   *
   * @throws NoiseException if it is not a record or is longer than a record may be
   */
  public static int recordLength(byte[] buf, int offset) throws NoiseException {
    if (buf[offset] != ControlHandshake.TYPE_RECORD) {
      throw new NoiseException(
          "received message with unexpected type "
              + buf[offset]
              + ", want "
              + ControlHandshake.TYPE_RECORD);
    }
    int length = ((buf[offset + 1] & 0xff) << 8) | (buf[offset + 2] & 0xff);
    if (length > MAX_CIPHERTEXT_SIZE) {
      throw new NoiseException(
          "record of " + (length + 3) + " bytes exceeds the " + MAX_MESSAGE_SIZE + "-byte maximum");
    }
    return ControlHandshake.HEADER_LENGTH + length;
  }

  /** Decrypts one whole record at {@code buf[offset..]} and returns its plaintext. */
  public byte[] open(byte[] buf, int offset) throws NoiseException {
    int total = recordLength(buf, offset);
    if (buf.length - offset < total) {
      throw new NoiseException("record is truncated");
    }
    return rx.open(
        buf, offset + ControlHandshake.HEADER_LENGTH, total - ControlHandshake.HEADER_LENGTH, null);
  }

  NoiseCipher txForTest() {
    return tx;
  }
}
