package io.peerrelay.relay.core;

/**
 * What the relay core reports for metrics. Called on the forwarding path: implementations must not
 * allocate, block or log per call.
 */
public interface RelayEvents {
  /** Reports nothing. */
  RelayEvents NONE = new RelayEvents() {};

  /**
   * {@code packets} data datagrams of {@code bytes} in all (Geneve headers included) got a
   * destination. The transport reports a run of datagrams from one client leg at once, at the end
   * of each read batch ({@link RelayServer#settle}).
   */
  default void forwarded(boolean inV6, boolean outV6, long packets, long bytes) {}

  /** One datagram was dropped. */
  default void dropped(DropReason reason) {}

  /** One allocation request was decided. */
  default void allocation(AllocationResult result) {}

  /** A session moved between states; {@code from == CLOSED} means it was created. */
  default void sessionState(SessionState from, SessionState to) {}

  /** Garbage collection removed {@code count} sessions. */
  default void expired(int count) {}
}
