package io.peerrelay.relay.transport;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.SelectStrategy;
import org.junit.jupiter.api.Test;

/** The polling window follows the idle gaps (a fake clock, a fake epoll). */
class SpinSelectStrategyTest {
  private static final long MAX = 20_000;
  private long now = 1_000_000;

  /** When the next event arrives (clock value), or -1 for none. */
  private long eventAt = -1;

  private final SpinSelectStrategy strategy = new SpinSelectStrategy(MAX, this::tick);

  /** Each clock read moves time on by 100 ns, as a poll does. */
  private long tick() {
    now += 100;
    return now;
  }

  private int poll() {
    return eventAt >= 0 && now >= eventAt ? 1 : 0;
  }

  /** One idle period whose next packet comes {@code gap} ns after going idle; true if polled. */
  private boolean idleFor(long gap) throws Exception {
    eventAt = now + gap;
    int strategyResult = strategy.calculateStrategy(this::poll, false);
    if (strategyResult == SelectStrategy.SELECT) {
      now = Math.max(now, eventAt) + 2_000; // slept, woke, handled the packet
      eventAt = -1;
      return false;
    }
    now += 2_000; // handled the packet the poll found
    eventAt = -1;
    return true;
  }

  @Test
  void shortGapsGrowTheWindowUntilPollsCatchThePackets() throws Exception {
    boolean caught = false;
    for (int i = 0; i < 10 && !caught; i++) {
      caught = idleFor(8_000);
    }
    assertThat(caught).as("a poll caught a packet 8 µs after going idle").isTrue();
    assertThat(strategy.windowNanos()).isBetween(8_000L, MAX);
    for (int i = 0; i < 100; i++) {
      assertThat(idleFor(8_000)).as("round %d", i).isTrue();
    }
  }

  @Test
  void gapsLongerThanTheLongestWindowEndPolling() throws Exception {
    for (int i = 0; i < 10; i++) {
      idleFor(5_000);
    }
    assertThat(strategy.windowNanos()).isPositive();
    for (int i = 0; i < 10; i++) {
      idleFor(33_000); // paced traffic at 30k packets/s
    }
    assertThat(strategy.windowNanos()).isZero();
    long polls = strategy.polls();
    for (int i = 0; i < 100; i++) {
      assertThat(idleFor(33_000)).isFalse();
    }
    assertThat(strategy.polls()).as("no polling while gaps stay long").isEqualTo(polls);
  }

  @Test
  void theWindowStopsAtTheLongest() throws Exception {
    // 16 µs misses a packet at 17 µs; the gap with its handling (19 µs) is within the longest.
    for (int i = 0; i < 50; i++) {
      idleFor(17_000);
    }
    assertThat(strategy.windowNanos()).isEqualTo(MAX);
    assertThat(idleFor(17_000)).isTrue();
  }

  @Test
  void pendingTasksSelectNowWithoutTouchingTheWindow() throws Exception {
    for (int i = 0; i < 10; i++) {
      idleFor(5_000);
    }
    long window = strategy.windowNanos();
    eventAt = -1;
    assertThat(strategy.calculateStrategy(this::poll, true)).isZero();
    assertThat(strategy.windowNanos()).isEqualTo(window);
  }
}
