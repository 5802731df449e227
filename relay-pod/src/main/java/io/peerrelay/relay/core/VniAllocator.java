package io.peerrelay.relay.core;

import io.peerrelay.relay.protocol.Geneve;
import java.util.function.IntPredicate;

/**
 * Tailscale's VNI selection (PROTOCOL.md §1, RFC 6056 "traditional BSD"): a cursor that starts at
 * 1, wraps from 2^24−1 to 1, and returns the first candidate not in use. Not thread-safe: callers
 * hold the relay's write lock.
 */
final class VniAllocator {
  /** Returned when every VNI is in use. */
  static final int EXHAUSTED = -1;

  private final IntPredicate inUse;
  private int next = 1;

  VniAllocator(IntPredicate inUse) {
    this.inUse = inUse;
  }

  /** The next free VNI, or {@link #EXHAUSTED} ("VNI pool exhausted"). */
  int allocate() {
    for (int tries = 0; tries < Geneve.MAX_VNI; tries++) {
      int vni = next;
      next = vni == Geneve.MAX_VNI ? 1 : vni + 1;
      if (!inUse.test(vni)) {
        return vni;
      }
    }
    return EXHAUSTED;
  }

  /** Where the next search starts (tests). */
  int cursor() {
    return next;
  }
}
