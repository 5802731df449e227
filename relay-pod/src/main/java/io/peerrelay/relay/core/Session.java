package io.peerrelay.relay.core;

import io.peerrelay.relay.protocol.DiscoPublicKey;
import io.peerrelay.relay.protocol.DiscoSharedKey;

/** One allocation: a VNI shared by two legs, leg 0 holding the smaller disco key (B §3.3). */
final class Session {
  private final int vni;
  final long lamportId;
  final long allocatedAt;
  final Leg[] legs;

  /** Set only by garbage collection; packets already holding the session see it and drop. */
  volatile boolean closed;

  Session(
      int vni,
      long lamportId,
      long allocatedAt,
      DiscoPublicKey key0,
      DiscoSharedKey box0,
      DiscoPublicKey key1,
      DiscoSharedKey box1) {
    this.vni = vni;
    this.lamportId = lamportId;
    this.allocatedAt = allocatedAt;
    this.legs = new Leg[] {new Leg(key0, box0), new Leg(key1, box1)};
  }

  int vni() {
    return vni;
  }

  /** Both legs bound: the session forwards. */
  boolean open() {
    return legs[0].binding != null && legs[1].binding != null;
  }

  SessionState state() {
    return closed ? SessionState.CLOSED : open() ? SessionState.OPEN : SessionState.CONNECTING;
  }

  /** Expired per B §3.9: unbound past the bind lifetime, or a bound leg silent too long. */
  boolean expired(long now, long bindLifetimeNanos, long steadyStateNanos) {
    if (!open()) {
      return now - allocatedAt > bindLifetimeNanos;
    }
    return now - legs[0].lastSeen.get() > steadyStateNanos
        || now - legs[1].lastSeen.get() > steadyStateNanos;
  }

  SessionInfo info() {
    return new SessionInfo(vni, legs[0].info(), legs[1].info());
  }
}
