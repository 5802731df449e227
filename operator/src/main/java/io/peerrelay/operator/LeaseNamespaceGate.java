package io.peerrelay.operator;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Holds leader election back until the Lease's namespace exists. Without it, fabric8's elector
 * fails to create the Lease every retry period with a stack trace, while the operator answers ready
 * (JOSDK counts as started while it waits for leadership) and reconciles nothing.
 */
final class LeaseNamespaceGate {

  private static final Logger LOG = LoggerFactory.getLogger(LeaseNamespaceGate.class);

  /** How often the namespace is looked for again; quietly, the problem is logged once. */
  static final Duration POLL = Duration.ofSeconds(2);

  private final KubernetesClient client;
  private final String namespace;
  private final String lease;
  private volatile String problem;

  LeaseNamespaceGate(KubernetesClient client, String namespace, String lease) {
    this.client = client;
    this.namespace = namespace;
    this.lease = lease;
  }

  /** Why leader election cannot start now, or null (the namespace exists or cannot be checked). */
  String problem() {
    return problem;
  }

  private String check() {
    try {
      return client.namespaces().withName(namespace).get() != null
          ? null
          : "the Lease namespace "
              + namespace
              + " does not exist: create it, or set PEERRELAY_LEASE_NAMESPACE (or POD_NAMESPACE)"
              + " to the namespace the operator runs in";
    } catch (KubernetesClientException e) {
      // No answer or no "get namespaces": the elector's own errors are all there is to go on.
      return null;
    }
  }

  /**
   * Returns once the namespace exists (true) or {@code stop} is set (false). The problem is logged
   * once, and again (as resolved) when the namespace appears.
   */
  boolean await(AtomicBoolean stop) {
    problem = check();
    if (problem == null) {
      return true;
    }
    LOG.error("lease-namespace-missing lease={}/{} problem=\"{}\"", namespace, lease, problem);
    while (!stop.get()) {
      try {
        Thread.sleep(POLL.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
      problem = check();
      if (problem == null) {
        LOG.info(
            "lease-namespace-found lease={}/{} action=start-leader-election", namespace, lease);
        return true;
      }
    }
    return false;
  }
}
