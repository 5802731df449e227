package io.peerrelay.operator.api;

/** The {@code externalTrafficPolicy} of a replica's LoadBalancer Service. */
public enum ExternalTrafficPolicy {
  /** Traffic may be forwarded through any node (source address may be rewritten). */
  Cluster,
  /** Traffic goes only to the node running the relay pod; the client source address is kept. */
  Local
}
