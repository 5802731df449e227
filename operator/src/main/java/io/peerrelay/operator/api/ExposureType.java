package io.peerrelay.operator.api;

/** How a replica's UDP port is reached from the internet. */
public enum ExposureType {
  /** One AWS Network Load Balancer (a {@code LoadBalancer} Service of class NLB) per replica. */
  AWSNLB,
  /** One plain {@code LoadBalancer} Service per replica, for any provider. */
  LoadBalancer,
  /** No Service: the replica's node address and the relay's UDP port. */
  NodeAddress,
  /** No Service: only {@code spec.staticEndpoints} are advertised. */
  None
}
