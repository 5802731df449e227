package io.peerrelay.relay.protocol;

import java.time.Duration;

/** Go's {@code time.Duration} on the wire: signed nanoseconds as a big-endian 64-bit integer. */
public final class WireDuration {
  private WireDuration() {}

  /** Writes {@code d} in nanoseconds at {@code off}. */
  public static void write(Duration d, byte[] out, int off) {
    putLong(out, off, d.toNanos());
  }

  /** Reads 8 bytes of nanoseconds at {@code off}. */
  public static Duration read(byte[] in, int off) {
    return Duration.ofNanos(getLong(in, off));
  }

  static void putLong(byte[] out, int off, long v) {
    for (int i = 7; i >= 0; i--) {
      out[off + i] = (byte) v;
      v >>>= 8;
    }
  }

  static long getLong(byte[] in, int off) {
    long v = 0;
    for (int i = 0; i < 8; i++) {
      v = (v << 8) | (in[off + i] & 0xFF);
    }
    return v;
  }
}
