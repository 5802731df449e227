package io.peerrelay.operator.api;

/** The Kubernetes image pull policy of the relay container. */
public enum ImagePullPolicy {
  /** Pull on every pod start. */
  Always,
  /** Pull only when the node lacks the image. */
  IfNotPresent,
  /** Never pull; the image must be on the node. */
  Never
}
