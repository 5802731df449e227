package io.peerrelay.operator.reconciler;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.peerrelay.operator.api.Condition;
import io.peerrelay.operator.api.Conditions;
import io.peerrelay.operator.api.PeerRelay;
import io.peerrelay.operator.api.PeerRelayStatus;
import io.peerrelay.operator.api.RelayEndpoint;
import io.peerrelay.operator.desired.RelaySecret;
import io.peerrelay.operator.desired.TailnetStateSecret;
import io.peerrelay.operator.observe.Observed;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
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
      announceChildren(relay, before, after);
    }
    Condition was = previous == null ? null : previous.condition(Conditions.READY);
    Condition now = next.condition(Conditions.READY);
    if (now != null && (was == null || !Objects.equals(was.getReason(), now.getReason()))) {
      boolean warn =
          Conditions.REASON_CONFIG_INVALID.equals(now.getReason())
              || Conditions.REASON_NAME_CONFLICT.equals(now.getReason())
              || Conditions.REASON_POD_SECURITY_BLOCKED.equals(now.getReason())
              || Conditions.REASON_API_ERROR.equals(now.getReason());
      events.write(
          relay,
          warn ? RelayEvents.WARNING : RelayEvents.NORMAL,
          now.getReason(),
          now.getMessage());
    }
    announceTailnet(relay, previous, next);
    List<RelayEndpoint> oldEndpoints = previous == null ? List.of() : previous.getEndpoints();
    if (!next.getEndpoints().isEmpty() && !next.getEndpoints().equals(oldEndpoints)) {
      events.write(
          relay,
          RelayEvents.NORMAL,
          "EndpointsAssigned",
          "clients send to " + next.getEndpointSummary());
    }
    Condition exposureWas = previous == null ? null : previous.condition(Conditions.EXPOSURE);
    Condition exposureNow = next.condition(Conditions.EXPOSURE);
    if (exposureNow != null
        && (Conditions.REASON_ANNOTATION_OVERRIDDEN.equals(exposureNow.getReason())
            || Conditions.REASON_ENDPOINTS_STALE.equals(exposureNow.getReason()))
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

  /** Events for the key Secrets, node-state Secrets and other children this reconcile created. */
  private void announceChildren(PeerRelay relay, Observed before, Observed after) {
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
    for (var e : after.tailnetSecrets().entrySet()) {
      if (!before.tailnetSecrets().containsKey(e.getKey())) {
        var annotations = e.getValue().getMetadata().getAnnotations();
        events.write(
            relay,
            RelayEvents.NORMAL,
            "TailnetStateGenerated",
            "replica "
                + e.getKey()
                + ": new tailnet node "
                + (annotations == null
                    ? "?"
                    : annotations.get(TailnetStateSecret.ANNOTATION_NODE_KEY))
                + " in Secret "
                + e.getValue().getMetadata().getName());
      }
    }
    for (String created : createdChildren(before, after)) {
      events.write(relay, RelayEvents.NORMAL, "Created", created);
    }
  }

  /** An Event when the TailnetRegistered reason changes; a Warning when a person must act. */
  private void announceTailnet(PeerRelay relay, PeerRelayStatus previous, PeerRelayStatus next) {
    Condition was = previous == null ? null : previous.condition(Conditions.TAILNET_REGISTERED);
    Condition now = next.condition(Conditions.TAILNET_REGISTERED);
    if (now == null || (was != null && Objects.equals(was.getReason(), now.getReason()))) {
      return;
    }
    boolean fine =
        Conditions.REASON_REGISTERED.equals(now.getReason())
            || Conditions.REASON_PENDING.equals(now.getReason());
    events.write(
        relay,
        fine ? RelayEvents.NORMAL : RelayEvents.WARNING,
        "Tailnet" + now.getReason(),
        now.getMessage());
  }

  /**
   * One message per replica that gained children between {@code before} and {@code after}, e.g.
   * {@code replica 0: ConfigMap office-0, Service office-0, StatefulSet office-0}: one Event per
   * replica, not per object, keeps {@code kubectl describe} readable. Key Secrets have their own
   * {@code KeyGenerated} event.
   */
  static List<String> createdChildren(Observed before, Observed after) {
    Map<Integer, List<String>> byReplica = new TreeMap<>();
    created(byReplica, "ConfigMap", before.configMaps(), after.configMaps());
    created(byReplica, "Service", before.services(), after.services());
    created(byReplica, "StatefulSet", before.statefulSets(), after.statefulSets());
    return byReplica.entrySet().stream()
        .map(e -> "replica " + e.getKey() + ": " + String.join(", ", e.getValue()))
        .toList();
  }

  private static void created(
      Map<Integer, List<String>> out,
      String kind,
      Map<Integer, ? extends HasMetadata> before,
      Map<Integer, ? extends HasMetadata> after) {
    after.forEach(
        (i, child) -> {
          if (!before.containsKey(i)) {
            out.computeIfAbsent(i, k -> new ArrayList<>())
                .add(kind + " " + child.getMetadata().getName());
          }
        });
  }
}
