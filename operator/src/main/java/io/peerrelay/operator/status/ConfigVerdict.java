package io.peerrelay.operator.status;

import io.peerrelay.operator.api.Conditions;
import io.peerrelay.operator.observe.ConfigReport;
import io.peerrelay.operator.observe.StartRefusal;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code ConfigAccepted} condition from what each replica's relay says about the relay.yaml the
 * operator wrote: False ({@code RelayRefusedConfig}, naming replica and field) when any relay
 * refused it, True ({@code Applied}) when every replica's {@code /config} applied exactly it, and
 * no verdict otherwise (a replica not probed or not caught up yet leaves the condition as it was:
 * no flapping).
 *
 * @param status condition status
 * @param reason {@code RelayRefusedConfig} or {@code Applied}
 * @param message which replica refused which field and why, or how many applied it
 */
record ConfigVerdict(String status, String reason, String message) {

  /** The verdict for {@code replicas}, or null when there is none yet. */
  static ConfigVerdict of(List<ReplicaFacts> replicas) {
    List<String> refused = new ArrayList<>();
    int applied = 0;
    for (ReplicaFacts r : replicas) {
      String refusal = refusal(r);
      if (refusal != null) {
        refused.add(refusal);
      } else if (applied(r)) {
        applied++;
      }
    }
    if (!refused.isEmpty()) {
      return new ConfigVerdict(
          Conditions.FALSE, Conditions.REASON_RELAY_REFUSED_CONFIG, String.join("; ", refused));
    }
    return applied == replicas.size()
        ? new ConfigVerdict(
            Conditions.TRUE,
            Conditions.REASON_APPLIED,
            applied + "/" + replicas.size() + " replica(s) run the relay.yaml the operator wrote")
        : null;
  }

  /** Whether replica {@code r}'s relay reports the written relay.yaml in force. */
  private static boolean applied(ReplicaFacts r) {
    ConfigReport c = r.config();
    return c != null
        && c.answered()
        && c.applied() != null
        && r.writtenSha256() != null
        && r.writtenSha256().equals(c.applied().sha256());
  }

  /**
   * Why replica {@code r}'s relay refused the written relay.yaml, or null: its side port's word
   * when it answers (a refusal of an older file is not one of ours), else the line its container
   * left when it exited at start.
   */
  private static String refusal(ReplicaFacts r) {
    ConfigReport c = r.config();
    if (c != null && c.answered()) {
      ConfigReport.Rejected x = c.rejected();
      return x != null && r.writtenSha256() != null && r.writtenSha256().equals(x.sha256())
          ? message(r.index(), x.field(), x.error())
          : null;
    }
    StartRefusal s = r.startRefusal();
    return s == null ? null : message(r.index(), s.field(), s.error());
  }

  private static String message(int replica, String field, String error) {
    String what = field == null || field.isEmpty() ? " (it did not parse)" : " field " + field;
    return "replica " + replica + ": relay refused relay.yaml" + what + ": " + error;
  }
}
