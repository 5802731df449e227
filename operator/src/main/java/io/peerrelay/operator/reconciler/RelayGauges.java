package io.peerrelay.operator.reconciler;

import io.javaoperatorsdk.operator.api.reconciler.IndexedResourceCache;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.peerrelay.operator.api.Conditions;
import io.peerrelay.operator.api.PeerRelay;
import java.util.List;

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
          Conditions.UNKNOWN);

  private RelayGauges() {}

  static void register(MeterRegistry registry, IndexedResourceCache<PeerRelay> cache) {
    for (String reason : REASONS) {
      Gauge.builder(NAME, cache, c -> c.list().filter(r -> reason.equals(reasonOf(r))).count())
          .description("PeerRelays by the reason of their Ready condition")
          .tag("reason", reason)
          .register(registry);
    }
  }

  private static String reasonOf(PeerRelay r) {
    String reason = r.getStatus() == null ? null : r.getStatus().readyReason();
    return reason == null ? Conditions.UNKNOWN : reason;
  }
}
