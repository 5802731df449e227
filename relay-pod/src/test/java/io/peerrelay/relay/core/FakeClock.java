package io.peerrelay.relay.core;

import java.time.Duration;
import java.util.function.LongSupplier;

/** A nanosecond clock the test moves by hand. */
final class FakeClock implements LongSupplier {
  private long now = 1_000_000_000L;

  @Override
  public long getAsLong() {
    return now;
  }

  void advance(Duration d) {
    now += d.toNanos();
  }

  void advanceNanos(long nanos) {
    now += nanos;
  }
}
