package io.peerrelay.relay.tailnet.relay;

import java.util.Locale;

/** Outcome of one AllocateUDPRelayEndpointRequest over DERP. */
public enum TailnetAllocationResult {
  /** Allocated (or the pair's existing session returned) and answered. */
  OK,
  /** The DERP source node is not in the netmap. */
  NOT_PEER,
  /** The sender's disco key is not the one the netmap gives for that node. */
  DISCO_MISMATCH,
  /** The sender's disco key is neither of the request's two client keys. */
  NOT_IN_PAIR,
  /** The packet filter does not grant the peer tailscale.com/cap/relay on this node. */
  NOT_GRANTED,
  /** The relay core refused (draining, no endpoints, session limit, bad pair). */
  CORE_REFUSED,
  /** The disco message did not parse. */
  MALFORMED;

  /** The metric label. */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }
}
