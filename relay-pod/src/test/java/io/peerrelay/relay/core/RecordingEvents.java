package io.peerrelay.relay.core;

import java.util.ArrayList;
import java.util.List;

/** Remembers every event, and keeps Tailscale's endpoint gauges the way H2's metrics must. */
final class RecordingEvents implements RelayEvents {
  // Plain arrays, not maps of boxed counts: the allocation test runs the relay with these events.
  private final int[] drops = new int[DropReason.values().length];
  private final int[] allocations = new int[AllocationResult.values().length];
  private final int[] gauge = new int[SessionState.values().length];
  final List<String> transitions = new ArrayList<>();
  long forwardedPackets;
  long forwardedBytes;
  final long[][] forwardedByFamily = new long[2][2];
  int expired;

  @Override
  public synchronized void forwarded(boolean inV6, boolean outV6, long packets, long bytes) {
    forwardedPackets += packets;
    forwardedBytes += bytes;
    forwardedByFamily[inV6 ? 1 : 0][outV6 ? 1 : 0] += packets;
  }

  @Override
  public synchronized void dropped(DropReason reason) {
    drops[reason.ordinal()]++;
  }

  @Override
  public synchronized void allocation(AllocationResult result) {
    allocations[result.ordinal()]++;
  }

  @Override
  public synchronized void sessionState(SessionState from, SessionState to) {
    transitions.add(from + "->" + to);
    if (from != SessionState.CLOSED) {
      gauge[from.ordinal()]--;
    }
    if (to != SessionState.CLOSED) {
      gauge[to.ordinal()]++;
    }
  }

  @Override
  public synchronized void expired(int count) {
    expired += count;
  }

  synchronized int drops(DropReason r) {
    return drops[r.ordinal()];
  }

  synchronized int allocations(AllocationResult r) {
    return allocations[r.ordinal()];
  }

  synchronized int gauge(SessionState s) {
    return gauge[s.ordinal()];
  }
}
