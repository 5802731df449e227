package io.peerrelay.relay.core;

/** Tailscale's endpoint states: the {@code state} label of the endpoints gauge. */
public enum SessionState {
  CONNECTING,
  OPEN,
  CLOSED
}
