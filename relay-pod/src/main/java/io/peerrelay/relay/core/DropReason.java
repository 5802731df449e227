package io.peerrelay.relay.core;

/** Why the relay dropped a datagram silently (counted, never answered). */
public enum DropReason {
  /** Shorter than a Geneve header, not a disco packet, or an unparsable message. */
  MALFORMED,
  /** The VNI names no live session. */
  UNKNOWN_VNI,
  /** Data on a session whose two legs are not both bound. */
  NOT_BOUND,
  /** Data from an address that is bound to neither leg. */
  BAD_SOURCE,
  /** A control packet that is not disco, or a message type the relay does not take. */
  BAD_CONTROL,
  /** The sender key is not a party of the session, or the box did not open. */
  AUTH_FAILED,
  /** Wrong VNI or remote key inside a bind message. */
  BAD_MESSAGE,
  /** Generation zero, or an answer whose generation is not the one in progress. */
  BAD_GENERATION,
  /** The answer's cookie matches neither current secret for that source. */
  BAD_COOKIE,
  /** The source exceeded its handshake rate. */
  RATE_LIMITED,
  /** An allocation request from a key that is not granted on this relay. */
  UNGRANTED_KEY,
  /** An allocation request smaller than 512 bytes (anti-amplification padding rule). */
  UNPADDED,
  /** An allocation request whose issued-at stamp is missing or more than 30 s off the clock. */
  STALE_REQUEST,
  /** An allocation request not later than one already accepted from its key (a replay). */
  REPLAYED_REQUEST,
  /** An allocation request that names an invalid key pair. */
  INVALID_REQUEST,
  /** The session table is full. */
  SESSION_LIMIT,
  /**
   * One of the pair's keys already holds its share of sessions ({@code maxSessionsPerClientKey}).
   */
  CLIENT_KEY_LIMIT,
  /** No advertised endpoint is configured, so an allocation could not be answered. */
  NO_ENDPOINTS,
  /** The relay is draining and takes no new allocations. */
  DRAINING,
  /** A control packet found the control thread's queue full (a control flood is under way). */
  CONTROL_BACKLOG,
  /** The session was closed by garbage collection while the packet was in flight. */
  CLOSED
}
