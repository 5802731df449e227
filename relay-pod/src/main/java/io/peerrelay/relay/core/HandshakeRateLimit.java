package io.peerrelay.relay.core;

import java.net.InetSocketAddress;
import java.util.Arrays;

/**
 * Token buckets for control packets per source {@code ip:port}, in a fixed table of hashed slots:
 * memory stays constant whatever the number of sources (sources that collide share a bucket, which
 * only makes the limit stricter for them).
 */
final class HandshakeRateLimit {
  private static final int SLOTS = 1 << 16;

  private final double[] tokens = new double[SLOTS];
  private final long[] refilledAt = new long[SLOTS];
  private double perNano;
  private double burst;

  HandshakeRateLimit(double perSecond, int burst) {
    Arrays.fill(refilledAt, Long.MIN_VALUE);
    configure(perSecond, burst);
  }

  synchronized void configure(double perSecond, int burst) {
    this.perNano = perSecond / 1e9;
    this.burst = burst;
  }

  /** Takes one token for {@code source}; false when its bucket is empty. */
  synchronized boolean tryAcquire(InetSocketAddress source, long now) {
    int h = source.getAddress().hashCode() * 31 + source.getPort();
    int slot = (h ^ (h >>> 16)) & (SLOTS - 1);
    double t;
    if (refilledAt[slot] == Long.MIN_VALUE) {
      t = burst;
    } else {
      t = Math.min(burst, tokens[slot] + Math.max(0, now - refilledAt[slot]) * perNano);
    }
    refilledAt[slot] = now;
    if (t < 1) {
      tokens[slot] = t;
      return false;
    }
    tokens[slot] = t - 1;
    return true;
  }
}
