package io.peerrelay.relay.tailnet.derp;

import java.util.function.DoubleSupplier;

/**
 * Exponential back-off with jitter between reconnects: each failure doubles the ceiling from {@link
 * #MIN_MS} up to {@link #MAX_MS}, and the wait is drawn between half the ceiling and the ceiling,
 * so many relays that lost the same DERP server do not come back in lock step.
 */
final class Backoff {
  static final long MIN_MS = 250;
  static final long MAX_MS = 30_000;

  private final DoubleSupplier random;
  private long ceiling = MIN_MS;

  Backoff(DoubleSupplier random) {
    this.random = random;
  }

  /** The wait before the next attempt; raises the ceiling for the one after. */
  long next() {
    long wait = ceiling / 2 + (long) (random.getAsDouble() * (ceiling - ceiling / 2));
    ceiling = Math.min(MAX_MS, ceiling * 2);
    return wait;
  }

  /** A connection got through: start again from the smallest wait. */
  void reset() {
    ceiling = MIN_MS;
  }
}
