package io.peerrelay.relay.protocol;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The freshness field of our VNI-0 allocation request (PROTOCOL.md §5): 8 bytes of unix time in
 * milliseconds right after Tailscale's 70-byte request, inside the sealed box, in what used to be
 * zero padding. The relay takes a request only within {@link #WINDOW_MILLIS} of its clock and only
 * if it is later than every request accepted from that key, so a captured request works once.
 */
public final class AllocationStamp {
  /** Where the stamp starts in the inner message. */
  public static final int OFFSET = DiscoMessage.AllocateRequest.LENGTH;

  /** Stamp length. */
  public static final int LENGTH = 8;

  /** How far a stamp may be from the relay's clock, either way. */
  public static final long WINDOW_MILLIS = 30_000;

  /** Returned by {@link #read} when the message is too short to hold a stamp. */
  public static final long ABSENT = Long.MIN_VALUE;

  private static final AtomicLong LAST = new AtomicLong();

  private AllocationStamp() {}

  /** A stamp for a new request: now, or one more than the last stamp this process issued. */
  public static long next(long nowMillis) {
    return LAST.updateAndGet(last -> Math.max(last + 1, nowMillis));
  }

  /** Writes {@code stamp} at {@link #OFFSET}; {@code plain} must be long enough. */
  public static void write(byte[] plain, long stamp) {
    for (int i = 0; i < LENGTH; i++) {
      plain[OFFSET + i] = (byte) (stamp >>> (56 - 8 * i));
    }
  }

  /** The stamp in {@code plain}, or {@link #ABSENT}. */
  public static long read(byte[] plain) {
    if (plain.length < OFFSET + LENGTH) {
      return ABSENT;
    }
    long v = 0;
    for (int i = 0; i < LENGTH; i++) {
      v = (v << 8) | (plain[OFFSET + i] & 0xff);
    }
    return v;
  }

  /** Whether {@code stamp} is within the window around {@code nowMillis}. */
  public static boolean fresh(long stamp, long nowMillis) {
    return stamp != ABSENT
        && stamp >= nowMillis - WINDOW_MILLIS
        && stamp <= nowMillis + WINDOW_MILLIS;
  }
}
