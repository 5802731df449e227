package io.peerrelay.relay.core;

import java.net.InetSocketAddress;

/**
 * What to do with one received datagram. The transport keeps one per event loop and the core fills
 * it in, so deciding allocates nothing: forward the same buffer, send a reply, or drop.
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

  void forward(InetSocketAddress to, boolean v6) {
    kind = Kind.FORWARD;
    reason = null;
    reply = null;
    destination = to;
    destinationV6 = v6;
  }
}
