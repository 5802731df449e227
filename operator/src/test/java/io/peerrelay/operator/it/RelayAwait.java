package io.peerrelay.operator.it;

import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.api.model.PodIP;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.peerrelay.operator.api.Condition;
import io.peerrelay.operator.api.Conditions;
import io.peerrelay.operator.api.PeerRelay;
import io.peerrelay.operator.api.PeerRelayStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import java.util.function.Supplier;

/** Waiting for PeerRelay status, and playing the kubelet for pod readiness. */
final class RelayAwait {

  static final Duration TIMEOUT = Duration.ofSeconds(30);

  private RelayAwait() {}

  /** Waits until the relay's status satisfies {@code ok} and returns that status. */
  static PeerRelayStatus status(
      KubernetesClient client, String ns, String name, Predicate<PeerRelayStatus> ok) {
    return status(client, ns, name, ok, TIMEOUT);
  }

  /** As {@link #status(KubernetesClient, String, String, Predicate)} with its own time limit. */
  static PeerRelayStatus status(
      KubernetesClient client,
      String ns,
      String name,
      Predicate<PeerRelayStatus> ok,
      Duration timeout) {
    return await()
        .atMost(timeout)
        .pollInterval(Duration.ofMillis(200))
        .until(
            () -> {
              PeerRelay r = client.resources(PeerRelay.class).inNamespace(ns).withName(name).get();
              return r == null ? null : r.getStatus();
            },
            s -> s != null && s.getConditions() != null && ok.test(s));
  }

  /** Waits for the Ready condition to carry {@code reason}. */
  static PeerRelayStatus reason(KubernetesClient client, String ns, String name, String reason) {
    return status(client, ns, name, s -> reason.equals(readyReason(s)));
  }

  static String readyReason(PeerRelayStatus s) {
    Condition c = condition(s, Conditions.READY);
    return c == null ? null : c.getReason();
  }

  static Condition condition(PeerRelayStatus s, String type) {
    return s.getConditions().stream()
        .filter(c -> type.equals(c.getType()))
        .findFirst()
        .orElse(null);
  }

  /**
   * Runs a read-modify-write until it is not refused for a stale resourceVersion: the operator and
   * the controllers write the same objects concurrently, and fabric8's edit locks on the version it
   * read.
   */
  static <T> T retryOnConflict(Supplier<T> write) {
    for (int attempt = 1; ; attempt++) {
      try {
        return write.get();
      } catch (KubernetesClientException e) {
        if (e.getCode() != 409 || attempt >= 10) {
          throw e;
        }
      }
    }
  }

  /** Waits for the StatefulSet controller to create {@code pod} and returns it. */
  static Pod pod(KubernetesClient client, String ns, String pod) {
    return await()
        .atMost(TIMEOUT)
        .until(() -> client.pods().inNamespace(ns).withName(pod).get(), p -> p != null);
  }

  /**
   * Marks the pod Ready the way a kubelet would after its readiness probe passed: no kubelet runs
   * on the test control plane, so pods otherwise stay Pending forever.
   */
  static void markReady(KubernetesClient client, String ns, String podName) {
    markReady(client, ns, podName, null);
  }

  /**
   * As {@link #markReady(KubernetesClient, String, String)}, also writing the pod's address as a
   * kubelet does ({@code podIP}; relay pods are hostNetwork, so it is the node's); null leaves it.
   */
  static void markReady(KubernetesClient client, String ns, String podName, String podIp) {
    pod(client, ns, podName);
    String now = Instant.now().toString();
    List<PodCondition> conditions = new ArrayList<>();
    conditions.add(
        new PodConditionBuilder()
            .withType("Ready")
            .withStatus("True")
            .withLastTransitionTime(now)
            .build());
    conditions.add(
        new PodConditionBuilder()
            .withType("ContainersReady")
            .withStatus("True")
            .withLastTransitionTime(now)
            .build());
    RelayAwait.retryOnConflict(
        () ->
            client
                .pods()
                .inNamespace(ns)
                .withName(podName)
                .editStatus(
                    pod -> {
                      pod.getStatus().setConditions(conditions);
                      pod.getStatus().setPhase("Running");
                      if (podIp != null) {
                        pod.getStatus().setPodIP(podIp);
                        pod.getStatus().setPodIPs(List.of(new PodIP(podIp)));
                        pod.getStatus().setHostIP(podIp);
                      }
                      return pod;
                    }));
  }
}
