package io.peerrelay.operator.status;

import io.peerrelay.operator.api.Conditions;
import io.peerrelay.operator.observe.TailnetReport;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The {@code TailnetRegistered} condition from what each replica's relay reports: True when every
 * replica's node is registered, otherwise the reason that needs a person first, with the fix in the
 * message.
 *
 * @param status condition status
 * @param reason one of the {@code Conditions.REASON_*} tailnet reasons
 * @param message details and the fix
 */
record TailnetVerdict(String status, String reason, String message) {

  /** The reasons by precedence: the first one any unregistered replica has wins. */
  private static final List<String> PRECEDENCE =
      List.of(
          Conditions.REASON_AUTH_KEY_MISSING,
          Conditions.REASON_AUTH_KEY_REFUSED,
          Conditions.REASON_NODE_KEY_EXPIRED,
          Conditions.REASON_CONTROL_UNREACHABLE,
          Conditions.REASON_PENDING);

  static TailnetVerdict of(TailnetFacts t, List<ReplicaFacts> replicas) {
    List<String> registered = new ArrayList<>();
    Map<String, List<ReplicaFacts>> waiting = new TreeMap<>();
    for (ReplicaFacts r : replicas) {
      TailnetReport report = r.tailnet();
      if (report != null && report.registered()) {
        registered.add(report.nodeName() == null ? "replica " + r.index() : report.nodeName());
      } else {
        waiting.computeIfAbsent(reasonOf(r, t), k -> new ArrayList<>()).add(r);
      }
    }
    if (waiting.isEmpty()) {
      String note =
          t.authKeyProblem() == null
              ? ""
              : "; note: " + t.authKeyProblem() + ", so a new replica could not register";
      return new TailnetVerdict(
          Conditions.TRUE,
          Conditions.REASON_REGISTERED,
          registered.size()
              + "/"
              + replicas.size()
              + " replica(s) registered"
              + names(registered)
              + note);
    }
    String reason = PRECEDENCE.stream().filter(waiting::containsKey).findFirst().orElseThrow();
    return new TailnetVerdict(Conditions.FALSE, reason, message(reason, waiting.get(reason), t));
  }

  /** What is wrong with the {@code affected} replicas and what fixes it. */
  private static String message(String reason, List<ReplicaFacts> affected, TailnetFacts t) {
    String secret = "Secret " + t.authSecret() + " (key " + t.authKey() + ")";
    String which = "replica(s) " + affected.stream().map(ReplicaFacts::index).toList();
    String said = relayMessage(affected);
    return switch (reason) {
      case Conditions.REASON_AUTH_KEY_MISSING ->
          which
              + " cannot register: "
              + (t.authKeyProblem() == null ? "the relay reads no auth key" : t.authKeyProblem())
              + "; create Secret "
              + t.authSecret()
              + " with key "
              + t.authKey()
              + " holding a Tailscale auth key"
              + said;
      case Conditions.REASON_AUTH_KEY_REFUSED ->
          "control at "
              + t.controlUrl()
              + " refused the auth key in "
              + secret
              + " for "
              + which
              + said
              + "; create a new (reusable, pre-authorized) auth key allowed to use the tags and"
              + " store it in "
              + secret;
      case Conditions.REASON_NODE_KEY_EXPIRED ->
          "the node key of "
              + which
              + " expired"
              + said
              + "; the relay re-registers with the auth key in "
              + secret
              + ": make sure it holds a valid auth key, or disable key expiry for these nodes";
      case Conditions.REASON_CONTROL_UNREACHABLE ->
          which
              + " cannot reach control at "
              + t.controlUrl()
              + said
              + "; allow the relay nodes HTTPS egress to it";
      default -> which + " not registered yet" + pendingDetails(affected);
    };
  }

  /** The reason of one unregistered replica. */
  private static String reasonOf(ReplicaFacts r, TailnetFacts t) {
    TailnetReport report = r.tailnet();
    String state = report == null ? null : report.state();
    if (TailnetReport.AUTH_KEY_MISSING.equals(state)) {
      return Conditions.REASON_AUTH_KEY_MISSING;
    }
    if (TailnetReport.AUTH_KEY_REFUSED.equals(state)) {
      return Conditions.REASON_AUTH_KEY_REFUSED;
    }
    if (TailnetReport.NODE_KEY_EXPIRED.equals(state)) {
      return Conditions.REASON_NODE_KEY_EXPIRED;
    }
    if (TailnetReport.CONTROL_UNREACHABLE.equals(state)) {
      return Conditions.REASON_CONTROL_UNREACHABLE;
    }
    // Not registered and the operator sees no auth key: registration cannot succeed, whatever
    // the relay says so far (it may still be starting, or its pod may wait for the mount).
    return t.authKeyProblem() != null
        ? Conditions.REASON_AUTH_KEY_MISSING
        : Conditions.REASON_PENDING;
  }

  private static String relayMessage(List<ReplicaFacts> affected) {
    return affected.stream()
        .map(ReplicaFacts::tailnet)
        .filter(r -> r != null && r.message() != null && !r.message().isEmpty())
        .map(r -> " (relay: " + r.message() + ")")
        .findFirst()
        .orElse("");
  }

  private static String pendingDetails(List<ReplicaFacts> affected) {
    List<String> details = new ArrayList<>();
    for (ReplicaFacts r : affected) {
      TailnetReport report = r.tailnet();
      if (report == null) {
        details.add(r.index() + ": pod not ready");
      } else if (!report.enabled() && !TailnetReport.NOT_ANSWERING.equals(report.state())) {
        details.add(r.index() + ": the relay runs without tailnet mode (an older image?)");
      } else {
        details.add(
            r.index()
                + ": "
                + report.state()
                + (report.message() == null || report.message().isEmpty()
                    ? ""
                    : " " + report.message()));
      }
    }
    return " (" + String.join("; ", details) + ")";
  }

  private static String names(List<String> registered) {
    return registered.isEmpty() ? "" : " as " + String.join(", ", registered);
  }
}
