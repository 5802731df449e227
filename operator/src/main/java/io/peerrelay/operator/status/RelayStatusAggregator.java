package io.peerrelay.operator.status;

import static io.peerrelay.operator.api.Conditions.ACCESS;
import static io.peerrelay.operator.api.Conditions.CONFIG_ACCEPTED;
import static io.peerrelay.operator.api.Conditions.EXPOSURE;
import static io.peerrelay.operator.api.Conditions.FALSE;
import static io.peerrelay.operator.api.Conditions.READY;
import static io.peerrelay.operator.api.Conditions.TAILNET_REGISTERED;
import static io.peerrelay.operator.api.Conditions.TRUE;

import io.peerrelay.operator.api.Condition;
import io.peerrelay.operator.api.Conditions;
import io.peerrelay.operator.api.PeerRelayStatus;
import io.peerrelay.operator.api.RelayEndpoint;
import io.peerrelay.operator.api.ReplicaStatus;
import io.peerrelay.operator.api.ReplicaTailnetStatus;
import io.peerrelay.operator.observe.Endpoint;
import io.peerrelay.operator.observe.TailnetReport;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The one place PeerRelay status is built: from {@link RelayFacts} and the previous status (for
 * transition times) to the next status. Pure; the reconciler patches the result only when it
 * differs from what is stored.
 */
public final class RelayStatusAggregator {

  private final Clock clock;

  public RelayStatusAggregator(Clock clock) {
    this.clock = clock;
  }

  /** The status for {@code facts}; conditions keep {@code previous}'s transition times. */
  public PeerRelayStatus aggregate(PeerRelayStatus previous, RelayFacts facts) {
    List<Condition> before = previous == null ? List.of() : previous.getConditions();
    PeerRelayStatus s = new PeerRelayStatus();
    s.setObservedGeneration(facts.generation());
    s.setSelector(facts.selector());

    List<ReplicaStatus> replicas = new ArrayList<>();
    List<RelayEndpoint> endpoints = new ArrayList<>();
    int ready = 0;
    int withPods = 0;
    for (ReplicaFacts r : facts.replicas()) {
      // The order Endpoint sorts in (IPv4 first, then numerically), the relay config's order too.
      List<String> addresses =
          r.endpoints().stream().distinct().sorted().map(Endpoint::toString).toList();
      replicas.add(replicaStatus(r, addresses));
      addresses.forEach(a -> endpoints.add(new RelayEndpoint(r.index(), a)));
      ready += r.ready() ? 1 : 0;
      withPods += r.podName() != null ? 1 : 0;
    }
    replicas.sort(Comparator.comparingInt(ReplicaStatus::getIndex));
    // Stable: within a replica the endpoints keep their Endpoint order.
    endpoints.sort(Comparator.comparingInt(RelayEndpoint::getReplica));
    s.setReplicaStatuses(replicas);
    s.setEndpoints(endpoints);
    // A static endpoint every replica advertises is one address for kubectl's ENDPOINTS column:
    // listed once (first replica's order), not once per replica.
    s.setEndpointSummary(
        endpoints.isEmpty()
            ? null
            : endpoints.stream()
                .map(RelayEndpoint::getAddress)
                .distinct()
                .collect(Collectors.joining(",")));
    s.setReplicas(withPods);
    s.setReadyReplicas(ready);
    s.setGrantedKeys(facts.grantedKeys());

    s.setConditions(conditions(before, facts, ready));
    return s;
  }

  /** Ready, Access, Exposure and (tailnet mode) TailnetRegistered, in that order. */
  private List<Condition> conditions(List<Condition> before, RelayFacts facts, int ready) {
    long gen = facts.generation();
    var now = clock.instant();
    List<Condition> conditions = new ArrayList<>();
    Condition config = configAccepted(before, facts);
    Verdict v = readyVerdict(facts, ready, config);
    conditions.add(
        ConditionTransitions.next(before, READY, v.status, v.reason, v.message, gen, now));
    v = accessVerdict(facts);
    conditions.add(
        ConditionTransitions.next(before, ACCESS, v.status, v.reason, v.message, gen, now));
    v = exposureVerdict(facts);
    conditions.add(
        ConditionTransitions.next(before, EXPOSURE, v.status, v.reason, v.message, gen, now));
    if (config != null) {
      conditions.add(config);
    }
    if (facts.tailnet() != null) {
      TailnetVerdict t = TailnetVerdict.of(facts.tailnet(), facts.replicas());
      conditions.add(
          ConditionTransitions.next(
              before, TAILNET_REGISTERED, t.status(), t.reason(), t.message(), gen, now));
    }
    return conditions;
  }

  /**
   * ConfigAccepted from the relays' reports; with no verdict (a replica not probed or not caught
   * up) the previous condition stays as it was, and is absent while there never was one.
   */
  private Condition configAccepted(List<Condition> before, RelayFacts facts) {
    ConfigVerdict v = ConfigVerdict.of(facts.replicas());
    if (v == null) {
      return before.stream()
          .filter(c -> CONFIG_ACCEPTED.equals(c.getType()))
          .findFirst()
          .orElse(null);
    }
    return ConditionTransitions.next(
        before,
        CONFIG_ACCEPTED,
        v.status(),
        v.reason(),
        v.message(),
        facts.generation(),
        clock.instant());
  }

  private static Verdict accessVerdict(RelayFacts facts) {
    return facts.grantedKeys() > 0
        ? new Verdict(
            TRUE,
            Conditions.REASON_GRANTED,
            facts.grantedKeys() + " client key(s) granted by RelayGrants selecting this relay")
        : new Verdict(
            FALSE,
            Conditions.REASON_NO_GRANTS,
            "no RelayGrant selects this relay: it refuses every allocation (default deny)");
  }

  private static Verdict exposureVerdict(RelayFacts facts) {
    if (!facts.staleHostnames().isEmpty()) {
      // Documented behaviour: the last known endpoints stay (clients keep a working address), but
      // status must not present them as a fresh answer.
      return new Verdict(
          FALSE,
          Conditions.REASON_ENDPOINTS_STALE,
          facts.staleHostnames().entrySet().stream()
                  .map(e -> "replica " + e.getKey() + ": " + String.join(", ", e.getValue()))
                  .collect(Collectors.joining("; "))
              + " no longer resolve(s): advertising the last known endpoints until it resolves"
              + " again; check the load balancer (kubectl get svc) and DNS");
    }
    return facts.overriddenAnnotations().isEmpty()
        ? new Verdict(TRUE, Conditions.REASON_OK, "exposure built as specified")
        : new Verdict(
            FALSE,
            Conditions.REASON_ANNOTATION_OVERRIDDEN,
            "the operator replaced these user Service annotations with the values an AWS NLB"
                + " relay needs: "
                + String.join(", ", facts.overriddenAnnotations()));
  }

  private static ReplicaStatus replicaStatus(ReplicaFacts r, List<String> addresses) {
    ReplicaStatus rs = new ReplicaStatus();
    rs.setIndex(r.index());
    rs.setPodName(r.podName());
    rs.setNode(r.node());
    rs.setReady(r.ready());
    rs.setPublicKey(r.publicKey());
    rs.setEndpoints(new ArrayList<>(addresses));
    TailnetReport t = r.tailnet();
    if (t != null && t.enabled()) {
      rs.setTailnet(new ReplicaTailnetStatus(t.nodeName(), t.tailscaleIPs(), t.online()));
    }
    return rs;
  }

  /**
   * The status after a reconcile that failed before it could observe the children: the previous
   * replica entries and endpoints stay (they were true a moment ago, and an empty list would read
   * as "no relay"), and the Ready condition becomes {@code status}/{@code reason}/{@code message}.
   */
  public PeerRelayStatus failed(
      PeerRelayStatus previous,
      long generation,
      String selector,
      String status,
      String reason,
      String message) {
    PeerRelayStatus s = new PeerRelayStatus();
    s.setObservedGeneration(generation);
    s.setSelector(selector);
    List<Condition> before = List.of();
    if (previous != null) {
      s.setReplicaStatuses(copy(previous.getReplicaStatuses()));
      s.setEndpoints(copy(previous.getEndpoints()));
      s.setEndpointSummary(previous.getEndpointSummary());
      s.setReplicas(previous.getReplicas());
      s.setReadyReplicas(previous.getReadyReplicas());
      s.setGrantedKeys(previous.getGrantedKeys());
      before = previous.getConditions() == null ? List.of() : previous.getConditions();
    }
    List<Condition> conditions = new ArrayList<>();
    conditions.add(
        ConditionTransitions.next(
            before, READY, status, reason, message, generation, clock.instant()));
    before.stream().filter(c -> !READY.equals(c.getType())).forEach(conditions::add);
    s.setConditions(conditions);
    return s;
  }

  /**
   * The status after a passing API error (the operator retries): {@code previous} itself while its
   * Ready reason is anything but a failure, so a blip neither flips a working relay nor churns
   * status; otherwise Ready Unknown with reason {@code ApiError} and the replica entries kept.
   */
  public PeerRelayStatus afterTransientError(
      PeerRelayStatus previous, long generation, String selector, String message) {
    Condition ready = previous == null ? null : previous.condition(READY);
    if (ready != null
        && !Conditions.REASON_CONFIG_INVALID.equals(ready.getReason())
        && !Conditions.REASON_API_ERROR.equals(ready.getReason())) {
      return previous;
    }
    long observed =
        previous == null || previous.getObservedGeneration() == null
            ? generation
            : previous.getObservedGeneration();
    return failed(
        previous, observed, selector, Conditions.UNKNOWN, Conditions.REASON_API_ERROR, message);
  }

  private static <T> List<T> copy(List<T> list) {
    return list == null ? new ArrayList<>() : new ArrayList<>(list);
  }

  /** Status, reason and message of the Ready condition; the first matching problem wins. */
  private static Verdict readyVerdict(RelayFacts f, int ready, Condition config) {
    if (f.configProblem() != null) {
      return new Verdict(FALSE, Conditions.REASON_CONFIG_INVALID, f.configProblem());
    }
    if (f.podSecurityProblem() != null) {
      return new Verdict(FALSE, Conditions.REASON_POD_SECURITY_BLOCKED, f.podSecurityProblem());
    }
    if (config != null && FALSE.equals(config.getStatus())) {
      return new Verdict(FALSE, Conditions.REASON_RELAY_REFUSED_CONFIG, config.getMessage());
    }
    if (f.desiredReplicas() == 0) {
      // Scaled to zero on purpose: nothing is broken, so Ready stays True and alerts stay quiet.
      return new Verdict(
          TRUE, Conditions.REASON_SCALED_TO_ZERO, "spec.replicas is 0: no relay is running");
    }
    if (f.rollingReplica() != null) {
      return new Verdict(
          FALSE,
          Conditions.REASON_PROGRESSING,
          "rolling a template change one replica at a time: replica "
              + f.rollingReplica()
              + " is being updated ("
              + ready
              + "/"
              + f.desiredReplicas()
              + " ready)");
    }
    if (ready < f.desiredReplicas()) {
      List<Integer> waiting =
          f.replicas().stream().filter(r -> !r.ready()).map(ReplicaFacts::index).toList();
      return new Verdict(
          FALSE,
          Conditions.REASON_PODS_PENDING,
          ready + "/" + f.desiredReplicas() + " replicas ready; waiting for replica(s) " + waiting);
    }
    List<Integer> unaddressed =
        f.replicas().stream()
            .filter(r -> r.endpoints().isEmpty())
            .map(ReplicaFacts::index)
            .toList();
    if (!unaddressed.isEmpty()) {
      return new Verdict(
          FALSE,
          Conditions.REASON_ENDPOINTS_PENDING,
          "no endpoint yet for replica(s) "
              + unaddressed
              + " (the load balancer may still be provisioning)");
    }
    return new Verdict(
        TRUE,
        Conditions.REASON_READY,
        f.desiredReplicas() + "/" + f.desiredReplicas() + " replicas ready with endpoints");
  }

  /** The Ready condition's status, reason and message. */
  private record Verdict(String status, String reason, String message) {}
}
