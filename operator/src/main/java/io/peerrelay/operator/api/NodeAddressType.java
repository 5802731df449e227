package io.peerrelay.operator.api;

/** Which address of a Node is advertised in NodeAddress exposure. */
public enum NodeAddressType {
  /** The Node's {@code ExternalIP} addresses. */
  ExternalIP,
  /** The Node's {@code InternalIP} addresses (private networks, VPNs, tests). */
  InternalIP
}
