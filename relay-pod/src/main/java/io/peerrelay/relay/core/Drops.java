package io.peerrelay.relay.core;

import io.peerrelay.relay.protocol.DiscoPacket;
import io.peerrelay.relay.protocol.Geneve;
import java.nio.ByteBuffer;

/** Drops a datagram and counts why (and, for allocation requests, the refused result). */
final class Drops {
  private final RelayEvents events;

  Drops(RelayEvents events) {
    this.events = events;
  }

  void drop(Verdict out, DropReason reason) {
    if (reason != null) {
      events.dropped(reason);
    }
    out.drop(reason);
  }

  void refuse(Verdict out, DropReason reason, AllocationResult result) {
    events.allocation(result);
    drop(out, reason);
  }

  /**
   * A copy of the Geneve-framed disco packet at {@code at}, or null when what follows the Geneve
   * header is not a disco packet (dropped as malformed).
   */
  byte[] discoOrDrop(ByteBuffer datagram, int at, int len, Verdict out) {
    byte[] pkt = RelayServer.copy(datagram, at, len);
    if (!DiscoPacket.looksLikeDisco(pkt, Geneve.LENGTH, len - Geneve.LENGTH)) {
      drop(out, DropReason.MALFORMED);
      return null;
    }
    return pkt;
  }

  /** Counts a refused allocation and returns the exception that reports it. */
  AllocationException refused(AllocationResult result, String message) {
    events.allocation(result);
    return new AllocationException(result, message);
  }
}
