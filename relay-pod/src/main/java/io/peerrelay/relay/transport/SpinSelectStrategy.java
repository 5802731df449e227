package io.peerrelay.relay.transport;

import io.netty.channel.SelectStrategy;
import io.netty.channel.SelectStrategyFactory;
import io.netty.util.IntSupplier;
import java.util.function.LongSupplier;

/**
 * An event loop that polls epoll for a short, adaptive while before it sleeps in epoll_wait.
 *
 * <p>Why: a sleeping vCPU is slow to wake (the bench measures Netty's plain loop adding 70 µs to a
 * ping-pong's round trip on a 2-core VM, against 20 µs for Tailscale's relay, whose Go runtime
 * spins briefly before it parks), and in request/response traffic the next packet often comes a few
 * microseconds after the last one left. How long to poll follows what the last idle gaps said, as
 * KVM's halt polling does: a gap (from going idle to the wake-up's events handled) within the
 * longest window means polling would have caught that packet, so the window doubles (from 1 µs up
 * to the longest); a longer gap means polling would have been wasted, so it halves, down to none.
 * Paced traffic whose gaps exceed the longest window, and an idle relay, end with no polling at all
 * and cost what the plain loop costs; a loop that always has packets waiting never polls either
 * (the first poll finds them).
 *
 * <p>While it polls, Netty counts the loop as awake and does not signal its eventfd, so a task
 * another thread hands the loop then waits for the poll to end (at most the window), and the poll
 * sees only epoll's events. One per event loop, confined to its thread.
 */
final class SpinSelectStrategy implements SelectStrategy {
  private static final long MIN_WINDOW_NANOS = 1_000;

  private final long maxNanos;
  private final LongSupplier clock;
  private long windowNanos;
  private long idleSince = -1;
  private long polls;

  SpinSelectStrategy(long maxNanos, LongSupplier clock) {
    this.maxNanos = maxNanos;
    this.clock = clock;
  }

  /** Strategies that poll at most {@code maxMicros} (one per event loop). */
  static SelectStrategyFactory factory(int maxMicros) {
    long nanos = maxMicros * 1000L;
    return () -> new SpinSelectStrategy(nanos, System::nanoTime);
  }

  @Override
  public int calculateStrategy(IntSupplier selectSupplier, boolean hasTasks) throws Exception {
    if (hasTasks) {
      return selectSupplier.get();
    }
    long now = clock.getAsLong();
    if (idleSince >= 0) {
      // Woken from a sleep: the whole idle gap (poll, sleep, and handling what woke it) decides.
      adapt(now - idleSince);
      idleSince = -1;
    }
    if (windowNanos > 0) {
      polls++;
      long deadline = now + windowNanos;
      do {
        int ready = selectSupplier.get();
        if (ready > 0) {
          return ready;
        }
      } while (clock.getAsLong() - deadline < 0);
    }
    idleSince = now;
    return SelectStrategy.SELECT;
  }

  private void adapt(long sleptNanos) {
    if (sleptNanos <= maxNanos) {
      windowNanos = Math.min(maxNanos, Math.max(MIN_WINDOW_NANOS, windowNanos * 2));
    } else {
      windowNanos = windowNanos / 2 < MIN_WINDOW_NANOS ? 0 : windowNanos / 2;
    }
  }

  /** The current polling window in nanoseconds (tests). */
  long windowNanos() {
    return windowNanos;
  }

  /** Polls begun so far (tests). */
  long polls() {
    return polls;
  }
}
