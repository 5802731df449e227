package io.peerrelay.relay.core;

/** Outcome of one allocation request on the relay port. */
public enum AllocationResult {
  OK,
  EXISTING,
  UNGRANTED,
  NO_ENDPOINTS,
  LIMIT,
  KEY_LIMIT,
  DRAINING,
  INVALID
}
