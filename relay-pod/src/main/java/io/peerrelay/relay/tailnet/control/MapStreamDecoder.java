package io.peerrelay.relay.tailnet.control;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Splits a streamed map-poll body into messages: each is a 4-byte little-endian length, then that
 * many bytes of (uncompressed) JSON. A message larger than the limit ends the stream with an error
 * instead of an allocation of whatever size the length field says.
 */
public final class MapStreamDecoder {
  private final int maxMessage;
  private byte[] buf = new byte[8192];
  private int length;

  /** A decoder that refuses messages larger than {@code maxMessage} bytes. */
  public MapStreamDecoder(int maxMessage) {
    this.maxMessage = maxMessage;
  }

  /** Adds {@code data[off..off+len]} and returns every message it completes, in order. */
  public List<byte[]> feed(byte[] data, int off, int len) throws IOException {
    if (buf.length - length < len) {
      buf = Arrays.copyOf(buf, Math.max(buf.length * 2, length + len));
    }
    System.arraycopy(data, off, buf, length, len);
    length += len;
    List<byte[]> out = new ArrayList<>();
    int pos = 0;
    while (length - pos >= 4) {
      long size =
          (buf[pos] & 0xffL)
              | (buf[pos + 1] & 0xffL) << 8
              | (buf[pos + 2] & 0xffL) << 16
              | (buf[pos + 3] & 0xffL) << 24;
      if (size > maxMessage) {
        throw new IOException(
            "map response of " + size + " bytes is over the " + maxMessage + "-byte limit");
      }
      if (length - pos - 4 < size) {
        break;
      }
      out.add(Arrays.copyOfRange(buf, pos + 4, pos + 4 + (int) size));
      pos += 4 + (int) size;
    }
    System.arraycopy(buf, pos, buf, 0, length - pos);
    length -= pos;
    if (buf.length > 65536 && length < buf.length / 4) {
      buf = Arrays.copyOf(buf, Math.max(8192, length));
    }
    return out;
  }
}
