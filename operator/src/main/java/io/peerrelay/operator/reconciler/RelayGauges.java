package io.peerrelay.operator.reconciler;

import io.javaoperatorsdk.operator.api.reconciler.IndexedResourceCache;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.peerrelay.operator.api.Conditions;
import io.peerrelay.operator.api.PeerRelay;
import java.util.List;
import java.util.function.Function;

/**
 * {@code peerrelay_relays{reason}}: how many PeerRelays the operator sees, by Ready reason, read
 * from the informer cache at scrape time (so a deleted relay can never leave a stale count), for
 * alerts such as "a relay has been PodSecurityBlocked for 10 minutes".
 */
final class RelayGauges {

  static final String NAME = "peerrelay_relays";

  /** Every Ready reason, plus "Unknown" for a relay not reconciled yet. */
  static final List<String> REASONS =
      List.of(
          Conditions.REASON_READY,
          Conditions.REASON_PODS_PENDING,
          Conditions.REASON_ENDPOINTS_PENDING,
          Conditions.REASON_PROGRESSING,
          Conditions.REASON_CONFIG_INVALID,
          Conditions.REASON_POD_SECURITY_BLOCKED,
          Conditions.REASON_SCALED_TO_ZERO,
          Conditions.REASON_API_ERROR,
          Conditions.REASON_NAME_CONFLICT,
          Conditions.UNKNOWN);

  /** {@code peerrelay_tailnet_relays{reason}}: PeerRelays in tailnet mode by TailnetRegistered. */
  static final String TAILNET_NAME = "peerrelay_tailnet_relays";

  /** Every TailnetRegistered reason, plus "Unknown" for a relay without the condition yet. */
  static final List<String> TAILNET_REASONS =
      List.of(
          Conditions.REASON_REGISTERED,
          Conditions.REASON_PENDING,
          Conditions.REASON_AUTH_KEY_MISSING,
          Conditions.REASON_AUTH_KEY_REFUSED,
          Conditions.REASON_NODE_KEY_EXPIRED,
          Conditions.REASON_CONTROL_UNREACHABLE,
          Conditions.UNKNOWN);

  private RelayGauges() {}

  static void register(MeterRegistry registry, IndexedResourceCache<PeerRelay> cache) {
    register(
        registry,
        cache,
        NAME,
        "PeerRelays by the reason of their Ready condition",
        REASONS,
        RelayGauges::reasonOf);
    register(
        registry,
        cache,
        TAILNET_NAME,
        "PeerRelays in tailnet mode by the reason of their TailnetRegistered condition",
        TAILNET_REASONS,
        RelayGauges::tailnetReasonOf);
  }

  /** One gauge per reason, counting the cached PeerRelays {@code reasonOf} gives it. */
  private static void register(
      MeterRegistry registry,
      IndexedResourceCache<PeerRelay> cache,
      String name,
      String description,
      List<String> reasons,
      Function<PeerRelay, String> reasonOf) {
    for (String reason : reasons) {
      Gauge.builder(
              name, cache, c -> c.list().filter(r -> reason.equals(reasonOf.apply(r))).count())
          .description(description)
          .tag("reason", reason)
          .register(registry);
    }
  }

  /** The TailnetRegistered reason; null outside tailnet mode (counted nowhere). */
  private static String tailnetReasonOf(PeerRelay r) {
    if (r.getSpec() == null || r.getSpec().getTailnet() == null) {
      return null;
    }
    var c = r.getStatus() == null ? null : r.getStatus().condition(Conditions.TAILNET_REGISTERED);
    return c == null || c.getReason() == null ? Conditions.UNKNOWN : c.getReason();
  }

  private static String reasonOf(PeerRelay r) {
    String reason = r.getStatus() == null ? null : r.getStatus().readyReason();
    return reason == null ? Conditions.UNKNOWN : reason;
  }
}
