package io.peerrelay.relay.core;

/**
 * What the relay core reports for metrics. Called on the forwarding path: implementations must not
 * allocate, block or log per call.
 */
public interface RelayEvents {
  /** Reports nothing. */
  RelayEvents NONE = new RelayEvents() {};

  /** One data datagram of {@code bytes} (Geneve header included) got a destination. */
  default void forwarded(boolean inV6, boolean outV6, int bytes) {}

  /** One datagram was dropped. */
  default void dropped(DropReason reason) {}

  /** One allocation request was decided. */
  default void allocation(AllocationResult result) {}

  /** A session moved between states; {@code from == CLOSED} means it was created. */
  default void sessionState(SessionState from, SessionState to) {}

  /** Garbage collection removed {@code count} sessions. */
  default void expired(int count) {}
}
