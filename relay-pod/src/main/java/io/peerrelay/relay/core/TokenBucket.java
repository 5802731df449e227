package io.peerrelay.relay.core;

/**
 * One token bucket, owned by the thing it limits (a session leg, a granted key), so no two
 * unrelated senders ever share one. The rate and burst are passed in on every call, so a reload
 * changes them for every bucket at once without visiting any.
 */
final class TokenBucket {
  private double tokens = Double.NaN;
  private long refilledAt;

  /** Takes one token; false when the bucket is empty. */
  synchronized boolean tryAcquire(long now, double perSecond, int burst) {
    double t;
    if (Double.isNaN(tokens)) {
      t = burst;
    } else {
      t = Math.min(burst, tokens + Math.max(0, now - refilledAt) * (perSecond / 1e9));
    }
    refilledAt = now;
    if (t < 1) {
      tokens = t;
      return false;
    }
    tokens = t - 1;
    return true;
  }
}
