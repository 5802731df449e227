package io.peerrelay.operator.status;

import static io.peerrelay.operator.api.Conditions.FALSE;
import static io.peerrelay.operator.api.Conditions.READY;
import static io.peerrelay.operator.api.Conditions.TRUE;

import io.peerrelay.operator.api.Conditions;
import io.peerrelay.operator.api.RelayGrantStatus;
import io.peerrelay.operator.observe.ObservedGrantKeys;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/** The one place RelayGrant status is built, from its resolved keys and the relays it selects. */
public final class GrantStatusAggregator {

  private final Clock clock;

  public GrantStatusAggregator(Clock clock) {
    this.clock = clock;
  }

  /** The next status; the Ready condition keeps {@code previous}'s transition time. */
  public RelayGrantStatus aggregate(
      RelayGrantStatus previous, long generation, ObservedGrantKeys keys, List<String> relays) {
    RelayGrantStatus s = new RelayGrantStatus();
    s.setObservedGeneration(generation);
    s.setMatchedRelays(new ArrayList<>(relays.stream().sorted().toList()));
    s.setKeys(keys.keys().size());
    String status = FALSE;
    String reason;
    String message;
    if (!keys.missing().isEmpty()) {
      reason = Conditions.REASON_SECRET_MISSING;
      message = String.join("; ", keys.missing());
    } else if (!keys.malformed().isEmpty()) {
      reason = Conditions.REASON_KEY_MALFORMED;
      message = String.join("; ", keys.malformed()) + " (the other keys are granted)";
    } else if (relays.isEmpty()) {
      reason = Conditions.REASON_NO_RELAYS_MATCHED;
      message = "spec.dst.selector matches no PeerRelay in this namespace";
    } else {
      status = TRUE;
      reason = Conditions.REASON_RESOLVED;
      message = keys.keys().size() + " key(s) granted on " + relays.size() + " relay(s)";
    }
    s.setConditions(
        new ArrayList<>(
            List.of(
                ConditionTransitions.next(
                    previous == null ? List.of() : previous.getConditions(),
                    READY,
                    status,
                    reason,
                    message,
                    generation,
                    clock.instant()))));
    return s;
  }
}
