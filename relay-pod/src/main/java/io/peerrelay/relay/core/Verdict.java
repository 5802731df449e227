package io.peerrelay.relay.core;

import java.net.InetSocketAddress;

/**
 * What to do with one received datagram. The transport keeps one per event loop and the core fills
 * it in, so deciding allocates nothing: forward the same buffer, send a reply, or drop.
 *
 * <p>It also carries the counts of forwarded datagrams not yet settled: with {@link
 * #deferringCounts}, a run of datagrams from the same client leg (the segments of one GRO read, a
 * burst of one flow) is counted with one update of the leg's counters, the metrics and the clock
 * read, in {@link RelayServer#settle}, instead of four atomic updates and a clock read per
 * datagram.
 */
public final class Verdict {
  /** The three outcomes. */
  public enum Kind {
    DROP,
    REPLY,
    FORWARD
  }

  private Kind kind = Kind.DROP;
  private DropReason reason;
  private byte[] reply;
  private InetSocketAddress destination;
  private boolean destinationV6;
  private Leg from;
  private boolean defersCounts;

  Leg tallyLeg;
  boolean tallyInV6;
  boolean tallyOutV6;
  long tallyPackets;
  long tallyBytes;

  /**
   * Makes forwarded datagrams counted only when {@link RelayServer#settle} is called with this
   * verdict (by its owner, once per read batch), so a run from one leg costs one update. Returns
   * this verdict.
   */
  public Verdict deferringCounts() {
    defersCounts = true;
    return this;
  }

  /** Whether counts wait for {@link RelayServer#settle}. */
  public boolean defersCounts() {
    return defersCounts;
  }

  /** The outcome. */
  public Kind kind() {
    return kind;
  }

  /** Why it was dropped; null for a packet consumed without reply (a valid bind answer). */
  public DropReason reason() {
    return reason;
  }

  /** The datagram to send (REPLY only). */
  public byte[] reply() {
    return reply;
  }

  /** Where to send the reply or the forwarded datagram. */
  public InetSocketAddress destination() {
    return destination;
  }

  /** Whether the destination is IPv6, so the transport picks a socket of that family. */
  public boolean destinationV6() {
    return destinationV6;
  }

  void drop(DropReason why) {
    kind = Kind.DROP;
    reason = why;
    reply = null;
    destination = null;
  }

  void reply(byte[] bytes, InetSocketAddress to, boolean v6) {
    kind = Kind.REPLY;
    reason = null;
    reply = bytes;
    destination = to;
    destinationV6 = v6;
  }

  void forward(InetSocketAddress to, boolean v6, Leg sender) {
    kind = Kind.FORWARD;
    reason = null;
    reply = null;
    destination = to;
    destinationV6 = v6;
    from = sender;
  }

  /**
   * Adds the datagram just forwarded to the unsettled run; false (nothing added) when the run is of
   * another leg or other families and must be settled first.
   */
  boolean tally(boolean inV6, int len) {
    if (tallyPackets == 0) {
      tallyLeg = from;
      tallyInV6 = inV6;
      tallyOutV6 = destinationV6;
    } else if (tallyLeg != from || tallyInV6 != inV6 || tallyOutV6 != destinationV6) {
      return false;
    }
    tallyPackets++;
    tallyBytes += len;
    return true;
  }

  void clearTally() {
    tallyLeg = null;
    tallyPackets = 0;
    tallyBytes = 0;
  }
}
