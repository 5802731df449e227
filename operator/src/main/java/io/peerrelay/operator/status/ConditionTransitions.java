package io.peerrelay.operator.status;

import io.peerrelay.operator.api.Condition;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Objects;

/**
 * Builds a condition that keeps its previous {@code lastTransitionTime} while its status and reason
 * are unchanged, so repeated reconciles write the same bytes and "since when" stays true.
 */
final class ConditionTransitions {

  private ConditionTransitions() {}

  static Condition next(
      List<Condition> previous,
      String type,
      String status,
      String reason,
      String message,
      long generation,
      Instant now) {
    String since =
        previous == null
            ? null
            : previous.stream()
                .filter(c -> type.equals(c.getType()))
                .filter(c -> status.equals(c.getStatus()) && Objects.equals(reason, c.getReason()))
                .map(Condition::getLastTransitionTime)
                .filter(Objects::nonNull)
                .findFirst()
                .orElse(null);
    if (since == null) {
      // metav1.Time has second precision; a finer time would differ after a round trip.
      since = now.truncatedTo(ChronoUnit.SECONDS).toString();
    }
    return new Condition(type, status, reason, message, since, generation);
  }
}
