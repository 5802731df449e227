package io.peerrelay.operator.reconciler;

import io.peerrelay.operator.api.Condition;
import io.peerrelay.operator.api.Conditions;
import io.peerrelay.operator.api.PeerRelay;
import io.peerrelay.operator.api.PeerRelayStatus;
import io.peerrelay.operator.api.RelayEndpoint;
import io.peerrelay.operator.desired.RelaySecret;
import io.peerrelay.operator.observe.Observed;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells people what changed in one reconcile: an Event per transition (key generated, replica
 * created, Ready reason changed, endpoints assigned, annotations overridden) and one log line when
 * the status changed. Comparing before and after is what keeps it to transitions only.
 */
final class RelayTransitions {

  private static final Logger LOG = LoggerFactory.getLogger(RelayTransitions.class);

  private final RelayEvents events;

  RelayTransitions(RelayEvents events) {
    this.events = events;
  }

  /** Events for the transitions between {@code previous} and {@code next} (never per reconcile). */
  void announce(
      PeerRelay relay,
      PeerRelayStatus previous,
      PeerRelayStatus next,
      Observed before,
      Observed after) {
    if (before != null && after != null) {
      for (var e : after.keySecrets().entrySet()) {
        if (!before.keySecrets().containsKey(e.getKey())) {
          events.write(
              relay,
              RelayEvents.NORMAL,
              "KeyGenerated",
              "replica "
                  + e.getKey()
                  + ": new relay key "
                  + RelaySecret.publicKey(e.getValue()).orElse("?")
                  + " in Secret "
                  + e.getValue().getMetadata().getName());
        }
      }
      for (var e : after.statefulSets().entrySet()) {
        if (!before.statefulSets().containsKey(e.getKey())) {
          events.write(
              relay,
              RelayEvents.NORMAL,
              "Created",
              "replica " + e.getKey() + ": StatefulSet " + e.getValue().getMetadata().getName());
        }
      }
    }
    Condition was = condition(previous, Conditions.READY);
    Condition now = condition(next, Conditions.READY);
    if (now != null && (was == null || !Objects.equals(was.getReason(), now.getReason()))) {
      boolean warn =
          Conditions.REASON_CONFIG_INVALID.equals(now.getReason())
              || Conditions.REASON_POD_SECURITY_BLOCKED.equals(now.getReason());
      events.write(
          relay,
          warn ? RelayEvents.WARNING : RelayEvents.NORMAL,
          now.getReason(),
          now.getMessage());
    }
    List<RelayEndpoint> oldEndpoints = previous == null ? List.of() : previous.getEndpoints();
    if (!next.getEndpoints().isEmpty() && !next.getEndpoints().equals(oldEndpoints)) {
      events.write(
          relay,
          RelayEvents.NORMAL,
          "EndpointsAssigned",
          "clients send to " + next.getEndpointSummary());
    }
    Condition exposureWas = condition(previous, Conditions.EXPOSURE);
    Condition exposureNow = condition(next, Conditions.EXPOSURE);
    if (exposureNow != null
        && Conditions.REASON_ANNOTATION_OVERRIDDEN.equals(exposureNow.getReason())
        && (exposureWas == null
            || !Objects.equals(exposureWas.getMessage(), exposureNow.getMessage()))) {
      events.write(relay, RelayEvents.WARNING, exposureNow.getReason(), exposureNow.getMessage());
    }
    if (!Objects.equals(previous, next)) {
      LOG.info(
          "status relay={}/{} ready={} reason={} readyReplicas={}/{} endpoints={} grantedKeys={}",
          relay.getMetadata().getNamespace(),
          relay.getMetadata().getName(),
          now == null ? null : now.getStatus(),
          now == null ? null : now.getReason(),
          next.getReadyReplicas(),
          relay.getSpec() == null ? null : relay.getSpec().getReplicas(),
          next.getEndpointSummary(),
          next.getGrantedKeys());
    }
  }

  static Condition condition(PeerRelayStatus s, String type) {
    if (s == null || s.getConditions() == null) {
      return null;
    }
    return s.getConditions().stream()
        .filter(c -> type.equals(c.getType()))
        .findFirst()
        .orElse(null);
  }
}
